#include "server/tx_delay_model.h"

#include <algorithm>

namespace strata::server {

int TxDelayModel::bucketOf(int position) {
  if (position < 4) return position < 0 ? 0 : position;
  int b = 4;
  for (int limit = 8; position >= limit && b < kBuckets - 1; limit *= 2) ++b;
  return b;
}

void TxDelayModel::addSample(int position, int64_t delay_ns) {
  if (delay_ns < 0 || delay_ns > kMaxDelayNs) {
    ++rejected_;  // the clock stepped between stamp and send, or the thread was stopped
    return;
  }
  Bucket& b = buckets_[bucketOf(position)];
  b.ring[b.next] = delay_ns;
  b.next = (b.next + 1) % kWindow;
  if (b.count < kWindow) ++b.count;
  std::array<int64_t, kWindow> sorted;
  std::copy_n(b.ring.begin(), b.count, sorted.begin());
  const int k = b.count / 4;  // first quartile (nearest rank, rounded down)
  std::nth_element(sorted.begin(), sorted.begin() + k, sorted.begin() + b.count);
  b.low = sorted[k];
  ++samples_;
  // Monotonic in the position: a later reply of a batch never departs before an earlier one.
  int64_t prediction = 0;
  for (int i = 0; i < kBuckets; ++i) {
    const Bucket& bucket = buckets_[i];
    if (bucket.count >= kMinSamples || (i == 0 && bucket.count >= kMinSamplesFirst)) {
      prediction = std::max(prediction, bucket.low);
    }
    predicted_[i] = prediction;
  }
}

int64_t TxDelayModel::perPacketNs() const { return (predict(16) - predict(0)) / 16; }

}  // namespace strata::server
