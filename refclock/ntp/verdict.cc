#include "refclock/ntp/verdict.h"

namespace strata::refclock::ntp {

const char* verdictName(Verdict v) {
  switch (v) {
    case Verdict::kGood:
      return "good";
    case Verdict::kFiltered:
      return "filtered";
    case Verdict::kMalformed:
      return "malformed";
    case Verdict::kNotServerMode:
      return "not_server_mode";
    case Verdict::kBadVersion:
      return "bad_version";
    case Verdict::kWrongSource:
      return "wrong_source";
    case Verdict::kUnsolicited:
      return "unsolicited";
    case Verdict::kDuplicate:
      return "duplicate";
    case Verdict::kLate:
      return "late";
    case Verdict::kBogus:
      return "bogus";
    case Verdict::kKodRate:
      return "kod_rate";
    case Verdict::kKodDeny:
      return "kod_deny";
    case Verdict::kKodRstr:
      return "kod_rstr";
    case Verdict::kKodOther:
      return "kod_other";
    case Verdict::kZeroTimestamps:
      return "zero_timestamps";
    case Verdict::kUnsynchronised:
      return "unsynchronised";
    case Verdict::kBadHeader:
      return "bad_header";
    case Verdict::kBadInterleaved:
      return "bad_interleaved";
    case Verdict::kBadDelay:
      return "bad_delay";
    case Verdict::kMaxDelay:
      return "max_delay";
    case Verdict::kMaxDelayRatio:
      return "max_delay_ratio";
    case Verdict::kMaxDelayDevRatio:
      return "max_delay_dev_ratio";
    case Verdict::kSyncLoop:
      return "sync_loop";
    case Verdict::kCount:
      break;
  }
  return "unknown";
}

const char* verdictDescription(Verdict v) {
  switch (v) {
    case Verdict::kGood:
      return "good response";
    case Verdict::kFiltered:
      return "good response held by the filter";
    case Verdict::kMalformed:
      return "malformed packet";
    case Verdict::kNotServerMode:
      return "packet is not a server-mode response";
    case Verdict::kBadVersion:
      return "response has an unexpected NTP version";
    case Verdict::kWrongSource:
      return "packet from an address or port we did not ask";
    case Verdict::kUnsolicited:
      return "response while no request was outstanding";
    case Verdict::kDuplicate:
      return "duplicate response (test 1)";
    case Verdict::kLate:
      return "response to an earlier request arrived too late";
    case Verdict::kBogus:
      return "origin timestamp matches no request (test 2)";
    case Verdict::kKodRate:
      return "kiss-o'-death RATE: polling less often";
    case Verdict::kKodDeny:
      return "kiss-o'-death DENY: no more requests to this address";
    case Verdict::kKodRstr:
      return "kiss-o'-death RSTR: no more requests to this address";
    case Verdict::kKodOther:
      return "kiss-o'-death with another code: ignored";
    case Verdict::kZeroTimestamps:
      return "zero receive or transmit timestamp (test 3)";
    case Verdict::kUnsynchronised:
      return "source is not synchronised (test 6)";
    case Verdict::kBadHeader:
      return "root distance or reference time out of range (test 7)";
    case Verdict::kBadInterleaved:
      return "interleaved response without usable timestamps";
    case Verdict::kBadDelay:
      return "negative round-trip delay";
    case Verdict::kMaxDelay:
      return "delay above maxdelay (test A)";
    case Verdict::kMaxDelayRatio:
      return "delay ratio above maxdelayratio (test B)";
    case Verdict::kMaxDelayDevRatio:
      return "delay increase above maxdelaydevratio (test C)";
    case Verdict::kSyncLoop:
      return "source is synchronised to us (test D)";
    case Verdict::kCount:
      break;
  }
  return "unknown";
}

uint16_t TestResults::bits() const {
  bool a[10];
  toArray(a);
  uint16_t b = 0;
  for (bool x : a) b = static_cast<uint16_t>((b << 1) | (x ? 1 : 0));
  return b;
}

void TestResults::toArray(bool (&out)[10]) const {
  out[0] = duplicate_ok;
  out[1] = origin_ok;
  out[2] = timestamps_ok;
  out[3] = auth_ok;
  out[4] = sync_ok;
  out[5] = header_ok;
  out[6] = max_delay_ok;
  out[7] = ratio_ok;
  out[8] = dev_ratio_ok;
  out[9] = loop_ok;
}

void formatTestBits(uint16_t bits, char (&out)[13]) {
  int o = 0;
  for (int i = 0; i < 10; ++i) {
    if (i == 3 || i == 6) out[o++] = ' ';
    out[o++] = (bits >> (9 - i)) & 1 ? '1' : '0';
  }
  out[o] = '\0';
}

char stampSourceLetter(StampSource s) {
  switch (s) {
    case StampSource::kKernel:
      return 'K';
    case StampSource::kHardware:
      return 'H';
    case StampSource::kDaemon:
      break;
  }
  return 'D';
}

}  // namespace strata::refclock::ntp
