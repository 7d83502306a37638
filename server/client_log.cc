#include "server/client_log.h"

#include <bit>
#include <cstring>

namespace strata::server {

namespace {

uint64_t mix64(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

// log2 of an interval in seconds, x16, from nanoseconds; integer-only (the per-packet path):
// the integer part from the highest set bit, four fraction bits from the bits below it
// (a linear approximation within each octave, error < 0.09).
int16_t intervalLog2x16(int64_t ns) {
  if (ns <= 0) return -30 * 16;
  uint64_t v = static_cast<uint64_t>(ns);
  int msb = 63 - std::countl_zero(v);
  uint64_t frac4 = msb >= 4 ? (v >> (msb - 4)) & 0xF : (v << (4 - msb)) & 0xF;
  constexpr int32_t kLog2NanosPerSecondX16 = 478;  // log2(1e9) = 29.897
  return static_cast<int16_t>(msb * 16 + static_cast<int32_t>(frac4) - kLog2NanosPerSecondX16);
}

}  // namespace

common::IpAddress ClientRecord::ipAddress() const {
  std::array<uint8_t, 16> b;
  std::memcpy(b.data(), address, 16);
  return common::IpAddress::v6(b);
}

ClientLog::ClientLog(size_t limit_bytes, uint64_t hash_key) : hash_key_(hash_key) {
  size_t buckets = limit_bytes / (kRecordBytes * kBucketSize);
  if (buckets == 0) buckets = 1;
  max_buckets_ = buckets;
  // Linear hashing addresses buckets with a power of two per round; the last round may stop
  // part-way, at max_buckets_.
  round_buckets_ = std::min(std::bit_floor(max_buckets_), kInitialBuckets);
  memory_ = common::AnonymousMemory(capacity() * sizeof(ClientRecord));
  records_ = memory_.as<ClientRecord>();
}

uint64_t ClientLog::hashOf(const uint8_t* address16) const {
  uint64_t lo, hi;
  std::memcpy(&hi, address16, 8);
  std::memcpy(&lo, address16 + 8, 8);
  return mix64(mix64(hi ^ hash_key_) ^ lo);
}

size_t ClientLog::bucketOf(uint64_t hash) const {
  // Buckets below split_next_ have been split this round: they and their partners
  // (b + round_buckets_) are addressed with one more hash bit.
  size_t b = static_cast<size_t>(hash) & (round_buckets_ - 1);
  if (b < split_next_) b = static_cast<size_t>(hash) & (2 * round_buckets_ - 1);
  return b;
}

size_t ClientLog::bucketOf(const common::IpAddress& address) const {
  return bucketOf(hashOf(address.bytes().data()));
}

void ClientLog::grow() {
  for (size_t splits = 0; splits < kMaxSplitsPerGrow; ++splits) {
    const size_t active_buckets = round_buckets_ + split_next_;
    if (active_buckets >= max_buckets_) {
      forced_splits_ = 0;
      return;
    }
    if (used_ * 2 > active_buckets) {
      splitNext();
    } else if (forced_splits_ > 0) {
      --forced_splits_;
      splitNext();
    } else {
      return;
    }
  }
}

void ClientLog::splitNext() {
  const size_t from = split_next_;
  const size_t to = from + round_buckets_;  // never used before: all free
  ClientRecord* src = records_ + from * kBucketSize;
  ClientRecord* dst = records_ + to * kBucketSize;
  size_t moved = 0;
  for (size_t i = 0; i < kBucketSize; ++i) {
    ClientRecord& r = src[i];
    if (r.isFree()) continue;
    const uint64_t h = hashOf(r.address);
    if ((static_cast<size_t>(h) & (2 * round_buckets_ - 1)) != to) continue;
    dst[moved++] = r;  // keeps its generation
    const uint32_t generation = r.generation + 1;
    std::memset(static_cast<void*>(&r), 0, sizeof r);
    r.generation = generation;
  }
  if (++split_next_ == round_buckets_) {
    round_buckets_ *= 2;
    split_next_ = 0;
  }
}

const ClientRecord* ClientLog::find(const common::IpAddress& address) const {
  const ClientRecord* bucket = records_ + bucketOf(address) * kBucketSize;
  for (size_t i = 0; i < kBucketSize; ++i) {
    if (!bucket[i].isFree() && std::memcmp(bucket[i].address, address.bytes().data(), 16) == 0) {
      return &bucket[i];
    }
  }
  return nullptr;
}

ClientLog::Touch ClientLog::touch(const common::IpAddress& address, common::SysTime now) {
  const size_t base = bucketOf(address) * kBucketSize;
  ClientRecord* bucket = records_ + base;
  int64_t now_ns = common::nanosSinceEpoch(now);
  if (now_ns == 0) now_ns = 1;  // 0 marks a free slot

  size_t victim = 0;
  for (size_t i = 0; i < kBucketSize; ++i) {
    ClientRecord& r = bucket[i];
    if (!r.isFree() && std::memcmp(r.address, address.bytes().data(), 16) == 0) {
      const int64_t since_last_ns = now_ns - r.last_request_ns;
      const int sample = intervalLog2x16(since_last_ns);
      // Exponential average with weight 1/4 for the new interval.
      r.interval_log2_x16 =
          static_cast<int16_t>(r.interval_log2_x16 + (sample - r.interval_log2_x16) / 4);
      r.last_request_ns = now_ns;
      if (r.requests != UINT32_MAX) ++r.requests;
      return Touch{&r, static_cast<uint32_t>(base + i), false, false, since_last_ns, 0};
    }
    // Prefer a free slot, else the least recently seen one.
    if (bucket[victim].isFree()) continue;
    if (r.isFree() || r.last_request_ns < bucket[victim].last_request_ns) victim = i;
  }
  ClientRecord& r = bucket[victim];
  const bool recycled = !r.isFree();
  const uint8_t evicted_flags = recycled ? r.flags : 0;
  if (recycled) {
    ++recycled_;
    // A full bucket while the table may still grow: its clients would evict each other for
    // as long as the table stays this size (five clients on four slots never keep their
    // interleaved state). Each such eviction owes a sixteenth of a round of splits, so the
    // split pointer reaches this bucket within 16-32 of them.
    if (round_buckets_ + split_next_ < max_buckets_) forced_splits_ += round_buckets_ / 16;
  } else {
    ++used_;
  }
  uint32_t generation = r.generation + 1;
  std::memset(static_cast<void*>(&r), 0, sizeof r);
  std::memcpy(r.address, address.bytes().data(), 16);
  r.generation = generation;
  r.last_request_ns = now_ns;
  r.requests = 1;
  r.interval_log2_x16 = 30 * 16;  // unknown: as if very long
  return Touch{&r, static_cast<uint32_t>(base + victim), true, recycled, 0, evicted_flags};
}

void ClientLog::resetCounters() {
  ClientRecord* r = records_;
  for (size_t i = 0; i < activeRecords(); ++i) {
    r[i].requests = 0;
    r[i].drops = 0;
  }
}

}  // namespace strata::server
