#include "server/config/numbers.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <string>

namespace strata::config {

namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }

// The pieces of a decimal number, as text, after checking the grammar in numbers.h.
struct Decimal {
  bool negative = false;
  std::string_view int_digits;
  std::string_view frac_digits;
  bool has_point = false;
  bool exp_negative = false;
  std::string_view exp_digits;
};

std::optional<Decimal> splitDecimal(std::string_view s) {
  Decimal d;
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    d.negative = s[i] == '-';
    ++i;
  }
  size_t start = i;
  while (i < s.size() && isDigit(s[i])) ++i;
  d.int_digits = s.substr(start, i - start);
  if (i < s.size() && s[i] == '.') {
    d.has_point = true;
    ++i;
    start = i;
    while (i < s.size() && isDigit(s[i])) ++i;
    d.frac_digits = s.substr(start, i - start);
  }
  if (d.int_digits.empty() && d.frac_digits.empty()) return std::nullopt;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
      d.exp_negative = s[i] == '-';
      ++i;
    }
    start = i;
    while (i < s.size() && isDigit(s[i])) ++i;
    d.exp_digits = s.substr(start, i - start);
    if (d.exp_digits.empty()) return std::nullopt;
  }
  if (i != s.size()) return std::nullopt;
  return d;
}

}  // namespace

std::optional<int64_t> parseInteger(std::string_view text) {
  if (!text.empty() && text.front() == '+') {
    text.remove_prefix(1);
    if (!text.empty() && text.front() == '-') return std::nullopt;
  }
  if (text.empty()) return std::nullopt;
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<double> parseReal(std::string_view text) {
  if (!splitDecimal(text)) return std::nullopt;
  if (text.front() == '+') text.remove_prefix(1);
  double value = 0;
  auto [end, ec] =
      std::from_chars(text.data(), text.data() + text.size(), value, std::chars_format::general);
  // Out-of-range results (ERANGE) are refused rather than saturated.
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

std::optional<common::Nanos> parseSeconds(std::string_view text) {
  auto d = splitDecimal(text);
  if (!d) return std::nullopt;

  // Exponent, saturated far beyond anything that can still give a representable value.
  constexpr int64_t kExpCap = 1'000'000;
  int64_t exp10 = 0;
  for (char c : d->exp_digits) {
    exp10 = exp10 * 10 + (c - '0');
    if (exp10 > kExpCap) exp10 = kExpCap;
  }
  if (d->exp_negative) exp10 = -exp10;

  // Significant digits (leading zeros dropped) and the power of ten that makes them
  // nanoseconds: value_ns = digits * 10^shift.
  std::string digits;
  digits.reserve(d->int_digits.size() + d->frac_digits.size());
  for (char c : d->int_digits) {
    if (!(digits.empty() && c == '0')) digits.push_back(c);
  }
  for (char c : d->frac_digits) {
    if (!(digits.empty() && c == '0')) digits.push_back(c);
  }
  if (digits.empty()) return common::Nanos(0);
  // Trailing zeros of the fraction only scale the number: drop them to keep `digits` short.
  int64_t shift = exp10 + 9 - static_cast<int64_t>(d->frac_digits.size());
  while (digits.size() > 1 && digits.back() == '0') {
    digits.pop_back();
    ++shift;
  }

  constexpr uint64_t kMax = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  uint64_t magnitude = 0;
  int64_t keep = static_cast<int64_t>(digits.size()) + std::min<int64_t>(shift, 0);
  if (keep > 19) return std::nullopt;
  for (int64_t i = 0; i < keep; ++i) {
    magnitude = magnitude * 10 + static_cast<uint64_t>(digits[static_cast<size_t>(i)] - '0');
  }
  if (shift > 0) {
    for (int64_t i = 0; i < shift; ++i) {
      if (magnitude > kMax / 10) return std::nullopt;
      magnitude *= 10;
    }
  } else if (keep >= 0 && keep < static_cast<int64_t>(digits.size()) &&
             digits[static_cast<size_t>(keep)] >= '5') {
    ++magnitude;  // round half away from zero on the first dropped digit
  }
  if (magnitude > kMax) return std::nullopt;
  int64_t value = static_cast<int64_t>(magnitude);
  return common::Nanos(d->negative ? -value : value);
}

std::string formatSeconds(common::Nanos d) {
  int64_t ns = d.count();
  bool negative = ns < 0;
  uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(ns) : static_cast<uint64_t>(ns);
  uint64_t whole = magnitude / 1'000'000'000u;
  uint64_t frac = magnitude % 1'000'000'000u;
  std::string out = negative ? "-" : "";
  out += std::to_string(whole);
  if (frac != 0) {
    std::string f = std::to_string(frac);
    f.insert(0, 9 - f.size(), '0');
    while (f.back() == '0') f.pop_back();
    out += '.';
    out += f;
  }
  return out;
}

std::string formatReal(double value) {
  // Plain decimals read better ("500000", "0.0000001"); very large or small magnitudes fall
  // back to the shortest form with an exponent. Both are shortest round-trip forms.
  char buf[400];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed);
  if (ec == std::errc() && end - buf <= 24) return std::string(buf, end);
  auto [end2, ec2] = std::to_chars(buf, buf + sizeof buf, value);
  if (ec2 != std::errc()) return "0";
  return std::string(buf, end2);
}

}  // namespace strata::config
