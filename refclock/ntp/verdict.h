#pragma once
// What became of each response an upstream NTP source sent us, and where our packet
// timestamps came from. Every response gets exactly one Verdict; the NTP client counts them
// per source (ntpdata, metrics) and logs the first of each kind once.
//
// Verdicts are decided in RFC 5905 order: structure, source, tests 1-3, kiss codes, tests 6-7,
// interleaved consistency, tests A-D; the first failure is the verdict.
//
// Pure; thread-compatible.

#include <array>
#include <cstddef>
#include <cstdint>

namespace strata::refclock::ntp {

enum class Verdict : uint8_t {
  kGood = 0,          // produced a sample
  kFiltered,          // good, held by the `filter` option until its interval completes
  kMalformed,         // not a well-formed NTP packet
  kNotServerMode,     // mode other than 4
  kBadVersion,        // version outside 1..4, or not the request's version
  kWrongSource,       // from an address/port we did not send the request to (shared socket)
  kUnsolicited,       // no request is waiting for an answer
  kDuplicate,         // test 1: the request was already answered, or the same transmit again
  kLate,              // answers the request before the current one (arrived after a new send)
  kBogus,             // test 2: origin matches none of our outstanding request's fields
  kKodRate,           // kiss code RATE: poll less often
  kKodDeny,           // kiss code DENY: stop polling this address
  kKodRstr,           // kiss code RSTR: stop polling this address
  kKodOther,          // another kiss code (INIT, STEP, ...): ignored
  kZeroTimestamps,    // test 3: receive or transmit timestamp is zero
  kUnsynchronised,    // test 6: leap 3 or stratum >= 16
  kBadHeader,         // test 7: root distance >= 16 s or reference time after transmit time
  kBadInterleaved,    // interleaved reply without usable state, or inconsistent timestamps
  kBadDelay,          // the exchange's round-trip delay is negative beyond any timestamp error
  kMaxDelay,          // test A: delay above `maxdelay`
  kMaxDelayRatio,     // test B: delay / minimum delay above `maxdelayratio`
  kMaxDelayDevRatio,  // test C: delay increase above `maxdelaydevratio` x the jitter
  kSyncLoop,          // test D: the source is synchronised to us
  kCount
};
inline constexpr size_t kVerdictCount = static_cast<size_t>(Verdict::kCount);
using VerdictCounters = std::array<uint64_t, kVerdictCount>;

// Short snake_case name ("max_delay"), for metrics and logs.
const char* verdictName(Verdict v);
// A sentence for the one-time log line.
const char* verdictDescription(Verdict v);

// chrony's ten tests of a response (`ntpdata` "NTP tests", measurements.log); true = passed.
// The core evaluates every test it has the data for, like chrony, so a response failing test 2
// may still show which header tests it would have passed; tests it could not run are false.
struct TestResults {
  bool duplicate_ok = false;   // test 1
  bool origin_ok = false;      // test 2
  bool timestamps_ok = false;  // test 3
  bool auth_ok = true;         // test 5 (no authentication configured: passed)
  bool sync_ok = false;        // test 6
  bool header_ok = false;      // test 7
  bool max_delay_ok = false;   // test A
  bool ratio_ok = false;       // test B
  bool dev_ratio_ok = false;   // test C
  bool loop_ok = false;        // test D

  // Bit 9 = test 1 ... bit 0 = test D.
  uint16_t bits() const;
  // As measurements.log lists them: tests 1, 2, 3, 5, 6, 7, A, B, C, D.
  void toArray(bool (&out)[10]) const;
};
// The bits as chronyc prints them: "111 111 1111".
void formatTestBits(uint16_t bits, char (&out)[13]);

// Where a packet timestamp was taken: in the daemon (a clock reading around send/receive),
// by the kernel (SO_TIMESTAMPING software), or by the NIC.
enum class StampSource : uint8_t { kDaemon = 0, kKernel = 1, kHardware = 2 };
// 'D', 'K', 'H' as chronyc and measurements.log show it.
char stampSourceLetter(StampSource s);

}  // namespace strata::refclock::ntp
