// Binding of the image kernels (conv2d and gradients, pooling, upsampling),
// transpose, and the controls (threads, instruction set).
#include "binding_util.h"

namespace {

int64_t dim(const CallbackInfo& info, const char* fn, Napi::Object o, const char* key, int64_t lo = 0) {
  return int_value(info, fn, o.Get(key), std::string("dims.") + key, lo);
}

Napi::Object dims_arg(const CallbackInfo& info, const char* fn, size_t i) {
  if (i >= info.Length() || !info[i].IsObject()) type_error(info, std::string(fn) + ": 'dims' must be an object");
  return info[i].As<Napi::Object>();
}

// Conv2dDims, checked for consistency: oh = floor((h + 2 pad − kh) / stride) + 1, same for ow.
conv2d_dims conv_dims(const CallbackInfo& info, const char* fn, size_t i) {
  Napi::Object o = dims_arg(info, fn, i);
  conv2d_dims d;
  d.n = dim(info, fn, o, "n"); d.c = dim(info, fn, o, "c"); d.h = dim(info, fn, o, "h"); d.w = dim(info, fn, o, "w");
  d.o = dim(info, fn, o, "o"); d.kh = dim(info, fn, o, "kh", 1); d.kw = dim(info, fn, o, "kw", 1);
  d.stride = dim(info, fn, o, "stride", 1); d.pad = dim(info, fn, o, "pad");
  d.oh = dim(info, fn, o, "oh"); d.ow = dim(info, fn, o, "ow");
  const int64_t hp = d.h + 2 * d.pad, wp = d.w + 2 * d.pad;
  const int64_t oh = hp >= d.kh ? (hp - d.kh) / d.stride + 1 : 0, ow = wp >= d.kw ? (wp - d.kw) / d.stride + 1 : 0;
  if (d.oh != oh || d.ow != ow)
    range_error(info, std::string(fn) + ": dims.oh/ow are " + std::to_string(d.oh) + "x" + std::to_string(d.ow) +
                          " but the input, kernel, stride and padding give " + std::to_string(oh) + "x" + std::to_string(ow));
  return d;
}

FN(Conv2d) {
  return guard(info, [&] {
    const char* FNAME = "conv2d";
    F32(0, out); F32(1, x); F32(2, w);
    const conv2d_dims d = conv_dims(info, FNAME, 3);
    expect_len(info, FNAME, "out", out_, double(d.n) * d.o * d.oh * d.ow);
    expect_len(info, FNAME, "x", x_, double(d.n) * d.c * d.h * d.w);
    expect_len(info, FNAME, "w", w_, double(d.o) * d.c * d.kh * d.kw);
    no_overlap(info, FNAME, out_, x_, "x");
    no_overlap(info, FNAME, out_, w_, "w");
    conv2d_f32(out, x, w, &d);
  });
}

FN(Conv2dBackwardInput) {
  return guard(info, [&] {
    const char* FNAME = "conv2dBackwardInput";
    F32(0, dx); F32(1, dy); F32(2, w);
    const conv2d_dims d = conv_dims(info, FNAME, 3);
    expect_len(info, FNAME, "dx", dx_, double(d.n) * d.c * d.h * d.w);
    expect_len(info, FNAME, "dy", dy_, double(d.n) * d.o * d.oh * d.ow);
    expect_len(info, FNAME, "w", w_, double(d.o) * d.c * d.kh * d.kw);
    no_overlap(info, FNAME, dx_, dy_, "dy");
    no_overlap(info, FNAME, dx_, w_, "w");
    conv2d_backward_input_f32(dx, dy, w, &d);
  });
}

FN(Conv2dBackwardWeight) {
  return guard(info, [&] {
    const char* FNAME = "conv2dBackwardWeight";
    F32(0, dw); F32(1, x); F32(2, dy);
    const conv2d_dims d = conv_dims(info, FNAME, 3);
    expect_len(info, FNAME, "dw", dw_, double(d.o) * d.c * d.kh * d.kw);
    expect_len(info, FNAME, "x", x_, double(d.n) * d.c * d.h * d.w);
    expect_len(info, FNAME, "dy", dy_, double(d.n) * d.o * d.oh * d.ow);
    no_overlap(info, FNAME, dw_, x_, "x");
    no_overlap(info, FNAME, dw_, dy_, "dy");
    conv2d_backward_weight_f32(dw, x, dy, &d);
  });
}

// Pool2dDims: every window must lie inside the input.
pool2d_dims pool_dims(const CallbackInfo& info, const char* fn, size_t i) {
  Napi::Object o = dims_arg(info, fn, i);
  pool2d_dims d;
  d.n = dim(info, fn, o, "n"); d.c = dim(info, fn, o, "c"); d.h = dim(info, fn, o, "h"); d.w = dim(info, fn, o, "w");
  d.k = dim(info, fn, o, "k", 1); d.stride = dim(info, fn, o, "stride", 1);
  d.oh = dim(info, fn, o, "oh"); d.ow = dim(info, fn, o, "ow");
  if ((d.oh > 0 && (d.oh - 1) * d.stride + d.k > d.h) || (d.ow > 0 && (d.ow - 1) * d.stride + d.k > d.w))
    range_error(info, std::string(fn) + ": dims.oh/ow are too large for the input with this kernel and stride");
  return d;
}

FN(MaxPool2d) {
  return guard(info, [&] {
    const char* FNAME = "maxPool2d";
    F32(0, out);
    Buf am = array_arg(info, FNAME, 1, "argmax", true);
    F32(2, x);
    const pool2d_dims d = pool_dims(info, FNAME, 3);
    const double outLen = double(d.n) * d.c * d.oh * d.ow;
    expect_len(info, FNAME, "out", out_, outLen);
    expect_len(info, FNAME, "argmax", am, outLen);
    expect_len(info, FNAME, "x", x_, double(d.n) * d.c * d.h * d.w);
    no_overlap(info, FNAME, out_, x_, "x");
    no_overlap(info, FNAME, am, x_, "x");
    no_overlap(info, FNAME, out_, am, "argmax");
    maxpool2d_f32(out, static_cast<int32_t*>(am.p), x, &d);
  });
}

FN(MaxPool2dBackward) {
  return guard(info, [&] {
    const char* FNAME = "maxPool2dBackward";
    F32(0, dx); F32(1, dy);
    Buf am = array_arg(info, FNAME, 2, "argmax", true);
    const pool2d_dims d = pool_dims(info, FNAME, 3);
    const double outLen = double(d.n) * d.c * d.oh * d.ow;
    expect_len(info, FNAME, "dx", dx_, double(d.n) * d.c * d.h * d.w);
    expect_len(info, FNAME, "dy", dy_, outLen);
    expect_len(info, FNAME, "argmax", am, outLen);
    no_overlap(info, FNAME, dx_, dy_, "dy");
    no_overlap(info, FNAME, dx_, am, "argmax");
    maxpool2d_backward_f32(dx, dy, static_cast<const int32_t*>(am.p), &d);
  });
}

// (out|dx, x|dy, n, c, h, w, scale); the big buffer is [n, c, h·s, w·s].
template <bool BACKWARD>
Value Upsample(const CallbackInfo& info) {
  return guard(info, [&] {
    const char* FNAME = BACKWARD ? "upsample2dBackward" : "upsample2d";
    F32(0, dst); F32(1, src);
    const int64_t n = int_arg(info, FNAME, 2, "n"), c = int_arg(info, FNAME, 3, "c"), h = int_arg(info, FNAME, 4, "h"),
                  w = int_arg(info, FNAME, 5, "w"), s = int_arg(info, FNAME, 6, "scale", 1);
    const double small = double(n) * c * h * w, big = small * s * s;
    expect_len(info, FNAME, BACKWARD ? "dx" : "out", dst_, BACKWARD ? small : big);
    expect_len(info, FNAME, BACKWARD ? "dy" : "x", src_, BACKWARD ? big : small);
    no_overlap(info, FNAME, dst_, src_, BACKWARD ? "dy" : "x");
    if (BACKWARD) upsample2d_backward_f32(dst, src, n, c, h, w, s);
    else upsample2d_f32(dst, src, n, c, h, w, s);
  });
}

FN(Transpose) {
  return guard(info, [&] {
    const char* FNAME = "transpose";
    F32(0, x); F32(1, out);
    int64_t shape[16], perm[16];
    const int nd = int_list(info, FNAME, 2, "shape", shape);
    if (int_list(info, FNAME, 3, "perm", perm) != nd) range_error(info, "transpose: shape and perm differ in length");
    bool seen[16] = {};
    double size = 1;
    for (int a = 0; a < nd; a++) {
      if (perm[a] >= nd || seen[perm[a]]) range_error(info, "transpose: perm is not a permutation of the axes");
      seen[perm[a]] = true;
      size *= double(shape[a]);
    }
    expect_len(info, FNAME, "x", x_, size);
    expect_len(info, FNAME, "out", out_, size);
    no_overlap(info, FNAME, out_, x_, "x");
    transpose_f32(x, out, nd, shape, perm);
  });
}

FN(SetThreads) {
  int64_t n = 0;
  guard(info, [&] { n = int_arg(info, "setThreads", 0, "n", 1); });
  if (info.Env().IsExceptionPending()) return info.Env().Undefined();
  return Napi::Number::New(info.Env(), lk_set_threads(int(n > 64 ? 64 : n)));
}

const char* isa_name(int level) { return level >= 2 ? "avx512" : level == 1 ? "avx2" : "portable"; }

// setIsa('avx512' | 'avx2' | 'portable'): the result is what is in effect (never above what the CPU has).
FN(SetIsa) {
  const char* expected = "setIsa: expected 'avx512', 'avx2' or 'portable'";
  if (info.Length() < 1 || !info[0].IsString()) {
    Napi::TypeError::New(info.Env(), expected).ThrowAsJavaScriptException();
    return info.Env().Undefined();
  }
  const std::string s = info[0].As<Napi::String>().Utf8Value();
  if (s != "avx512" && s != "avx2" && s != "portable") {
    Napi::RangeError::New(info.Env(), std::string(expected) + ", got '" + s + "'").ThrowAsJavaScriptException();
    return info.Env().Undefined();
  }
  return Napi::String::New(info.Env(), isa_name(lk_set_isa(s == "avx512" ? 2 : s == "avx2" ? 1 : 0)));
}

FN(Info) {
  Napi::Object o = Napi::Object::New(info.Env());
  o.Set("threads", lk_threads());
  o.Set("isa", isa_name(lk_isa()));
  o.Set("bestIsa", isa_name(lk_best_isa()));
  return o;
}

}  // namespace

namespace lkb {
void register_shapes(Napi::Env env, Napi::Object exports) {
  exports.Set("conv2d", Napi::Function::New(env, Conv2d));
  exports.Set("conv2dBackwardInput", Napi::Function::New(env, Conv2dBackwardInput));
  exports.Set("conv2dBackwardWeight", Napi::Function::New(env, Conv2dBackwardWeight));
  exports.Set("maxPool2d", Napi::Function::New(env, MaxPool2d));
  exports.Set("maxPool2dBackward", Napi::Function::New(env, MaxPool2dBackward));
  exports.Set("upsample2d", Napi::Function::New(env, Upsample<false>));
  exports.Set("upsample2dBackward", Napi::Function::New(env, Upsample<true>));
  exports.Set("transpose", Napi::Function::New(env, Transpose));
  exports.Set("setThreads", Napi::Function::New(env, SetThreads));
  exports.Set("setIsa", Napi::Function::New(env, SetIsa));
  exports.Set("info", Napi::Function::New(env, Info));
}
}  // namespace lkb
