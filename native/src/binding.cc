// Node-API binding: validates every argument (types, integer dimensions,
// buffer lengths, detached buffers, overlapping outputs) and then calls the
// C kernel on the Float32Array's own memory, synchronously. Errors are thrown
// as TypeError / RangeError; nothing here can crash the process on bad input.
#include "binding_util.h"

namespace {

FN(Matmul) {
  return guard(info, [&] {
    const char* FNAME = "matmul";
    F32(0, out); F32(1, a); F32(2, b);
    const int64_t batch = int_arg(info, FNAME, 3, "batch"), m = int_arg(info, FNAME, 4, "m"),
                  k = int_arg(info, FNAME, 5, "k"), n = int_arg(info, FNAME, 6, "n");
    expect_len(info, FNAME, "out", out_, double(batch) * m * n);
    expect_len(info, FNAME, "a", a_, double(batch) * m * k);
    expect_len(info, FNAME, "b", b_, double(batch) * k * n);
    no_overlap(info, FNAME, out_, a_, "a");
    no_overlap(info, FNAME, out_, b_, "b");
    matmul_f32(out, a, b, batch, m, k, n, bool_arg(info, 7), bool_arg(info, 8));
  });
}

FN(Unary) {
  return guard(info, [&] {
    const char* FNAME = "unary";
    const int64_t op = int_arg(info, FNAME, 0, "op");
    if (op >= LK_UNARY_COUNT) range_error(info, "unary: unknown op code " + std::to_string(op));
    F32(1, x); F32(2, out);
    expect_len(info, FNAME, "out", out_, double(x_.len));
    no_overlap(info, FNAME, out_, x_, "x", true);
    const double alpha = info.Length() > 3 && info[3].IsNumber() ? info[3].As<Napi::Number>().DoubleValue() : 0;
    const double beta = info.Length() > 4 && info[4].IsNumber() ? info[4].As<Napi::Number>().DoubleValue() : 0;
    unary_f32(int(op), x, out, int64_t(x_.len), float(alpha), float(beta));
  });
}

FN(Binary) {
  return guard(info, [&] {
    const char* FNAME = "binary";
    const int64_t op = int_arg(info, FNAME, 0, "op");
    if (op >= LK_BINARY_COUNT) range_error(info, "binary: unknown op code " + std::to_string(op));
    F32(1, a); F32(2, b); F32(3, out);
    int64_t shape[16], as[16], bs[16];
    const int nd = int_list(info, FNAME, 4, "outShape", shape);
    if (int_list(info, FNAME, 5, "aStrides", as) != nd || int_list(info, FNAME, 6, "bStrides", bs) != nd)
      range_error(info, "binary: outShape, aStrides and bStrides must have the same length");
    double size = 1, amax = 0, bmax = 0;
    for (int i = 0; i < nd; i++) {
      size *= double(shape[i]);
      amax += double(shape[i] > 0 ? shape[i] - 1 : 0) * double(as[i]);
      bmax += double(shape[i] > 0 ? shape[i] - 1 : 0) * double(bs[i]);
    }
    expect_len(info, FNAME, "out", out_, size);
    if (size > 0 && (amax >= double(a_.len) || bmax >= double(b_.len)))
      range_error(info, "binary: the strides reach past the end of an operand");
    no_overlap(info, FNAME, out_, a_, "a", true);
    no_overlap(info, FNAME, out_, b_, "b", true);
    binary_f32(int(op), a, b, out, nd, shape, as, bs, int64_t(a_.len), int64_t(b_.len));
  });
}

// (x, out, outer, n, inner) with out [outer, inner]; shared by reduce and logsumexp.
void reduce_args(const CallbackInfo& info, const char* FNAME, size_t at, float*& x, float*& out, int64_t* dims, bool full) {
  F32(at, xx); F32(at + 1, oo);
  dims[0] = int_arg(info, FNAME, at + 2, "outer");
  dims[1] = int_arg(info, FNAME, at + 3, "n");
  dims[2] = int_arg(info, FNAME, at + 4, "inner");
  expect_len(info, FNAME, "x", xx_, double(dims[0]) * dims[1] * dims[2]);
  expect_len(info, FNAME, "out", oo_, double(dims[0]) * (full ? dims[1] : 1) * dims[2]);
  no_overlap(info, FNAME, oo_, xx_, "x", full);
  x = xx; out = oo;
}

FN(Reduce) {
  return guard(info, [&] {
    const std::string op = info.Length() > 0 && info[0].IsString() ? info[0].As<Napi::String>().Utf8Value() : "";
    if (op != "sum" && op != "max") type_error(info, "reduce: op must be 'sum' or 'max'");
    float *x, *out; int64_t d[3];
    reduce_args(info, "reduce", 1, x, out, d, false);
    reduce_f32(op == "sum" ? LK_SUM : LK_MAX, x, out, d[0], d[1], d[2]);
  });
}

FN(Logsumexp) {
  return guard(info, [&] {
    float *x, *out; int64_t d[3];
    reduce_args(info, "logsumexp", 0, x, out, d, false);
    logsumexp_f32(x, out, d[0], d[1], d[2]);
  });
}

FN(Softmax) {
  return guard(info, [&] {
    float *x, *out; int64_t d[3];
    reduce_args(info, "softmax", 0, x, out, d, true);
    softmax_f32(x, out, d[0], d[1], d[2], bool_arg(info, 5));
  });
}

FN(Adam) {
  return guard(info, [&] {
    const char* FNAME = "adam";
    F32(0, p); F32(1, g); F32(2, m); F32(3, v);
    expect_len(info, FNAME, "g", g_, double(p_.len));
    expect_len(info, FNAME, "m", m_, double(p_.len));
    expect_len(info, FNAME, "v", v_, double(p_.len));
    no_overlap(info, FNAME, p_, g_, "g");
    no_overlap(info, FNAME, p_, m_, "m");
    no_overlap(info, FNAME, p_, v_, "v");
    no_overlap(info, FNAME, m_, v_, "v");
    double h[6];
    const char* names[6] = {"lr", "beta1", "beta2", "eps", "step", "weightDecay"};
    for (int i = 0; i < 6; i++) {
      if (size_t(4 + i) >= info.Length() || !info[4 + i].IsNumber())
        type_error(info, std::string("adam: '") + names[i] + "' must be a number");
      h[i] = info[4 + i].As<Napi::Number>().DoubleValue();
      if (!std::isfinite(h[i])) range_error(info, std::string("adam: '") + names[i] + "' must be finite");
    }
    if (h[4] < 1) range_error(info, "adam: 'step' must be >= 1");
    adam_f32(p, g, m, v, int64_t(p_.len), float(h[0]), float(h[1]), float(h[2]), float(h[3]), h[4], float(h[5]));
  });
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("matmul", Napi::Function::New(env, Matmul));
  exports.Set("unary", Napi::Function::New(env, Unary));
  exports.Set("binary", Napi::Function::New(env, Binary));
  exports.Set("reduce", Napi::Function::New(env, Reduce));
  exports.Set("logsumexp", Napi::Function::New(env, Logsumexp));
  exports.Set("softmax", Napi::Function::New(env, Softmax));
  exports.Set("adam", Napi::Function::New(env, Adam));
  register_shapes(env, exports);
  return exports;
}

}  // namespace

NODE_API_MODULE(latentkit_native, Init)
