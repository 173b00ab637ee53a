// Node-API entry point: the kernels (binding.gen.cc, generated from
// src/backend/kernels.spec.mjs) and the controls (threads, instruction set).
// Every argument is validated before a kernel runs; bad input becomes a
// TypeError / RangeError, never a crash.
#include "binding_util.h"

namespace {

Value SetThreads(const CallbackInfo& info) {
  int64_t n = 0;
  guard(info, [&] { n = int_arg(info, "setThreads", 0, "n", 1); });
  if (info.Env().IsExceptionPending()) return info.Env().Undefined();
  return Napi::Number::New(info.Env(), lk_set_threads(int(n > 64 ? 64 : n)));
}

const char* isa_name(int level) { return level >= 2 ? "avx512" : level == 1 ? "avx2" : "portable"; }

// setIsa('avx512' | 'avx2' | 'portable'): the result is what is in effect (never above what the CPU has).
Value SetIsa(const CallbackInfo& info) {
  const char* expected = "setIsa: expected 'avx512', 'avx2' or 'portable'";
  napi_valuetype t = napi_undefined;
  if (info.Length() >= 1) napi_typeof(info.Env(), info[0], &t);
  if (t != napi_string) {
    napi_throw_type_error(info.Env(), nullptr, expected);
    return info.Env().Undefined();
  }
  const std::string s = info[0].As<Napi::String>().Utf8Value();
  if (s != "avx512" && s != "avx2" && s != "portable") {
    napi_throw_range_error(info.Env(), nullptr, (std::string(expected) + ", got '" + s + "'").c_str());
    return info.Env().Undefined();
  }
  return Napi::String::New(info.Env(), isa_name(lk_set_isa(s == "avx512" ? 2 : s == "avx2" ? 1 : 0)));
}

Value Info(const CallbackInfo& info) {
  Napi::Object o = Napi::Object::New(info.Env());
  o.Set("threads", lk_threads());
  o.Set("isa", isa_name(lk_isa()));
  o.Set("bestIsa", isa_name(lk_best_isa()));
  return o;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  register_kernels(env, exports);
  exports.Set("setThreads", Napi::Function::New(env, SetThreads));
  exports.Set("setIsa", Napi::Function::New(env, SetIsa));
  exports.Set("info", Napi::Function::New(env, Info));
  return exports;
}

}  // namespace

NODE_API_MODULE(latentkit_native, Init)
