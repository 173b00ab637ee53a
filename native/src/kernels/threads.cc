// A small persistent thread pool (threads = cores, the caller being one of
// them) and the run-time instruction-set switch.
//
// Workers spin on the job word for kSpinTime before sleeping on a condition
// variable, so the kernels of a training step, with the JS of its ops between
// them, do not pay a futex wake-up each. The spin is timed, not counted: one
// pause lasts about 9 ns on a Xeon of this project's machines and a few ns on
// other cores, and 4,000 of them (37 us there) let the worker fall asleep between
// the kernels of one VAE step (a step 5-8% slower than with the worker awake).
// OpenMP's default policy spins longer still (GOMP_SPINCOUNT).
//
// The spin restarts whenever a kernel is called (lk_pool_touch, on entry to
// and exit from every kernel): a training step's JS and one-thread kernels can leave more
// than kSpinTime between two pool jobs, and a worker woken from its sleep on
// these VMs starts late. Measured on 2 vCPUs of an AMD EPYC (Zen 4): a 100 x
// 784 x 500 product 553 us back to back, 653 us after 500 us of JS, 856 us after
// 2 ms. So the workers sleep only kSpinTime after the caller's last kernel
// call of any kind, not after the last parallel one.
#include <atomic>
#include <chrono>
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

// Job state in one atomic word: the job number (high 32 bits) and the next
// task index (low 32 bits). A worker claims a task with a CAS that also checks
// the job number, so a worker that wakes late can never run a task of a later
// job; CLOSED marks a finished job. `active` counts workers inside a job: they
// enter before claiming, so once every task is claimed and active is 0, the
// job is done. The caller never waits for a worker that has not woken up.
constexpr uint32_t CLOSED = 0xffffffffu;
constexpr std::chrono::microseconds kSpinTime{200};

struct Pool {
  std::vector<std::thread> workers;
  std::mutex m;                    // guards sleeping/waking
  std::condition_variable cv;
  std::atomic<uint64_t> state{0};  // (job << 32) | next task
  alignas(64) std::atomic<uint32_t> calls{0};  // bumped by every kernel call (lk_pool_touch)
  char pad[60];
  std::atomic<int> active{0};
  std::atomic<int> sleepers{0};
  std::atomic<bool> stop{false};
  TaskFn fn = nullptr;
  void* ctx = nullptr;
  int64_t ntasks = 0;
  std::mutex busy;                 // one job at a time; others run serially
  int size = 1;                    // threads including the caller

  // Claim and run tasks of job `job` until none is left.
  void drain(uint32_t job) {
    uint64_t s = state.load();
    for (;;) {
      if (uint32_t(s >> 32) != job || uint32_t(s) == CLOSED || int64_t(uint32_t(s)) >= ntasks) return;
      if (!state.compare_exchange_weak(s, s + 1)) continue;
      fn(ctx, int64_t(uint32_t(s)));
      s = state.load();
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
  uint32_t seen = 0;
  for (;;) {
    // spin until kSpinTime has passed without a job or a kernel call, then sleep until the next job
    int spins = 0;
    auto until = std::chrono::steady_clock::now() + kSpinTime;
    uint32_t calls_seen = calls.load(std::memory_order_relaxed);
    uint64_t s;
    while (uint32_t((s = state.load()) >> 32) == seen && !stop.load()) {
      if ((++spins & 63) != 0) { LK_PAUSE(); continue; }
      const auto now = std::chrono::steady_clock::now();
      const uint32_t c = calls.load(std::memory_order_relaxed);
      if (c != calls_seen) { calls_seen = c; until = now + kSpinTime; }
      if (now < until) { LK_PAUSE(); continue; }
      std::unique_lock<std::mutex> lock(m);
      sleepers.fetch_add(1);
      cv.wait(lock, [&] { return uint32_t(state.load() >> 32) != seen || stop.load(); });
      sleepers.fetch_sub(1);
    }
    if (stop.load()) return;
    seen = uint32_t(s >> 32);
    active.fetch_add(1);
    drain(seen);
    active.fetch_sub(1);
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
  // without the ISA files (non-x86, or the portable-only check build) only the portable kernels exist
#if (defined(__x86_64__) || defined(__i386__)) && !defined(LK_PORTABLE_ONLY)
  __builtin_cpu_init();
  if (!(__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))) return ISA_PORTABLE;
  const bool avx512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                      __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
  return avx512 ? ISA_AVX512 : ISA_AVX2;
#else
  return ISA_PORTABLE;
#endif
}

int initial_isa() {
  int best = best_isa();
  const char* no = std::getenv("LATENTKIT_NATIVE_NO_AVX2");
  if (no && *no && std::strcmp(no, "0") != 0) return ISA_PORTABLE;
  const char* no512 = std::getenv("LATENTKIT_NATIVE_NO_AVX512");
  if (no512 && *no512 && std::strcmp(no512, "0") != 0 && best > ISA_AVX2) return ISA_AVX2;
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
  if (ntasks == 1 || pool.size == 1 || tls_inside || ntasks >= int64_t(CLOSED) || !pool.busy.try_lock()) {
    for (int64_t t = 0; t < ntasks; t++) fn(ctx, t);
    return;
  }
  pool.fn = fn;
  pool.ctx = ctx;
  pool.ntasks = ntasks;
  const uint32_t job = uint32_t(pool.state.load() >> 32) + 1;
  pool.state.store(uint64_t(job) << 32);  // publishes fn, ctx, ntasks
  if (pool.sleepers.load() > 0) {
    std::lock_guard<std::mutex> lock(pool.m);
    pool.cv.notify_all();
  }
  tls_inside = true;
  pool.drain(job);
  tls_inside = false;
  pool.state.store((uint64_t(job) << 32) | CLOSED);  // late workers find nothing
  for (int spins = 0; pool.active.load() != 0; spins++) {
    if (spins < 2000) LK_PAUSE();
    else std::this_thread::yield();  // a worker mid-task was descheduled: let it run
  }
  pool.busy.unlock();
}

float* scratch(int slot, size_t floats) {
  // 64-byte aligned, grown geometrically, kept for the life of the thread.
  struct Buf { float* p = nullptr; size_t cap = 0; ~Buf() { std::free(p); } };
  thread_local Buf bufs[6];
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

void lk_pool_touch(void) {
  // one writer in practice (the JS thread); a lost increment from a second one only shortens a spin
  lk::pool.calls.store(lk::pool.calls.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
}
int lk_best_isa(void) { return lk::best_isa(); }

int lk_set_isa(int level) {
  int best = lk::best_isa();
  if (level < 0) level = 0;
  if (level > best) level = best;
  lk::current_isa.store(level);
  return level;
}

}  // extern "C"
