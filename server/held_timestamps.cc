#include "server/held_timestamps.h"

#include "common/ntp_time.h"

namespace strata::server {

HeldTimestamps::HeldTimestamps(size_t bytes)
    : memory_(bytes / sizeof(HeldPair) * sizeof(HeldPair)),
      pairs_(memory_.as<HeldPair>()),
      capacity_(bytes / sizeof(HeldPair)) {}

uint32_t HeldTimestamps::save(uint64_t rx_ntp, uint64_t tx_ntp, uint8_t flags, uint32_t older) {
  if (capacity_ == 0) return 0;
  pairs_[next_slot_] =
      HeldPair{.rx_ntp = rx_ntp, .tx_ntp = tx_ntp, .older = older, .flags = flags};
  if (++next_slot_ == capacity_) next_slot_ = 0;
  ++saved_;
  newest_rx_ = rx_ntp;
  return static_cast<uint32_t>(saved_);
}

HeldPair* HeldTimestamps::live(uint32_t seq) {
  if (seq == 0) return nullptr;
  // Saves made after it (0 = the newest pair).
  const uint32_t age = static_cast<uint32_t>(saved_) - seq;
  if (age >= held()) return nullptr;
  // Its slot is `age + 1` before the next one to be written, wrapping (age < capacity_).
  const size_t back = size_t{age} + 1;
  return pairs_ + (next_slot_ >= back ? next_slot_ - back : next_slot_ + capacity_ - back);
}

HeldPair* HeldTimestamps::find(uint32_t newest, uint64_t rx_ntp) {
  uint32_t seq = newest;
  for (int step = 0; step < kMaxSteps; ++step) {
    HeldPair* pair = live(seq);
    if (pair == nullptr) return nullptr;
    if (pair->rx_ntp == rx_ntp) return pair;
    // Links always lead to older pairs; an older one that looks newer is a number from
    // 2^32 saves ago: stop.
    const uint32_t age = static_cast<uint32_t>(saved_) - seq;
    if (static_cast<uint32_t>(saved_) - pair->older <= age) return nullptr;
    seq = pair->older;
  }
  return nullptr;
}

int64_t HeldTimestamps::spanNs() const {
  if (held() < 2) return 0;
  const size_t oldest = saved_ < capacity_ ? 0 : next_slot_;
  const common::Nanos span = common::ntpDifference(
      common::NtpTimestamp::fromRaw(newest_rx_),
      common::NtpTimestamp::fromRaw(pairs_[oldest].rx_ntp));
  return span.count() > 0 ? span.count() : 0;
}

}  // namespace strata::server
