// The argument readers of binding_util.h, on the raw Node-API calls so that
// nothing here can leave an exception pending and then throw another.
#include "binding_util.h"
#include <cstring>

namespace lkb {

void type_error(const CallbackInfo& info, const std::string& msg) {
  napi_throw_type_error(info.Env(), nullptr, msg.c_str());
  throw Bad{};
}
void range_error(const CallbackInfo& info, const std::string& msg) {
  napi_throw_range_error(info.Env(), nullptr, msg.c_str());
  throw Bad{};
}

void rethrow_pending(const CallbackInfo& info, const char* fn, const std::string& what) {
  napi_env env = info.Env();
  bool pending = false;
  napi_is_exception_pending(env, &pending);
  if (!pending) return;
  napi_value err;
  napi_get_and_clear_last_exception(env, &err);
  std::string why = "an exception";
  napi_value str;
  if (napi_coerce_to_string(env, err, &str) == napi_ok) {
    char buf[256];
    size_t n = 0;
    if (napi_get_value_string_utf8(env, str, buf, sizeof buf, &n) == napi_ok) why = std::string(buf, n);
  }
  napi_is_exception_pending(env, &pending);  // coercing may itself have thrown
  if (pending) napi_get_and_clear_last_exception(env, &err);
  type_error(info, std::string(fn) + ": reading " + what + " threw (" + why + ")");
}

static napi_value arg(const CallbackInfo& info, size_t i) { return i < info.Length() ? napi_value(info[i]) : nullptr; }

Buf array_arg(const CallbackInfo& info, const char* fn, size_t i, const char* name, Elem elem) {
  const char* want = elem == Elem::i32 ? "Int32Array" : elem == Elem::f64 ? "Float64Array" : "Float32Array";
  const napi_typedarray_type wantType = elem == Elem::i32 ? napi_int32_array : elem == Elem::f64 ? napi_float64_array : napi_float32_array;
  napi_env env = info.Env();
  napi_value v = arg(info, i);
  bool is = false;
  if (!v || napi_is_typedarray(env, v, &is) != napi_ok || !is)
    type_error(info, std::string(fn) + ": argument '" + name + "' must be a " + want);
  napi_typedarray_type type;
  size_t length = 0, offset = 0;
  void* data = nullptr;
  napi_value ab = nullptr;
  if (napi_get_typedarray_info(env, v, &type, &length, &data, &ab, &offset) != napi_ok)
    type_error(info, std::string(fn) + ": argument '" + name + "' could not be read");
  if (type != wantType)
    type_error(info, std::string(fn) + ": argument '" + name + "' must be a " + want);
  bool detached = false;  // false for a SharedArrayBuffer, which cannot be detached
  if (ab && napi_is_detached_arraybuffer(env, ab, &detached) == napi_ok && detached) length = 0, data = nullptr;
  else detached = length > 0 && !data;
  if (detached) type_error(info, std::string(fn) + ": argument '" + name + "' is a detached buffer");
  // napi_get_typedarray_info's data already points at the first element
  return Buf{data, length, elem == Elem::f64 ? 8u : 4u};
}

int64_t int_value(const CallbackInfo& info, const char* fn, napi_value v, const std::string& name, int64_t lo) {
  napi_valuetype t = napi_undefined;
  if (v) napi_typeof(info.Env(), v, &t);
  if (t != napi_number) type_error(info, std::string(fn) + ": '" + name + "' must be a number");
  double d = 0;
  napi_get_value_double(info.Env(), v, &d);
  if (!(d == std::floor(d)) || d < double(lo) || d > 1099511627776.0)
    range_error(info, std::string(fn) + ": '" + name + "' must be an integer >= " + std::to_string(lo) + ", got " +
                          std::to_string(d));
  return int64_t(d);
}

int64_t int_arg(const CallbackInfo& info, const char* fn, size_t i, const char* name, int64_t lo) {
  if (i >= info.Length()) type_error(info, std::string(fn) + ": missing argument '" + name + "'");
  return int_value(info, fn, arg(info, i), name, lo);
}

double num_arg(const CallbackInfo& info, const char* fn, size_t i, const char* name, bool finite) {
  napi_value v = arg(info, i);
  napi_valuetype t = napi_undefined;
  if (v) napi_typeof(info.Env(), v, &t);
  if (t != napi_number) type_error(info, std::string(fn) + ": '" + name + "' must be a number");
  double d = 0;
  napi_get_value_double(info.Env(), v, &d);
  if (finite && !std::isfinite(d)) range_error(info, std::string(fn) + ": '" + name + "' must be finite");
  return d;
}

int enum_arg(const CallbackInfo& info, const char* fn, size_t i, const char* name, int count) {
  const int64_t c = int_arg(info, fn, i, name, 0);
  if (c >= count) range_error(info, std::string(fn) + ": unknown op code " + std::to_string(c));
  return int(c);
}

bool bool_arg(const CallbackInfo& info, size_t i) {
  napi_value v = arg(info, i), b;
  bool r = false;
  if (v && napi_coerce_to_bool(info.Env(), v, &b) == napi_ok) napi_get_value_bool(info.Env(), b, &r);
  return r;
}

int int_list(const CallbackInfo& info, const char* fn, size_t i, const char* name, int64_t* out) {
  napi_env env = info.Env();
  napi_value v = arg(info, i);
  bool is = false;
  if (!v || napi_is_array(env, v, &is) != napi_ok || !is) type_error(info, std::string(fn) + ": '" + name + "' must be an array");
  uint32_t n = 0;
  napi_get_array_length(env, v, &n);
  if (n > uint32_t(kMaxDims)) range_error(info, std::string(fn) + ": at most 16 dimensions are supported");
  for (uint32_t k = 0; k < n; k++) {
    const std::string what = std::string(name) + "[" + std::to_string(k) + "]";
    napi_value e = nullptr;
    if (napi_get_element(env, v, k, &e) != napi_ok) e = nullptr;
    rethrow_pending(info, fn, "'" + what + "'");
    out[k] = int_value(info, fn, e, what, 0);
  }
  return int(n);
}

Napi::Object object_arg(const CallbackInfo& info, const char* fn, size_t i, const char* name) {
  napi_valuetype t = napi_undefined;
  napi_value v = arg(info, i);
  if (v) napi_typeof(info.Env(), v, &t);
  if (t != napi_object) type_error(info, std::string(fn) + ": '" + name + "' must be an object");
  return Napi::Object(info.Env(), v);
}

int64_t field_arg(const CallbackInfo& info, const char* fn, const Napi::Object& o, const char* obj, const char* key, int64_t lo) {
  napi_value v = nullptr;
  if (napi_get_named_property(info.Env(), o, key, &v) != napi_ok) v = nullptr;
  const std::string what = std::string(obj) + "." + key;
  rethrow_pending(info, fn, "'" + what + "'");
  return int_value(info, fn, v, what, lo);
}

void expect_len(const CallbackInfo& info, const char* fn, const char* name, const Buf& b, double want) {
  if (double(b.len) != want)
    range_error(info, std::string(fn) + ": '" + name + "' has length " + std::to_string(b.len) + ", expected " +
                          (want < 9.2e18 ? std::to_string(int64_t(want)) : std::to_string(want)));
}

void no_overlap(const CallbackInfo& info, const char* fn, const Buf& out, const Buf& in, const char* name, bool same_ok) {
  const uint8_t* o = static_cast<uint8_t*>(out.p);
  const uint8_t* x = static_cast<uint8_t*>(in.p);
  if (!o || !x || out.len == 0 || in.len == 0) return;
  if (same_ok && o == x && out.len == in.len) return;
  if (o < x + in.bytes() && x < o + out.bytes())
    range_error(info, std::string(fn) + ": the output buffer overlaps '" + name + "'");
}

}  // namespace lkb
