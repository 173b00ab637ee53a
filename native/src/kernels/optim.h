// The Adam element loop on AVX-512 (optim_avx512.cc), valid only when isa() >= ISA_AVX512:
// the same arithmetic, in the same order, as adam_range in optim.cc.
#pragma once
#include <stdint.h>

namespace lk {
void adam_range_avx512(float* p, const float* g, float* m, float* v, int64_t lo, int64_t hi, float lr_c1,
                       float inv_sqrt_c2, float b1, float b2, float eps, float wd);
}
