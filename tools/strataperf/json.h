#pragma once
// A small JSON reader and writer helpers, enough for strataperf's own result files (which
// --plot reads back, possibly edited or produced elsewhere: treat them as untrusted).
// Pure; thread-compatible. Limits: nesting depth 64, document size is the caller's.
// Numbers are doubles; strings support the standard escapes (\uXXXX decoded to UTF-8,
// surrogate pairs included).

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace strata::perf {

class JsonValue {
 public:
  enum class Type { kNull, kBool, kNumber, kString, kArray, kObject };

  JsonValue() = default;
  static JsonValue makeBool(bool b);
  static JsonValue makeNumber(double d);
  static JsonValue makeString(std::string s);
  static JsonValue makeArray(std::vector<JsonValue> items);
  static JsonValue makeObject(std::map<std::string, JsonValue> members);

  Type type() const { return type_; }
  bool isNull() const { return type_ == Type::kNull; }
  bool isNumber() const { return type_ == Type::kNumber; }
  bool isString() const { return type_ == Type::kString; }
  bool isArray() const { return type_ == Type::kArray; }
  bool isObject() const { return type_ == Type::kObject; }

  bool asBool(bool fallback = false) const { return type_ == Type::kBool ? bool_ : fallback; }
  double asNumber(double fallback = 0) const { return type_ == Type::kNumber ? number_ : fallback; }
  const std::string& asString() const { return string_; }         // empty unless a string
  const std::vector<JsonValue>& items() const { return array_; }  // empty unless an array
  // Member `key` of an object; a null value if absent or not an object.
  const JsonValue& operator[](std::string_view key) const;

 private:
  Type type_ = Type::kNull;
  bool bool_ = false;
  double number_ = 0;
  std::string string_;
  std::vector<JsonValue> array_;
  std::map<std::string, JsonValue, std::less<>> object_;
};

// Parses a whole document. Errors give the byte offset and what was expected.
common::Result<JsonValue> parseJson(std::string_view text);

// `s` as a JSON string literal, quotes included.
std::string jsonQuote(std::string_view s);
// A number for JSON: integers without a fraction, others with up to 9 significant digits;
// NaN and infinities (which JSON lacks) become null.
std::string jsonNumber(double d);

}  // namespace strata::perf
