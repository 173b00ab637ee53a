// Argument readers shared by the binding (binding.gen.cc is generated from
// src/backend/kernels.spec.mjs; the hand-written checks are in binding_checks.cc).
// Every reader either returns a checked value or sets one JS exception
// (TypeError / RangeError naming the kernel and the argument) and throws Bad,
// which `guard` catches at the boundary. A JS exception raised while reading
// (a throwing getter, a Proxy trap) is turned into a TypeError of the same
// kind, so no second exception is ever thrown while one is pending.
#pragma once
#include <napi.h>
#include <cmath>
#include <string>
#include "kernels.h"

namespace lkb {

using Napi::CallbackInfo;
using Napi::Value;

constexpr int kMaxDims = 16;

struct Bad {};  // thrown after the JS exception is set; caught at the boundary

[[noreturn]] void type_error(const CallbackInfo& info, const std::string& msg);
[[noreturn]] void range_error(const CallbackInfo& info, const std::string& msg);
// If reading `what` raised a JS exception, replace it by a TypeError that names it.
void rethrow_pending(const CallbackInfo& info, const char* fn, const std::string& what);

enum class Elem { f32, i32, f64 };

struct Buf {
  void* p;
  size_t len;  // elements
  size_t size;  // bytes per element
  size_t bytes() const { return len * size; }
};

// A Float32Array / Int32Array / Float64Array argument, its memory in place
// (SharedArrayBuffer-backed arrays too; a detached one is refused).
Buf array_arg(const CallbackInfo& info, const char* fn, size_t i, const char* name, Elem elem);
// A non-negative integer (a dimension) >= lo and below 2^40.
int64_t int_value(const CallbackInfo& info, const char* fn, napi_value v, const std::string& name, int64_t lo);
int64_t int_arg(const CallbackInfo& info, const char* fn, size_t i, const char* name, int64_t lo);
double num_arg(const CallbackInfo& info, const char* fn, size_t i, const char* name, bool finite);
int enum_arg(const CallbackInfo& info, const char* fn, size_t i, const char* name, int count);
bool bool_arg(const CallbackInfo& info, size_t i);
// An array of at most kMaxDims non-negative integers; returns its length.
int int_list(const CallbackInfo& info, const char* fn, size_t i, const char* name, int64_t* out);
Napi::Object object_arg(const CallbackInfo& info, const char* fn, size_t i, const char* name);
int64_t field_arg(const CallbackInfo& info, const char* fn, const Napi::Object& o, const char* obj, const char* key, int64_t lo);

inline double prod_of(const int64_t* xs, int n) {
  double p = 1;
  for (int i = 0; i < n; i++) p *= double(xs[i]);
  return p;
}

void expect_len(const CallbackInfo& info, const char* fn, const char* name, const Buf& b, double want);
// Outputs must not overlap inputs (the identical buffer allowed where `same_ok`).
void no_overlap(const CallbackInfo& info, const char* fn, const Buf& out, const Buf& in, const char* name, bool same_ok);

template <class F>
Value guard(const CallbackInfo& info, F f) {
  lk_pool_touch();  // keeps idle pool workers spinning while kernels are being called,
  try { f(); } catch (const Bad&) {}
  lk_pool_touch();  // and from the end of a long one-thread kernel
  return info.Env().Undefined();
}

void register_kernels(Napi::Env env, Napi::Object exports);

}  // namespace lkb

using namespace lkb;
