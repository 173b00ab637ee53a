// latentkit native kernels: flat C signatures, float32, row-major, contiguous.
// The caller owns every buffer; a kernel never allocates the memory it writes
// (the matmul keeps its own packing buffers, allocated once and reused).
// Argument order follows src/backend/contract.ts.
#pragma once
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct conv2d_dims {
  int64_t n, c, h, w;   // input [n, c, h, w]
  int64_t o, kh, kw;    // weights [o, c, kh, kw]
  int64_t stride, pad;
  int64_t oh, ow;       // output [n, o, oh, ow]
} conv2d_dims;

typedef struct pool2d_dims {
  int64_t n, c, h, w, k, stride, oh, ow;
} pool2d_dims;

// Op codes, in the order of UNARY_OPS / BINARY_OPS in contract.ts.
enum lk_unary_op {
  LK_NEG, LK_EXP, LK_LOG, LK_SQRT, LK_ABS, LK_SIGN, LK_SQUARE, LK_TANH, LK_SIGMOID,
  LK_RELU, LK_STEP, LK_LEAKY_RELU, LK_LEAKY_RELU_GRAD, LK_SOFTPLUS, LK_LOG_SIGMOID,
  LK_LOG1P, LK_POW, LK_CLIP, LK_CLIP_GRAD, LK_UNARY_COUNT
};
enum lk_binary_op { LK_ADD, LK_SUB, LK_MUL, LK_DIV, LK_EQ, LK_GT, LK_BINARY_COUNT };
enum lk_reduce_op { LK_SUM, LK_MAX };

// out[b] = op(a[b]) . op(b[b]); a [batch,m,k] (or [batch,k,m] if transA), b [batch,k,n] (or [batch,n,k]).
void matmul_f32(float* out, const float* a, const float* b, int64_t batch, int64_t m, int64_t k,
                int64_t n, int transA, int transB);

void unary_f32(int op, const float* x, float* out, int64_t len, float alpha, float beta);
// Broadcasting binary op; strides are per output axis, in elements, 0 where broadcast.
void binary_f32(int op, const float* a, const float* b, float* out, int ndim, const int64_t* outShape,
                const int64_t* aStrides, const int64_t* bStrides, int64_t aLen, int64_t bLen);

// Reductions over the middle axis of x viewed as [outer, n, inner] -> out [outer, inner].
void reduce_f32(int op, const float* x, float* out, int64_t outer, int64_t n, int64_t inner);
void logsumexp_f32(const float* x, float* out, int64_t outer, int64_t n, int64_t inner);
void softmax_f32(const float* x, float* out, int64_t outer, int64_t n, int64_t inner, int log);

void conv2d_f32(float* out, const float* x, const float* w, const conv2d_dims* d);
void conv2d_backward_input_f32(float* dx, const float* dy, const float* w, const conv2d_dims* d);
void conv2d_backward_weight_f32(float* dw, const float* x, const float* dy, const conv2d_dims* d);

void maxpool2d_f32(float* out, int32_t* argmax, const float* x, const pool2d_dims* d);
void maxpool2d_backward_f32(float* dx, const float* dy, const int32_t* argmax, const pool2d_dims* d);
void upsample2d_f32(float* out, const float* x, int64_t n, int64_t c, int64_t h, int64_t w, int64_t scale);
void upsample2d_backward_f32(float* dx, const float* dy, int64_t n, int64_t c, int64_t h, int64_t w,
                             int64_t scale);

void transpose_f32(const float* x, float* out, int ndim, const int64_t* shape, const int64_t* perm);

// One Adam step in place on p, m, v (length len); step t >= 1 (see contract.ts).
void adam_f32(float* p, const float* g, float* m, float* v, int64_t len, float lr, float beta1, float beta2,
              float eps, double step, float weight_decay);

// Control: worker threads (1 = run on the calling thread only) and the
// instruction set (0 portable, 1 AVX2+FMA, 2 AVX-512F/BW/DQ/VL); setters return the value in effect.
int lk_set_threads(int n);
int lk_threads(void);
int lk_set_isa(int level);
int lk_isa(void);
int lk_best_isa(void);

#ifdef __cplusplus
}
#endif
