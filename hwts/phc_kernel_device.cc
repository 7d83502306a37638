#include "hwts/phc_kernel_device.h"

#include <fcntl.h>
#include <linux/ptp_clock.h>
#include <sys/ioctl.h>

#include <cerrno>
#include <cstring>

namespace strata::hwts {

using common::makeError;
using common::Result;
using common::UniqueFd;

Result<std::unique_ptr<KernelPhcDevice>> KernelPhcDevice::open(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return makeError("cannot open PHC " + path + ": " + std::strerror(errno));
  return std::unique_ptr<KernelPhcDevice>(new KernelPhcDevice(UniqueFd(fd), path));
}

int KernelPhcDevice::crossTimestamp(PhcCrossTimestamp& out) {
  ptp_sys_offset_precise raw{};
  if (::ioctl(fd_.get(), PTP_SYS_OFFSET_PRECISE, &raw) != 0) return errno;
  auto phc = phcTimeFromPtpClockTime(raw.device);
  auto sys = sysTimeFromPtpClockTime(raw.sys_realtime);
  if (!phc || !sys) return EBADMSG;
  out = PhcCrossTimestamp{*phc, *sys};
  return 0;
}

int KernelPhcDevice::extendedReadings(std::span<PhcTriplet> out) {
  if (out.empty() || out.size() > kPhcMaxTriplets) return EINVAL;
  ptp_sys_offset_extended raw{};  // rsv[0] = 0: system readings from CLOCK_REALTIME
  raw.n_samples = static_cast<unsigned>(out.size());
  if (::ioctl(fd_.get(), PTP_SYS_OFFSET_EXTENDED, &raw) != 0) return errno;
  for (size_t i = 0; i < out.size(); ++i) {
    auto before = sysTimeFromPtpClockTime(raw.ts[i][0]);
    auto phc = phcTimeFromPtpClockTime(raw.ts[i][1]);
    auto after = sysTimeFromPtpClockTime(raw.ts[i][2]);
    if (!before || !phc || !after) return EBADMSG;
    out[i] = PhcTriplet{*before, *phc, *after};
  }
  return 0;
}

int KernelPhcDevice::basicReadings(std::span<PhcTriplet> out) {
  if (out.empty() || out.size() > kPhcMaxTriplets) return EINVAL;
  ptp_sys_offset raw{};
  raw.n_samples = static_cast<unsigned>(out.size());
  if (::ioctl(fd_.get(), PTP_SYS_OFFSET, &raw) != 0) return errno;
  // ts[] alternates system, PHC, system, PHC, ..., system (2n + 1 entries).
  for (size_t i = 0; i < out.size(); ++i) {
    auto before = sysTimeFromPtpClockTime(raw.ts[2 * i]);
    auto phc = phcTimeFromPtpClockTime(raw.ts[2 * i + 1]);
    auto after = sysTimeFromPtpClockTime(raw.ts[2 * i + 2]);
    if (!before || !phc || !after) return EBADMSG;
    out[i] = PhcTriplet{*before, *phc, *after};
  }
  return 0;
}

Result<std::unique_ptr<KernelPhcDevice>> openPhc(std::string_view path_or_iface,
                                                 Discovery& discovery) {
  if (path_or_iface.find('/') != std::string_view::npos) {
    return KernelPhcDevice::open(std::string(path_or_iface));
  }
  auto path = phcPathForInterface(path_or_iface, discovery);
  if (!path) return path.error();
  return KernelPhcDevice::open(*path);
}

}  // namespace strata::hwts
