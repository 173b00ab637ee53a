// The classical kernels' row loops compiled with the AVX512 flags (see classical_impl.h).
#define LK_CLS_NS cls_avx512
#include "classical_impl.h"
#include "classical.h"

LK_CLASSICAL_TABLE(classical_avx512, cls_avx512)
