#include "hwts/phc_tracker.h"

namespace strata::hwts {

PhcTracker::PhcTracker(std::string iface, std::unique_ptr<PhcDevice> device,
                       const HwTimestampOptions& options)
    : iface_(std::move(iface)),
      device_(std::move(device)),
      reader_(*device_, PhcReaderOptions{options.no_cross_ts, 10}),
      model_(phcModelOptions(options)),
      poll_log2_(options.minpoll_log2) {}

common::Result<PhcModelUpdate> PhcTracker::poll() {
  auto sample = reader_.read();
  if (!sample) return common::makeError(iface_ + ": " + sample.error().message);
  PhcModelUpdate update = model_.addSample(*sample);
  conversion_.store(model_.conversion());
  return update;
}

}  // namespace strata::hwts
