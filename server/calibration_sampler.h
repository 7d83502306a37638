#pragma once
// Chooses the basic-mode replies that carry a kernel TX-stamp request for the send-delay
// calibration (TxDelayModel). Each sample costs the kernel a clone of the reply into the
// error queue and the worker a recvmmsg(MSG_ERRQUEUE): 1-2 us of CPU (perf at 50000 req/s,
// the error-queue functions and the model update summed). So:
//  - every reply is sampled until the model has `warm_up` samples;
//  - then one reply in `every`, but no more often than one per `min_spacing_ns`: the model
//    follows the send path at the same pace whatever the load, and at high rates the
//    sampling cost per reply falls (50000 req/s: one in 50 instead of one in 16).
//
// Pure; single-threaded (owned by one worker). Units: nanoseconds of any monotonic-enough
// clock (the worker passes its batch's receive-time reading).

#include <cstdint>

namespace strata::server {

class CalibrationSampler {
 public:
  CalibrationSampler(unsigned every, int64_t min_spacing_ns, uint64_t warm_up)
      : every_(every < 1 ? 1 : every), min_spacing_ns_(min_spacing_ns), warm_up_(warm_up) {}

  // Called once per sampling candidate (a reply with a basic transmit timestamp): true if this
  // one should be sampled. `samples_so_far` is the model's sample count.
  bool take(uint64_t samples_so_far, int64_t now_ns) {
    ++since_last_;
    if (samples_so_far >= warm_up_ &&
        (since_last_ < every_ || now_ns - last_ns_ < min_spacing_ns_)) {
      return false;
    }
    since_last_ = 0;
    last_ns_ = now_ns;
    return true;
  }

 private:
  uint64_t every_;
  int64_t min_spacing_ns_;
  uint64_t warm_up_;
  uint64_t since_last_ = 0;
  int64_t last_ns_ = INT64_MIN / 2;
};

}  // namespace strata::server
