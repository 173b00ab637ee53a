// The portable float64 row primitives and the run-time choice among the ISAs.
#define LK_ROWS_NAME rows_portable
#include "linalg_rows_impl.h"
#include "internal.h"

namespace lk {
const LinalgRows& rows() {
  static const LinalgRows r = LK_HAS_ISA(ISA_AVX512) ? rows_avx512() : LK_HAS_ISA(ISA_AVX2) ? rows_avx2() : rows_portable();
  return r;
}
}  // namespace lk
