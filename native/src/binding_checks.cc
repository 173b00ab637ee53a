// The checks the kernel table cannot express (declared in binding.gen.cc):
// broadcast strides inside their operands, conv and pool output sizes that
// agree with the input, and a permutation that is one.
#include "binding_util.h"

namespace lkb {

void check_binary(const CallbackInfo& info, const char* fn, int, int64_t aLen, int64_t bLen, int ndim,
                  const int64_t* shape, const int64_t* as, const int64_t* bs, const Buf&, const Buf&, const Buf&) {
  double size = 1, amax = 0, bmax = 0;
  for (int i = 0; i < ndim; i++) {
    size *= double(shape[i]);
    amax += double(shape[i] > 0 ? shape[i] - 1 : 0) * double(as[i]);
    bmax += double(shape[i] > 0 ? shape[i] - 1 : 0) * double(bs[i]);
  }
  if (size > 0 && (amax >= double(aLen) || bmax >= double(bLen)))
    range_error(info, std::string(fn) + ": the strides reach past the end of an operand");
}

// oh = floor((h + 2 pad − kh) / stride) + 1, likewise ow; the scratch K·oh·ow must be addressable.
void check_conv2d(const CallbackInfo& info, const char* fn, const conv2d_dims* d, const Buf& out, const Buf&, const Buf&) {
  const double hp = double(d->h) + 2.0 * double(d->pad), wp = double(d->w) + 2.0 * double(d->pad);
  const double oh = hp >= double(d->kh) ? std::floor((hp - double(d->kh)) / double(d->stride)) + 1 : 0;
  const double ow = wp >= double(d->kw) ? std::floor((wp - double(d->kw)) / double(d->stride)) + 1 : 0;
  if (double(d->oh) != oh || double(d->ow) != ow)
    range_error(info, std::string(fn) + ": dims.oh/ow are " + std::to_string(d->oh) + "x" + std::to_string(d->ow) +
                          " but the input, kernel, stride and padding give " + std::to_string(int64_t(oh)) + "x" +
                          std::to_string(int64_t(ow)));
  const double scratch = double(d->c) * double(d->kh) * double(d->kw) * oh * ow * 4.0;
  if (out.len > 0 && scratch > 1.0e12)  // nothing to compute: no scratch either
    range_error(info, std::string(fn) + ": the im2col scratch would need " + std::to_string(scratch) +
                          " bytes; reduce the padding, the image or the kernel size");
}

// conv2dBias: the sizes of conv2d (the bias length is checked by the binding).
void check_conv2d_bias(const CallbackInfo& info, const char* fn, const conv2d_dims* d, const Buf& out, const Buf& x,
                       const Buf& w, const Buf&) {
  check_conv2d(info, fn, d, out, x, w);
}

// up2Conv2d and its gradients: the checks of conv2d on the 2h x 2w upsampled image.
void check_up2_conv2d_backward_input(const CallbackInfo& info, const char* fn, const conv2d_dims* d, const Buf& a, const Buf& b,
                                     const Buf& c) {
  conv2d_dims up = *d;
  up.h = 2 * d->h;
  up.w = 2 * d->w;
  check_conv2d(info, fn, &up, a, b, c);
}
void check_up2_conv2d(const CallbackInfo& info, const char* fn, const conv2d_dims* d, const Buf& out, const Buf& x, const Buf& w,
                      const Buf&) {
  check_up2_conv2d_backward_input(info, fn, d, out, x, w);
}

// Every window inside the input.
void check_max_pool2d(const CallbackInfo& info, const char* fn, const pool2d_dims* d, const Buf&, const Buf&, const Buf&) {
  if ((d->oh > 0 && (d->oh - 1) * d->stride + d->k > d->h) || (d->ow > 0 && (d->ow - 1) * d->stride + d->k > d->w))
    range_error(info, std::string(fn) + ": dims.oh/ow are too large for the input with this kernel and stride");
}

void check_transpose(const CallbackInfo& info, const char* fn, int ndim, const int64_t*, const int64_t* perm, const Buf&,
                     const Buf&) {
  bool seen[kMaxDims] = {};
  for (int a = 0; a < ndim; a++) {
    if (perm[a] >= ndim || seen[perm[a]]) range_error(info, std::string(fn) + ": perm is not a permutation of the axes");
    seen[perm[a]] = true;
  }
}

}  // namespace lkb
