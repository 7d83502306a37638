#pragma once
// Leap seconds: the table of a "right/" time zone (chrony's `leapsectz right/UTC`), read from
// its TZif file, and calendar helpers. The TZif parser is pure (bytes in, table out) and
// fuzzed; LeapSecondTable::load() is the file-reading shell.
//
// Thread-compatible values.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"
#include "refclock/sample.h"

namespace strata::refclock {

struct LeapRecord {
  int64_t midnight_posix = 0;  // POSIX time of the 00:00:00 that follows the leap second
  int correction = 0;          // leap seconds inserted (minus deleted) in total from then on
};

class LeapSecondTable {
 public:
  LeapSecondTable() = default;
  explicit LeapSecondTable(std::vector<LeapRecord> records) : records_(std::move(records)) {}

  // Parses the leap-second records of a TZif file (versions 1 to 4; the 64-bit block when
  // present). A file without leap records gives an empty table, not an error.
  static common::Result<LeapSecondTable> fromTzif(std::span<const uint8_t> bytes);
  // Reads a zone file, e.g. /usr/share/zoneinfo/right/UTC.
  static common::Result<LeapSecondTable> load(const std::string& path);

  // TAI - UTC in seconds at `utc` (10 before the first leap of 1972).
  int taiOffset(SysTime utc) const;
  // The leap second at the end of the UTC day containing `utc`, if any.
  LeapIndicator leapAtEndOfDay(SysTime utc) const;
  const std::vector<LeapRecord>& records() const { return records_; }

 private:
  std::vector<LeapRecord> records_;
};

// 00:00:00 UTC of the day after the one containing `utc`.
SysTime nextMidnight(SysTime utc);
// Whether `utc` falls on 30 June or 31 December (the days chrony accepts leap announcements
// from sources on).
bool isLeapAnnouncementDay(SysTime utc);

}  // namespace strata::refclock
