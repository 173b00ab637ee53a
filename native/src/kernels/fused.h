// The fused kernels' activation codes and their AVX2 row loops (fused_avx2.cc,
// valid only when isa() >= ISA_AVX2).
#pragma once
#include <stdint.h>

namespace lk {

enum Act : int64_t { ACT_IDENTITY = 0, ACT_TANH = 1, ACT_RELU = 2, ACT_SIGMOID = 3 };

void bias_act_rows_avx2(float* y, const float* bias, int64_t r0, int64_t r1, int64_t cols, int64_t code);
void bias_act_grad_cols_avx2(float* dx, float* db, const float* g, const float* y, int64_t rows, int64_t cols,
                             int64_t c0, int64_t c1, int64_t code);
void bce_logits_rows_avx2(float* out, const float* logits, const float* x, int64_t r0, int64_t r1, int64_t cols);
void bce_logits_grad_rows_avx2(float* dl, const float* g, const float* logits, const float* x, int64_t r0, int64_t r1,
                               int64_t cols);

}  // namespace lk
