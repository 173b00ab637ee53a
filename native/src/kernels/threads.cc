// A small persistent thread pool (threads = cores, the caller being one of
// them) and the run-time instruction-set switch.
//
// Workers spin briefly on a generation counter before sleeping on a condition
// variable, so back-to-back small kernels do not pay a futex wake-up each.
#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define LK_PAUSE() _mm_pause()
#else
#define LK_PAUSE() ((void)0)
#endif
#include "internal.h"
#include "kernels.h"

namespace lk {
namespace {

struct Pool {
  std::vector<std::thread> workers;
  std::mutex m;                 // guards sleeping/waking
  std::condition_variable cv;
  std::atomic<uint64_t> generation{0};
  std::atomic<int64_t> next{0};     // next task to hand out
  std::atomic<int64_t> pending{0};  // workers still inside the current job
  std::atomic<bool> stop{false};
  TaskFn fn = nullptr;
  void* ctx = nullptr;
  int64_t ntasks = 0;
  std::mutex busy;              // one job at a time; others run serially
  int size = 1;                 // threads including the caller

  void drain() {
    for (;;) {
      int64_t t = next.fetch_add(1, std::memory_order_relaxed);
      if (t >= ntasks) break;
      fn(ctx, t);
    }
  }

  void worker(int index);
  void start(int n);
  void shutdown();
};

Pool pool;
thread_local int tls_index = 0;
thread_local bool tls_inside = false;

void Pool::worker(int index) {
  tls_index = index;
  tls_inside = true;
  uint64_t seen = 0;
  for (;;) {
    // spin a little (~50 us), then sleep
    int spins = 0;
    while (generation.load(std::memory_order_acquire) == seen && !stop.load()) {
      if (++spins < 20000) { LK_PAUSE(); continue; }
      std::unique_lock<std::mutex> lock(m);
      cv.wait(lock, [&] { return generation.load() != seen || stop.load(); });
    }
    if (stop.load()) return;
    seen = generation.load(std::memory_order_acquire);
    drain();
    pending.fetch_sub(1, std::memory_order_acq_rel);
  }
}

void Pool::start(int n) {
  size = n < 1 ? 1 : n;
  stop = false;
  for (int i = 1; i < size; i++) workers.emplace_back([this, i] { worker(i); });
}

void Pool::shutdown() {
  {
    std::lock_guard<std::mutex> lock(m);
    stop = true;
  }
  cv.notify_all();
  for (auto& t : workers) t.join();
  workers.clear();
  size = 1;
}

int default_threads() {
  if (const char* s = std::getenv("LATENTKIT_NATIVE_THREADS")) {
    int v = std::atoi(s);
    if (v > 0) return v > 64 ? 64 : v;
  }
  unsigned hc = std::thread::hardware_concurrency();
  return hc == 0 ? 1 : (hc > 64 ? 64 : int(hc));
}

std::once_flag started;
void ensure_started() {
  std::call_once(started, [] {
    pool.start(default_threads());
    std::atexit([] { pool.shutdown(); });
  });
}

int best_isa() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init();
  return (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) ? ISA_AVX2 : ISA_PORTABLE;
#else
  return ISA_PORTABLE;
#endif
}

int initial_isa() {
  int best = best_isa();
  const char* no = std::getenv("LATENTKIT_NATIVE_NO_AVX2");
  if (no && *no && std::strcmp(no, "0") != 0) return ISA_PORTABLE;
  return best;
}

std::atomic<int> current_isa{initial_isa()};

}  // namespace

int threads() {
  ensure_started();
  return pool.size;
}

int thread_index() { return tls_index; }

int isa() { return current_isa.load(std::memory_order_relaxed); }

void parallel_for(int64_t ntasks, TaskFn fn, void* ctx) {
  if (ntasks <= 0) return;
  ensure_started();
  if (ntasks == 1 || pool.size == 1 || tls_inside || !pool.busy.try_lock()) {
    for (int64_t t = 0; t < ntasks; t++) fn(ctx, t);
    return;
  }
  pool.fn = fn;
  pool.ctx = ctx;
  pool.ntasks = ntasks;
  pool.next.store(0, std::memory_order_relaxed);
  pool.pending.store(pool.size - 1, std::memory_order_relaxed);
  {
    std::lock_guard<std::mutex> lock(pool.m);
    pool.generation.fetch_add(1, std::memory_order_acq_rel);
  }
  pool.cv.notify_all();
  tls_inside = true;
  pool.drain();
  tls_inside = false;
  while (pool.pending.load(std::memory_order_acquire) != 0) LK_PAUSE();
  pool.busy.unlock();
}

float* scratch(int slot, size_t floats) {
  // 64-byte aligned, grown geometrically, kept for the life of the thread.
  struct Buf { float* p = nullptr; size_t cap = 0; ~Buf() { std::free(p); } };
  thread_local Buf bufs[4];
  Buf& b = bufs[slot];
  if (b.cap < floats) {
    std::free(b.p);
    size_t cap = floats + floats / 4 + 64;
    b.p = static_cast<float*>(std::aligned_alloc(64, ((cap * sizeof(float) + 63) / 64) * 64));
    b.cap = b.p ? cap : 0;
  }
  return b.p;
}

}  // namespace lk

extern "C" {

int lk_threads(void) { return lk::threads(); }

int lk_set_threads(int n) {
  lk::ensure_started();
  if (n < 1) n = 1;
  if (n > 64) n = 64;
  std::lock_guard<std::mutex> job(lk::pool.busy);
  if (n != lk::pool.size) {
    lk::pool.shutdown();
    lk::pool.start(n);
  }
  return lk::pool.size;
}

int lk_isa(void) { return lk::isa(); }
int lk_best_isa(void) { return lk::best_isa(); }

int lk_set_isa(int level) {
  int best = lk::best_isa();
  if (level < 0) level = 0;
  if (level > best) level = best;
  lk::current_isa.store(level);
  return level;
}

}  // extern "C"
