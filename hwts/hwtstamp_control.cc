#include "hwts/hwtstamp_control.h"

#include <linux/sockios.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

namespace strata::hwts {

using common::makeError;
using common::Result;
using common::UniqueFd;

Result<std::unique_ptr<KernelHwTstampControl>> KernelHwTstampControl::open() {
  int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return makeError(std::string("hwtstamp: socket: ") + std::strerror(errno));
  return std::unique_ptr<KernelHwTstampControl>(new KernelHwTstampControl(UniqueFd(fd)));
}

int KernelHwTstampControl::call(unsigned long request, const std::string& iface,
                                hwtstamp_config& config) {
  ifreq ifr{};
  if (iface.empty() || iface.size() >= sizeof(ifr.ifr_name)) return ENODEV;
  std::memcpy(ifr.ifr_name, iface.c_str(), iface.size() + 1);
  ifr.ifr_data = reinterpret_cast<char*>(&config);
  return ::ioctl(fd_.get(), request, &ifr) == 0 ? 0 : errno;
}

int KernelHwTstampControl::set(const std::string& iface, hwtstamp_config& config) {
  return call(SIOCSHWTSTAMP, iface, config);
}

int KernelHwTstampControl::get(const std::string& iface, hwtstamp_config& config) {
  return call(SIOCGHWTSTAMP, iface, config);
}

}  // namespace strata::hwts
