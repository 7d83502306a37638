#pragma once
// The kernel seam of hardware timestamping set-up: SIOCSHWTSTAMP / SIOCGHWTSTAMP on a named
// interface (struct hwtstamp_config from linux/net_tstamp.h). KernelHwTstampControl is the
// real one; tests substitute fakes.
//
// SIOCSHWTSTAMP changes the NIC's configuration for every user of the interface and needs
// CAP_NET_ADMIN. Not thread-safe: one instance per thread.

#include <linux/net_tstamp.h>

#include <memory>
#include <string>

#include "common/result.h"
#include "common/unique_fd.h"

namespace strata::hwts {

class HwTstampControl {
 public:
  virtual ~HwTstampControl() = default;
  // SIOCSHWTSTAMP. `config` is in/out: the driver may answer with a wider rx_filter than
  // asked for. Returns 0 or an errno value.
  virtual int set(const std::string& iface, hwtstamp_config& config) = 0;
  // SIOCGHWTSTAMP: the interface's current configuration. Returns 0 or an errno value.
  virtual int get(const std::string& iface, hwtstamp_config& config) = 0;
};

class KernelHwTstampControl final : public HwTstampControl {
 public:
  static common::Result<std::unique_ptr<KernelHwTstampControl>> open();
  int set(const std::string& iface, hwtstamp_config& config) override;
  int get(const std::string& iface, hwtstamp_config& config) override;

 private:
  explicit KernelHwTstampControl(common::UniqueFd fd) : fd_(std::move(fd)) {}
  int call(unsigned long request, const std::string& iface, hwtstamp_config& config);
  common::UniqueFd fd_;
};

}  // namespace strata::hwts
