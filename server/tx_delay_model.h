#pragma once
// Predicts how long after the worker reads the clock to stamp a batch of replies the kernel
// actually transmits the reply at position i of that batch (sendmmsg sends them in order),
// from sampled kernel TX timestamps of earlier replies.
//
// The prediction is the FIRST QUARTILE of the recent delays at that batch position, not their
// mean. The delay has a floor (the send path) and a long tail (interrupts, preemption,
// queueing, and on loopback the delivery of the earlier replies of the batch). A client that
// filters its samples by round-trip delay (chrony, ntpd) keeps the exchanges with the smallest
// delay, which are those whose reply left earliest: a stamp at the mean would be late for
// them and bias their offset. A low quantile serves them, a higher one brings the mean stamp
// closer to the departure; the quartile is the measured compromise. On this 2-core VM
// (strataperf 5000 req/s, 6 runs of 3 s each; chronyd's mean error 5.4-6.3 us) the mean
// error was 0.94 us with the quartile against 1.47 us with the 10th percentile, while a
// min-delay client's offset from a local stratad stayed at +1.8..+3.9 us (10th: +1.9..+2.5);
// the median gave a mean error of ~0 but stamps up to 90 us late.
//
// Positions are grouped in buckets (0, 1, 2, 3, 4-7, 8-15, 16-31, 32-63, 64+); each keeps its
// last kWindow samples. A bucket without enough samples borrows the prediction of the nearest
// lower bucket, so predictions never exceed what was measured.
//
// Pure; single-threaded (owned by one worker). Samples arrive a few per thousand replies.

#include <array>
#include <cstdint>

namespace strata::server {

class TxDelayModel {
 public:
  static constexpr int64_t kMaxDelayNs = 1'000'000;  // longer "delays" are not the send path
  static constexpr int kWindow = 31;                   // samples kept per bucket
  static constexpr int kMinSamples = 8;                // before a bucket predicts on its own
  // Position 0 predicts sooner, from the least of its first samples: one sample alone may be
  // an outlier (a cold first send, a preempted thread) that would make every stamp late.
  static constexpr int kMinSamplesFirst = 3;
  static constexpr int kBuckets = 9;

  void addSample(int position, int64_t delay_ns);
  // Predicted delay in nanoseconds for `position` (0 before any sample). Cheap: per reply.
  int64_t predict(int position) const { return predicted_[bucketOf(position)]; }

  // For monitoring: the prediction at position 0 and its increase per position over the
  // first 16 positions.
  int64_t baseNs() const { return predict(0); }
  int64_t perPacketNs() const;
  uint64_t samples() const { return samples_; }
  uint64_t rejected() const { return rejected_; }

  static int bucketOf(int position);

 private:
  struct Bucket {
    std::array<int64_t, kWindow> ring{};
    int count = 0;   // samples held (<= kWindow)
    int next = 0;    // ring position of the next sample
    int64_t low = 0;  // the first quartile of the held samples
  };
  std::array<Bucket, kBuckets> buckets_{};
  std::array<int64_t, kBuckets> predicted_{};  // per bucket, recomputed on every sample
  uint64_t samples_ = 0, rejected_ = 0;
};

}  // namespace strata::server
