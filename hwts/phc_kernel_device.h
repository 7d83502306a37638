#pragma once
// PhcDevice over a PTP clock character device (/dev/ptpN) and its PTP_SYS_OFFSET*
// ioctls. Reading needs only read access to the device (root, or a udev rule). Readings with
// out-of-range values from the device are rejected with EBADMSG.
//
// Owns the file descriptor. Not thread-safe: one thread owns a device.

#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"
#include "common/unique_fd.h"
#include "hwts/discovery.h"
#include "hwts/phc_device.h"

namespace strata::hwts {

class KernelPhcDevice final : public PhcDevice {
 public:
  static common::Result<std::unique_ptr<KernelPhcDevice>> open(const std::string& path);

  std::string name() const override { return path_; }
  int crossTimestamp(PhcCrossTimestamp& out) override;
  int extendedReadings(std::span<PhcTriplet> out) override;
  int basicReadings(std::span<PhcTriplet> out) override;

  int fd() const { return fd_.get(); }

 private:
  KernelPhcDevice(common::UniqueFd fd, std::string path)
      : fd_(std::move(fd)), path_(std::move(path)) {}
  common::UniqueFd fd_;
  std::string path_;
};

// Opens a PHC named like chrony's `refclock PHC` does: a device path ("/dev/ptp0") or a
// network interface name, resolved through ethtool's PHC index ("eth0" -> /dev/ptpN).
// Errors name the device or interface and the reason.
common::Result<std::unique_ptr<KernelPhcDevice>> openPhc(std::string_view path_or_iface,
                                                         Discovery& discovery);

}  // namespace strata::hwts
