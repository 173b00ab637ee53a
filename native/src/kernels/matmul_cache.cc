// Cache sizes for the GEMM blocking (see matmul_cache.h). Linux lists every
// cache of a CPU under /sys/devices/system/cpu/cpu0/cache/index<i>/ with its
// level, type (Data, Instruction, Unified) and size ("48K"); glibc's sysconf
// reads cpuid but is wrong on some virtual machines (it reports a 384 MiB L3
// here), so /sys comes first.
#include "matmul_impl.h"
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <unistd.h>

namespace lk {
namespace {

bool read_line(const char* path, char* buf, size_t cap) {
  FILE* f = std::fopen(path, "r");
  if (!f) return false;
  const bool ok = std::fgets(buf, int(cap), f) != nullptr;
  std::fclose(f);
  return ok;
}

// "48K" → 49152, "1024K" → 1048576, "32M" → 33554432; 0 when unreadable.
int64_t parse_size(const char* s) {
  char* end = nullptr;
  const long long v = std::strtoll(s, &end, 10);
  if (v <= 0 || end == s) return 0;
  if (*end == 'K') return v << 10;
  if (*end == 'M') return v << 20;
  return v;
}

CacheSizes detect() {
  CacheSizes c{0, 0};
  char path[128], buf[64];
  for (int i = 0; i < 8; i++) {
    std::snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/level", i);
    if (!read_line(path, buf, sizeof buf)) break;
    const int level = std::atoi(buf);
    std::snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/type", i);
    if (!read_line(path, buf, sizeof buf) || std::strncmp(buf, "Instruction", 11) == 0) continue;
    std::snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/size", i);
    if (!read_line(path, buf, sizeof buf)) continue;
    if (level == 1) c.l1 = parse_size(buf);
    if (level == 2) c.l2 = parse_size(buf);
  }
#if defined(_SC_LEVEL1_DCACHE_SIZE) && defined(_SC_LEVEL2_CACHE_SIZE)
  if (c.l1 <= 0) c.l1 = sysconf(_SC_LEVEL1_DCACHE_SIZE);
  if (c.l2 <= 0) c.l2 = sysconf(_SC_LEVEL2_CACHE_SIZE);
#endif
  // implausible or missing: the smallest caches of the CPUs the kernels target
  if (c.l1 < (16 << 10) || c.l1 > (1 << 20)) c.l1 = 32 << 10;
  if (c.l2 < (128 << 10) || c.l2 > (64 << 20)) c.l2 = 512 << 10;
  return c;
}

}  // namespace

const CacheSizes& cache_sizes() {
  static const CacheSizes c = detect();
  return c;
}

}  // namespace lk
