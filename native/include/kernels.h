// latentkit native kernels: flat C signatures, float32, row-major, contiguous.
// The caller owns every buffer; a kernel never allocates the memory it writes
// (the matmul keeps its own packing buffers, allocated once and reused).
// The kernel prototypes, op codes and dims structs are generated from
// src/backend/kernels.spec.mjs into kernels.gen.h; the controls are here.
#pragma once
#include "kernels.gen.h"

#ifdef __cplusplus
extern "C" {
#endif

// Control: worker threads (1 = run on the calling thread only) and the
// instruction set (0 portable, 1 AVX2+FMA, 2 AVX-512F/BW/DQ/VL); setters return the value in effect.
int lk_set_threads(int n);
int lk_threads(void);
int lk_set_isa(int level);
int lk_isa(void);
int lk_best_isa(void);
// Called on entry to and exit from every kernel (binding_util.h guard): while kernel calls
// keep coming, idle workers keep spinning instead of falling asleep.
void lk_pool_touch(void);

#ifdef __cplusplus
}
#endif
