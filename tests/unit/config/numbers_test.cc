#include "server/config/numbers.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>

namespace strata::config {
namespace {

using common::Nanos;

TEST(ParseInteger, AcceptsSignedDecimal) {
  EXPECT_EQ(parseInteger("0"), 0);
  EXPECT_EQ(parseInteger("123"), 123);
  EXPECT_EQ(parseInteger("-1"), -1);
  EXPECT_EQ(parseInteger("+5"), 5);
  EXPECT_EQ(parseInteger("9223372036854775807"), std::numeric_limits<int64_t>::max());
}

TEST(ParseInteger, RefusesEverythingElse) {
  for (const char* bad : {"", "+", "-", "1.0", "1e3", "12abc", "0x10", " 1", "1 ", "+-1",
                          "9223372036854775808", "one"}) {
    EXPECT_FALSE(parseInteger(bad)) << bad;
  }
}

TEST(ParseReal, AcceptsChronyForms) {
  EXPECT_EQ(parseReal("1.0"), 1.0);
  EXPECT_EQ(parseReal("-1"), -1.0);
  EXPECT_EQ(parseReal("1e-6"), 1e-6);
  EXPECT_EQ(parseReal("0.1"), 0.1);
  EXPECT_EQ(parseReal("100e-9"), 100e-9);
  EXPECT_EQ(parseReal("+2.5"), 2.5);
  EXPECT_EQ(parseReal(".5"), 0.5);
  EXPECT_EQ(parseReal("5."), 5.0);
  EXPECT_EQ(parseReal("1E3"), 1000.0);
  EXPECT_EQ(parseReal("83333.333"), 83333.333);
}

TEST(ParseReal, RefusesNonDecimalAndNonFinite) {
  for (const char* bad : {"", ".", "-", "e5", "1e", "1e+", "inf", "-inf", "nan", "0x10", "0x1p3",
                          "1,0", "12abc", "1.0.0", "1e999", "--1", "+-1"}) {
    EXPECT_FALSE(parseReal(bad)) << bad;
  }
}

TEST(ParseSeconds, ConvertsExactlyToNanoseconds) {
  EXPECT_EQ(parseSeconds("1"), Nanos(1'000'000'000));
  EXPECT_EQ(parseSeconds("1.0"), Nanos(1'000'000'000));
  EXPECT_EQ(parseSeconds("0.1"), Nanos(100'000'000));
  EXPECT_EQ(parseSeconds("1e-6"), Nanos(1000));
  EXPECT_EQ(parseSeconds("100e-9"), Nanos(100));
  EXPECT_EQ(parseSeconds("-0.00005"), Nanos(-50'000));
  EXPECT_EQ(parseSeconds("-37"), Nanos(-37'000'000'000));
  EXPECT_EQ(parseSeconds("0.000000001"), Nanos(1));
  EXPECT_EQ(parseSeconds("1e3"), Nanos(1'000'000'000'000));
  EXPECT_EQ(parseSeconds("000.5000"), Nanos(500'000'000));
  EXPECT_EQ(parseSeconds("-0"), Nanos(0));
  EXPECT_EQ(parseSeconds("0e999999999999"), Nanos(0));
}

TEST(ParseSeconds, RoundsHalfAwayFromZero) {
  EXPECT_EQ(parseSeconds("1e-10"), Nanos(0));
  EXPECT_EQ(parseSeconds("4.9e-10"), Nanos(0));
  EXPECT_EQ(parseSeconds("5e-10"), Nanos(1));
  EXPECT_EQ(parseSeconds("1.5e-9"), Nanos(2));
  EXPECT_EQ(parseSeconds("-1.5e-9"), Nanos(-2));
  EXPECT_EQ(parseSeconds("0.0000000014999"), Nanos(1));
  EXPECT_EQ(parseSeconds("1e-999999999"), Nanos(0));
}

TEST(ParseSeconds, RefusesOverflowAndGarbage) {
  EXPECT_EQ(parseSeconds("9223372036.854775807"), Nanos(std::numeric_limits<int64_t>::max()));
  EXPECT_FALSE(parseSeconds("9223372036.854775808"));
  EXPECT_FALSE(parseSeconds("9223372036.8547758075"));  // rounds up past the limit
  EXPECT_FALSE(parseSeconds("1e10"));
  EXPECT_FALSE(parseSeconds("1e999999999999"));
  for (const char* bad : {"", "x", "1s", "inf", "nan", "0x1", "1,5"}) {
    EXPECT_FALSE(parseSeconds(bad)) << bad;
  }
}

TEST(FormatSeconds, PrintsShortestExactDecimal) {
  EXPECT_EQ(formatSeconds(Nanos(3'000'000'000)), "3");
  EXPECT_EQ(formatSeconds(Nanos(1'500'000)), "0.0015");
  EXPECT_EQ(formatSeconds(Nanos(-37'000'000'000)), "-37");
  EXPECT_EQ(formatSeconds(Nanos(1)), "0.000000001");
  EXPECT_EQ(formatSeconds(Nanos(-50'000)), "-0.00005");
  EXPECT_EQ(formatSeconds(Nanos(0)), "0");
  EXPECT_EQ(formatSeconds(Nanos(std::numeric_limits<int64_t>::min())), "-9223372036.854775808");
}

TEST(FormatSeconds, RoundTripsRandomDurations) {
  std::mt19937_64 rng(1234);
  for (int i = 0; i < 20000; ++i) {
    int64_t ns = static_cast<int64_t>(rng());
    if (i % 3 == 0) ns %= 1'000'000'000;  // sub-second values too
    auto back = parseSeconds(formatSeconds(Nanos(ns)));
    ASSERT_TRUE(back) << ns;
    EXPECT_EQ(back->count(), ns);
  }
}

TEST(FormatReal, PrintsPlainDecimalsWhenShort) {
  EXPECT_EQ(formatReal(3.0), "3");
  EXPECT_EQ(formatReal(0.1), "0.1");
  EXPECT_EQ(formatReal(500000.0), "500000");
  EXPECT_EQ(formatReal(1e-7), "0.0000001");
  EXPECT_EQ(formatReal(1e6 / 12.0), "83333.33333333333");
  EXPECT_EQ(formatReal(-0.5), "-0.5");
  EXPECT_EQ(formatReal(1e-30), "1e-30");
}

TEST(FormatReal, RoundTripsRandomDoubles) {
  std::mt19937_64 rng(99);
  std::uniform_real_distribution<double> mant(-1.0, 1.0);
  std::uniform_int_distribution<int> exp(-40, 12);
  for (int i = 0; i < 20000; ++i) {
    double v = mant(rng) * std::pow(10.0, exp(rng));
    auto back = parseReal(formatReal(v));
    ASSERT_TRUE(back) << formatReal(v);
    EXPECT_EQ(*back, v) << formatReal(v);
  }
}

}  // namespace
}  // namespace strata::config
