#pragma once
// PhcTracker: follows one NIC's PHC against the system clock for the serving path. Each
// poll() takes one reading (PhcReader: cross-timestamp, extended or basic), feeds the
// PhcTimeModel and publishes the resulting PhcConversion through a SeqLock that serving
// workers read without locks (see phc_conversion.h).
//
// Thread-safety: poll() and the accessors other than conversion() from one owner thread
// (the daemon's main loop); conversion() is the SeqLock itself, readable from any thread.

#include <memory>
#include <string>

#include "common/result.h"
#include "common/seqlock.h"
#include "hwts/hwtstamp_options.h"
#include "hwts/phc_conversion.h"
#include "hwts/phc_device.h"
#include "hwts/phc_reader.h"
#include "hwts/phc_time_model.h"

namespace strata::hwts {

class PhcTracker {
 public:
  PhcTracker(std::string iface, std::unique_ptr<PhcDevice> device, const HwTimestampOptions& options);

  // One reading; Error (naming the interface) when the PHC cannot be read.
  common::Result<PhcModelUpdate> poll();
  const common::SeqLock<PhcConversion>& conversion() const { return conversion_; }
  const std::string& iface() const { return iface_; }
  int pollIntervalLog2() const { return poll_log2_; }
  const PhcTimeModel& model() const { return model_; }

 private:
  std::string iface_;
  std::unique_ptr<PhcDevice> device_;
  PhcReader reader_;
  PhcTimeModel model_;
  int poll_log2_;
  common::SeqLock<PhcConversion> conversion_;
};

}  // namespace strata::hwts
