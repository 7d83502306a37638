#include "refclock/leap.h"

#include <chrono>
#include <fstream>
#include <iterator>

namespace strata::refclock {

namespace {

constexpr int kTaiUtcBefore1972 = 10;

uint32_t be32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}
int64_t be64(const uint8_t* p) {
  return static_cast<int64_t>((uint64_t{be32(p)} << 32) | be32(p + 4));
}

struct TzifCounts {
  uint32_t isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;
};

constexpr size_t kHeaderSize = 44;

bool readHeader(std::span<const uint8_t> b, size_t at, char& version, TzifCounts& c) {
  if (b.size() < at + kHeaderSize) return false;
  const uint8_t* p = b.data() + at;
  if (p[0] != 'T' || p[1] != 'Z' || p[2] != 'i' || p[3] != 'f') return false;
  version = static_cast<char>(p[4]);
  c.isutcnt = be32(p + 20);
  c.isstdcnt = be32(p + 24);
  c.leapcnt = be32(p + 28);
  c.timecnt = be32(p + 32);
  c.typecnt = be32(p + 36);
  c.charcnt = be32(p + 40);
  return true;
}

// Size of a data block with `time_size`-byte times, or 0 if absurd.
uint64_t blockSize(const TzifCounts& c, uint64_t time_size) {
  const uint64_t kMax = 1u << 20;
  if (c.timecnt > kMax || c.typecnt > kMax || c.charcnt > kMax || c.leapcnt > kMax ||
      c.isstdcnt > kMax || c.isutcnt > kMax) {
    return 0;
  }
  return c.timecnt * time_size + c.timecnt + c.typecnt * 6ull + c.charcnt +
         c.leapcnt * (time_size + 4) + c.isstdcnt + c.isutcnt;
}

}  // namespace

common::Result<LeapSecondTable> LeapSecondTable::fromTzif(std::span<const uint8_t> bytes) {
  char version = 0;
  TzifCounts c1{};
  if (!readHeader(bytes, 0, version, c1)) return common::makeError("not a TZif file");
  uint64_t size1 = blockSize(c1, 4);
  if (size1 == 0 && (c1.timecnt | c1.typecnt | c1.charcnt | c1.leapcnt) != 0) {
    return common::makeError("TZif counts out of range");
  }
  if (bytes.size() < kHeaderSize + size1) return common::makeError("TZif file truncated");

  size_t leap_at;
  size_t time_size;
  TzifCounts c = c1;
  if (version >= '2') {
    size_t at2 = kHeaderSize + size1;
    char version2 = 0;
    if (!readHeader(bytes, at2, version2, c)) return common::makeError("TZif v2 header missing");
    uint64_t size2 = blockSize(c, 8);
    if (size2 == 0 && (c.timecnt | c.typecnt | c.charcnt | c.leapcnt) != 0) {
      return common::makeError("TZif counts out of range");
    }
    if (bytes.size() < at2 + kHeaderSize + size2) return common::makeError("TZif file truncated");
    time_size = 8;
    leap_at = at2 + kHeaderSize + c.timecnt * 8ull + c.timecnt + c.typecnt * 6ull + c.charcnt;
  } else {
    time_size = 4;
    leap_at = kHeaderSize + c.timecnt * 4ull + c.timecnt + c.typecnt * 6ull + c.charcnt;
  }

  if (leap_at + uint64_t{c.leapcnt} * (time_size + 4) > bytes.size()) {
    return common::makeError("TZif file truncated");
  }
  std::vector<LeapRecord> records;
  records.reserve(c.leapcnt);
  int64_t previous = 0;
  int64_t previous_time = INT64_MIN;
  for (uint32_t i = 0; i < c.leapcnt; ++i) {
    const uint8_t* p = bytes.data() + leap_at + i * (time_size + 4);
    int64_t occurrence = time_size == 8 ? be64(p) : static_cast<int32_t>(be32(p));
    int64_t correction = static_cast<int32_t>(be32(p + time_size));
    if (occurrence <= previous_time) return common::makeError("TZif leap records out of order");
    if (occurrence < -(int64_t{1} << 62) || occurrence > (int64_t{1} << 62)) {
      return common::makeError("TZif leap record time out of range");
    }
    if (correction - previous != 1 && correction - previous != -1) {
      return common::makeError("TZif leap record is not a single second");
    }
    // The occurrence is the leap second itself counted on the zone's leap-counting scale
    // (POSIX time + leaps so far): an inserted 23:59:60 sits at midnight + previous; a
    // deleted 23:59:59 at midnight - 1 + previous.
    int64_t midnight = occurrence - previous + (correction < previous ? 1 : 0);
    records.push_back({midnight, static_cast<int>(correction)});
    previous = correction;
    previous_time = occurrence;
  }
  return LeapSecondTable(std::move(records));
}

common::Result<LeapSecondTable> LeapSecondTable::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return common::makeError("cannot open " + path);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
  auto table = fromTzif(bytes);
  if (!table) return common::makeError(path + ": " + table.error().message);
  return table;
}

int LeapSecondTable::taiOffset(SysTime utc) const {
  int64_t t = std::chrono::floor<std::chrono::seconds>(utc).time_since_epoch().count();
  int correction = 0;
  for (const auto& r : records_) {
    if (t >= r.midnight_posix) correction = r.correction;
  }
  return kTaiUtcBefore1972 + correction;
}

LeapIndicator LeapSecondTable::leapAtEndOfDay(SysTime utc) const {
  int64_t midnight =
      std::chrono::floor<std::chrono::seconds>(nextMidnight(utc)).time_since_epoch().count();
  int previous = 0;
  for (const auto& r : records_) {
    if (r.midnight_posix == midnight) {
      return r.correction > previous ? LeapIndicator::kInsertSecond : LeapIndicator::kDeleteSecond;
    }
    previous = r.correction;
  }
  return LeapIndicator::kNone;
}

SysTime nextMidnight(SysTime utc) {
  auto day = std::chrono::floor<std::chrono::days>(utc);
  return SysTime(day + std::chrono::days(1));
}

bool isLeapAnnouncementDay(SysTime utc) {
  std::chrono::year_month_day ymd{std::chrono::floor<std::chrono::days>(utc)};
  unsigned m = static_cast<unsigned>(ymd.month());
  unsigned d = static_cast<unsigned>(ymd.day());
  return (m == 6 && d == 30) || (m == 12 && d == 31);
}

}  // namespace strata::refclock
