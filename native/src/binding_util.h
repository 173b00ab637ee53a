// Argument checking shared by the binding files (see binding.cc).
#pragma once
#include <napi.h>
#include <cmath>
#include <string>
#include "kernels.h"

namespace lkb {

using Napi::CallbackInfo;
using Napi::Value;

struct Bad {};  // thrown after the JS exception is set; caught at the boundary

[[noreturn]] inline void type_error(const CallbackInfo& info, const std::string& msg) {
  Napi::TypeError::New(info.Env(), msg).ThrowAsJavaScriptException();
  throw Bad{};
}
[[noreturn]] inline void range_error(const CallbackInfo& info, const std::string& msg) {
  Napi::RangeError::New(info.Env(), msg).ThrowAsJavaScriptException();
  throw Bad{};
}

struct Buf {
  void* p;
  size_t len;  // elements
  size_t bytes() const { return len * 4; }
};

// A Float32Array (or Int32Array when int32) argument, its memory in place.
inline Buf array_arg(const CallbackInfo& info, const char* fn, size_t i, const char* name, bool int32 = false) {
  const char* want = int32 ? "Int32Array" : "Float32Array";
  if (i >= info.Length() || !info[i].IsTypedArray())
    type_error(info, std::string(fn) + ": argument '" + name + "' must be a " + want);
  Napi::TypedArray ta = info[i].As<Napi::TypedArray>();
  if (ta.TypedArrayType() != (int32 ? napi_int32_array : napi_float32_array))
    type_error(info, std::string(fn) + ": argument '" + name + "' must be a " + want);
  Napi::ArrayBuffer ab = ta.ArrayBuffer();
  if (ab.IsDetached()) type_error(info, std::string(fn) + ": argument '" + name + "' is a detached buffer");
  uint8_t* base = static_cast<uint8_t*>(ab.Data());
  return Buf{base ? base + ta.ByteOffset() : nullptr, ta.ElementLength()};
}

// A non-negative integer argument (a dimension), below 2^40.
inline int64_t int_value(const CallbackInfo& info, const char* fn, Napi::Value v, const std::string& name, int64_t lo = 0) {
  if (!v.IsNumber()) type_error(info, std::string(fn) + ": '" + name + "' must be a number");
  const double d = v.As<Napi::Number>().DoubleValue();
  if (!(d == std::floor(d)) || d < double(lo) || d > 1099511627776.0)
    range_error(info, std::string(fn) + ": '" + name + "' must be an integer >= " + std::to_string(lo) + ", got " +
                          std::to_string(d));
  return int64_t(d);
}
inline int64_t int_arg(const CallbackInfo& info, const char* fn, size_t i, const char* name, int64_t lo = 0) {
  if (i >= info.Length()) type_error(info, std::string(fn) + ": missing argument '" + name + "'");
  return int_value(info, fn, info[i], name, lo);
}
inline bool bool_arg(const CallbackInfo& info, size_t i) { return i < info.Length() && info[i].ToBoolean().Value(); }

// An array of small non-negative integers (a shape, strides or a permutation).
inline int int_list(const CallbackInfo& info, const char* fn, size_t i, const char* name, int64_t* out) {
  if (i >= info.Length() || !info[i].IsArray()) type_error(info, std::string(fn) + ": '" + name + "' must be an array");
  Napi::Array a = info[i].As<Napi::Array>();
  if (a.Length() > 16) range_error(info, std::string(fn) + ": at most 16 dimensions are supported");
  for (uint32_t k = 0; k < a.Length(); k++) out[k] = int_value(info, fn, a.Get(k), std::string(name) + "[" + std::to_string(k) + "]");
  return int(a.Length());
}

inline void expect_len(const CallbackInfo& info, const char* fn, const char* name, const Buf& b, double want) {
  if (double(b.len) != want)
    range_error(info, std::string(fn) + ": '" + name + "' has length " + std::to_string(b.len) + ", expected " +
                          std::to_string(int64_t(want)));
}

// Outputs must not overlap inputs (identical buffers allowed where `same_ok`).
inline void no_overlap(const CallbackInfo& info, const char* fn, const Buf& out, const Buf& in, const char* name, bool same_ok = false) {
  const uint8_t* o = static_cast<uint8_t*>(out.p);
  const uint8_t* x = static_cast<uint8_t*>(in.p);
  if (!o || !x || out.len == 0 || in.len == 0) return;
  if (same_ok && o == x && out.len == in.len) return;
  if (o < x + in.bytes() && x < o + out.bytes())
    range_error(info, std::string(fn) + ": the output buffer overlaps '" + name + "'");
}

template <class F>
Value guard(const CallbackInfo& info, F f) {
  try { f(); } catch (const Bad&) {}
  return info.Env().Undefined();
}

#define FN(name) Value name(const CallbackInfo& info)
#define F32(i, nm) Buf nm##_ = array_arg(info, FNAME, i, #nm); float* nm = static_cast<float*>(nm##_.p)

void register_shapes(Napi::Env env, Napi::Object exports);

}  // namespace lkb

using namespace lkb;
