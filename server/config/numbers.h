#pragma once
// The number forms of chrony.conf, parsed strictly (the whole word must be the number) and
// printed so that parsing the printed text gives back exactly the same value. Pure;
// thread-safe.
//
// Accepted decimal form (integers and reals):  [+-] digits [. [digits]] [(e|E) [+-] digits]
//                                         or:  [+-] . digits [(e|E) [+-] digits]
// e.g. "1", "-1", "+5", "1.0", "0.1", ".5", "1e-6", "100e-9". Integers take no fraction or
// exponent. Not accepted (chrony's sscanf would take them): hexadecimal, "inf", "nan",
// trailing garbage such as "12abc", a comma as decimal separator.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/ntp_time.h"

namespace strata::config {

// "[+-]digits" within the int64 range.
std::optional<int64_t> parseInteger(std::string_view text);

// A finite decimal real, correctly rounded to the nearest double.
std::optional<double> parseReal(std::string_view text);

// A decimal number of seconds converted exactly to nanoseconds, rounding half away from zero
// (so "1e-10" is 0 ns and "1.5e-9" is 2 ns). Empty if not a decimal or beyond the Nanos range.
std::optional<common::Nanos> parseSeconds(std::string_view text);

// Seconds as the shortest exact decimal: 3 s -> "3", 1.5 ms -> "0.0015", -37 s -> "-37",
// 1 ns -> "0.000000001". parseSeconds(formatSeconds(d)) == d for every d.
std::string formatSeconds(common::Nanos d);

// A shortest decimal that parses back to the same double: plain when at most 24 characters
// ("3", "0.1", "0.0000001", "500000", "83333.33333333333"), else with an exponent
// ("1e-30"). For finite values only.
std::string formatReal(double value);

}  // namespace strata::config
