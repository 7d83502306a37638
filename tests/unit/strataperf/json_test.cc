#include "tools/strataperf/json.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

namespace strata::perf {
namespace {

TEST(Json, ParsesADocument) {
  auto v = parseJson(R"({"a": [1, -2.5e3, true, false, null], "s": "x\"y\\z\n\u00e9\ud83d\ude00",
                         "o": {"k": 0.125}})");
  ASSERT_TRUE(v.ok()) << v.error().message;
  const auto& a = (*v)["a"].items();
  ASSERT_EQ(a.size(), 5u);
  EXPECT_EQ(a[0].asNumber(), 1);
  EXPECT_EQ(a[1].asNumber(), -2500);
  EXPECT_TRUE(a[2].asBool());
  EXPECT_FALSE(a[3].asBool(true));
  EXPECT_TRUE(a[4].isNull());
  EXPECT_EQ((*v)["s"].asString(), "x\"y\\z\n\xc3\xa9\xf0\x9f\x98\x80");
  EXPECT_EQ((*v)["o"]["k"].asNumber(), 0.125);
  EXPECT_TRUE((*v)["missing"].isNull());
  EXPECT_TRUE((*v)["a"]["not an object"].isNull());
}

TEST(Json, RejectsMalformedInput) {
  for (const char* bad :
       {"", "{", "[1,]", "{\"a\" 1}", "{\"a\":1,}", "tru", "\"abc", "01x", "1.", "-", "\"\\x\"",
        "\"\\ud800\"", "\"\\udc00\"", "[1] 2", "{1:2}", "\"a\tb\"", "1e"}) {
    EXPECT_FALSE(parseJson(bad).ok()) << bad;
  }
  auto e = parseJson("[1, 2 3]");
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.error().message.find("byte 6"), std::string::npos) << e.error().message;
}

TEST(Json, DepthLimit) {
  std::string deep(65, '[');
  deep += std::string(65, ']');
  EXPECT_FALSE(parseJson(deep).ok());
  std::string ok(64, '[');
  ok += std::string(64, ']');
  EXPECT_TRUE(parseJson(ok).ok());
}

TEST(Json, QuoteAndNumber) {
  EXPECT_EQ(jsonQuote("a\"b\\c\n\x01"), "\"a\\\"b\\\\c\\n\\u0001\"");
  EXPECT_EQ(jsonNumber(42), "42");
  EXPECT_EQ(jsonNumber(-0.5), "-0.5");
  EXPECT_EQ(jsonNumber(NAN), "null");
  auto back = parseJson(jsonQuote("tab\there \xc3\xa9"));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->asString(), "tab\there \xc3\xa9");
}

}  // namespace
}  // namespace strata::perf
