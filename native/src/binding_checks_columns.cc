// The checks of takeColumns / scatterColumns the kernel table cannot express
// (declared in binding.gen.cc): every column index inside [0, d). The addon is
// callable directly, so a bad index must be refused here, not read or written.
#include "binding_util.h"

namespace lkb {

static void check_columns(const CallbackInfo& info, const char* fn, int64_t d, int64_t m, const Buf& idx_) {
  if (idx_.len != size_t(m)) return;  // the length check that follows names it
  const int32_t* idx = static_cast<const int32_t*>(idx_.p);
  for (int64_t j = 0; j < m; j++) {
    if (idx[j] < 0 || int64_t(idx[j]) >= d)
      range_error(info, std::string(fn) + ": idx[" + std::to_string(j) + "] = " + std::to_string(idx[j]) +
                            " is not a column of a matrix with d = " + std::to_string(d) + " columns; every index must be in [0, d)");
  }
}

void check_take_columns(const CallbackInfo& info, const char* fn, int64_t, int64_t d, int64_t m, const Buf&, const Buf&,
                        const Buf& idx_) {
  check_columns(info, fn, d, m, idx_);
}

void check_scatter_columns(const CallbackInfo& info, const char* fn, int64_t, int64_t d, int64_t m, int, float, const Buf&,
                           const Buf&, const Buf& idx_) {
  check_columns(info, fn, d, m, idx_);
}

}  // namespace lkb
