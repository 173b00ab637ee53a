// The float64 row primitives with AVX-512 (see linalg_rows_impl.h).
#define LK_ROWS_NAME rows_avx512
#include "linalg_rows_impl.h"
