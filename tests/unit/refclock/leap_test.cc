#include "refclock/leap.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <vector>

#include "tests/unit/refclock/test_util.h"

namespace strata::refclock {
namespace {

using namespace testing;

void be32(std::vector<uint8_t>& b, uint32_t v) {
  for (int i = 3; i >= 0; --i) b.push_back(static_cast<uint8_t>(v >> (8 * i)));
}
void be64(std::vector<uint8_t>& b, int64_t v) {
  be32(b, static_cast<uint32_t>(static_cast<uint64_t>(v) >> 32));
  be32(b, static_cast<uint32_t>(v));
}
void header(std::vector<uint8_t>& b, char version, uint32_t leapcnt) {
  const char magic[] = {'T', 'Z', 'i', 'f'};
  b.insert(b.end(), magic, magic + 4);
  b.push_back(static_cast<uint8_t>(version));
  b.insert(b.end(), 15, 0);
  for (uint32_t c : {0u, 0u, leapcnt, 0u, 1u, 4u}) be32(b, c);
}
void body(std::vector<uint8_t>& b, const std::vector<std::pair<int64_t, int>>& leaps, bool wide) {
  b.insert(b.end(), {0, 0, 0, 0, 0, 0});  // one ttinfo
  b.insert(b.end(), {'U', 'T', 'C', 0});  // abbreviations
  for (auto [t, c] : leaps) {
    if (wide) {
      be64(b, t);
    } else {
      be32(b, static_cast<uint32_t>(t));
    }
    be32(b, static_cast<uint32_t>(c));
  }
}

// Two leaps: 1972-06-30 and 1972-12-31, as a right/ zone records them.
std::vector<uint8_t> tzif(char version) {
  std::vector<std::pair<int64_t, int>> leaps = {{78796800, 1}, {94694401, 2}};
  std::vector<uint8_t> b;
  header(b, version, 2);
  body(b, leaps, false);
  if (version >= '2') {
    header(b, version, 2);
    body(b, leaps, true);
    b.push_back('\n');
    b.push_back('\n');
  }
  return b;
}

TEST(LeapTable, ParsesVersionOneAndTwo) {
  for (char v : {'\0', '2', '3'}) {
    auto t = LeapSecondTable::fromTzif(tzif(v));
    ASSERT_TRUE(t) << t.error().message;
    ASSERT_EQ(t->records().size(), 2u);
    EXPECT_EQ(t->records()[0].midnight_posix, 78796800);  // 1972-07-01T00:00:00Z
    EXPECT_EQ(t->records()[1].midnight_posix, 94694400);  // 1973-01-01T00:00:00Z
  }
}

TEST(LeapTable, TaiOffsetAndLeapDay) {
  auto t = LeapSecondTable::fromTzif(tzif('2'));
  ASSERT_TRUE(t);
  auto utc = [](int64_t s) { return common::sysTimeFromNanos(s * kSec); };
  EXPECT_EQ(t->taiOffset(utc(78796799)), 10);
  EXPECT_EQ(t->taiOffset(utc(78796800)), 11);
  EXPECT_EQ(t->taiOffset(utc(94694400)), 12);
  EXPECT_EQ(t->leapAtEndOfDay(utc(78796800 - 3600)), LeapIndicator::kInsertSecond);
  EXPECT_EQ(t->leapAtEndOfDay(utc(78796800 - 86400 - 1)), LeapIndicator::kNone);
  EXPECT_EQ(t->leapAtEndOfDay(utc(78796800)), LeapIndicator::kNone);
}

TEST(LeapTable, RejectsGarbage) {
  std::vector<uint8_t> junk = {'T', 'Z', 'i', 'x'};
  EXPECT_FALSE(LeapSecondTable::fromTzif(junk));
  auto b = tzif('2');
  b.resize(b.size() - 20);
  EXPECT_FALSE(LeapSecondTable::fromTzif(b));
  std::vector<uint8_t> huge;
  header(huge, '\0', 0x7fffffff);
  EXPECT_FALSE(LeapSecondTable::fromTzif(huge));
}

TEST(LeapTable, SystemRightUtcIfInstalled) {
  const char* path = "/usr/share/zoneinfo/right/UTC";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << path << " not installed";
  auto t = LeapSecondTable::load(path);
  ASSERT_TRUE(t) << t.error().message;
  auto utc = [](int64_t s) { return common::sysTimeFromNanos(s * kSec); };
  EXPECT_EQ(t->taiOffset(utc(1'700'000'000)), 37);
  EXPECT_EQ(t->leapAtEndOfDay(utc(1483228800 - 10)), LeapIndicator::kInsertSecond);
}

TEST(LeapCalendar, MidnightAndAnnouncementDays) {
  auto utc = [](int64_t s) { return common::sysTimeFromNanos(s * kSec); };
  EXPECT_EQ(nextMidnight(utc(1483228800 - 10)), utc(1483228800));
  EXPECT_EQ(nextMidnight(utc(1483228800)), utc(1483228800 + 86400));
  EXPECT_TRUE(isLeapAnnouncementDay(utc(1483228800 - 10)));   // 2016-12-31
  EXPECT_FALSE(isLeapAnnouncementDay(utc(1483228800 + 10)));  // 2017-01-01
  EXPECT_TRUE(isLeapAnnouncementDay(utc(1435708800 - 10)));   // 2015-06-30
}

}  // namespace
}  // namespace strata::refclock
