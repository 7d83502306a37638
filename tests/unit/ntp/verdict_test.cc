#include "refclock/ntp/verdict.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace strata::refclock::ntp {
namespace {

TEST(VerdictTest, EveryVerdictHasADistinctNameAndADescription) {
  std::set<std::string> names;
  for (size_t i = 0; i < kVerdictCount; ++i) {
    auto v = static_cast<Verdict>(i);
    EXPECT_STRNE(verdictName(v), "unknown");
    EXPECT_STRNE(verdictDescription(v), "unknown");
    names.insert(verdictName(v));
  }
  EXPECT_EQ(names.size(), kVerdictCount);
  EXPECT_LE(kVerdictCount, 30u);  // the client logs each once with a bit in a 32-bit mask
}

TEST(VerdictTest, TestBitsInChronysOrder) {
  TestResults t;
  EXPECT_EQ(t.bits(), 0b0001000000);  // only test 5 (no authentication) passes by default
  t = TestResults{true, true, true, true, true, true, true, true, true, true};
  EXPECT_EQ(t.bits(), 0x3FF);
  t.origin_ok = false;
  t.loop_ok = false;
  EXPECT_EQ(t.bits(), 0b1011111110);
  char text[13];
  formatTestBits(t.bits(), text);
  EXPECT_STREQ(text, "101 111 1110");
  bool a[10];
  t.toArray(a);
  EXPECT_FALSE(a[1]);
  EXPECT_FALSE(a[9]);
  EXPECT_TRUE(a[3]);
}

TEST(VerdictTest, StampSourceLetters) {
  EXPECT_EQ(stampSourceLetter(StampSource::kDaemon), 'D');
  EXPECT_EQ(stampSourceLetter(StampSource::kKernel), 'K');
  EXPECT_EQ(stampSourceLetter(StampSource::kHardware), 'H');
}

}  // namespace
}  // namespace strata::refclock::ntp
