// The classical kernels' row loops compiled with the AVX2 flags (see classical_impl.h).
#include <stdint.h>
#define LK_CLS_NS cls_avx2
#include "classical_nofast.h"
#include "classical_impl.h"
#include "classical.h"

LK_CLASSICAL_TABLE(classical_avx2, cls_avx2)
