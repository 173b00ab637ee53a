// The float64 row primitives with AVX2/FMA (see linalg_rows_impl.h).
#define LK_ROWS_NAME rows_avx2
#include "linalg_rows_impl.h"
