#pragma once
// Test fakes for the kernel seams of discovery and hardware-timestamping set-up.

#include <cerrno>
#include <map>
#include <string>
#include <vector>

#include "hwts/hwtstamp_control.h"
#include "hwts/ts_info_source.h"

namespace strata::hwts::testing {

class FakeLister final : public InterfaceLister {
 public:
  std::vector<InterfaceRef> interfaces;
  common::Result<std::vector<InterfaceRef>> list() override { return interfaces; }
  common::Result<InterfaceRef> find(std::string_view name) override {
    for (const auto& i : interfaces) {
      if (i.name == name) return i;
    }
    return common::makeError("no such interface '" + std::string(name) + "'");
  }
};

class FakeSource final : public TsInfoSource {
 public:
  explicit FakeSource(std::string name) : name_(std::move(name)) {}
  std::map<std::string, TimestampingInfo> ts;
  std::map<std::string, LinkInfo> links;
  int ts_calls = 0;
  std::string_view sourceName() const override { return name_; }
  common::Result<TimestampingInfo> timestampingInfo(const InterfaceRef& iface) override {
    ++ts_calls;
    auto it = ts.find(iface.name);
    if (it == ts.end()) return common::makeError("Operation not supported");
    return it->second;
  }
  common::Result<LinkInfo> linkInfo(const InterfaceRef& iface) override {
    auto it = links.find(iface.name);
    if (it == links.end()) return common::makeError("Operation not supported");
    return it->second;
  }

 private:
  std::string name_;
};

// A NIC driver's answers to SIOCSHWTSTAMP / SIOCGHWTSTAMP.
class FakeControl final : public HwTstampControl {
 public:
  struct Nic {
    int set_errno = 0;                // returned for every set (unless per filter)
    std::map<int, int> filter_errno;  // rx_filter -> errno
    std::map<int, int> widen;         // requested rx_filter -> reported one
    int get_errno = 0;
    hwtstamp_config current{0, HWTSTAMP_TX_OFF, HWTSTAMP_FILTER_NONE};
  };
  std::map<std::string, Nic> nics;
  std::vector<std::pair<std::string, int>> set_calls;  // (iface, requested rx filter)

  int set(const std::string& iface, hwtstamp_config& config) override {
    set_calls.emplace_back(iface, config.rx_filter);
    auto it = nics.find(iface);
    if (it == nics.end()) return ENODEV;
    Nic& nic = it->second;
    if (nic.set_errno != 0) return nic.set_errno;
    if (auto e = nic.filter_errno.find(config.rx_filter); e != nic.filter_errno.end()) {
      return e->second;
    }
    if (auto w = nic.widen.find(config.rx_filter); w != nic.widen.end()) {
      config.rx_filter = w->second;
    }
    nic.current = config;
    return 0;
  }
  int get(const std::string& iface, hwtstamp_config& config) override {
    auto it = nics.find(iface);
    if (it == nics.end()) return ENODEV;
    if (it->second.get_errno != 0) return it->second.get_errno;
    config = it->second.current;
    return 0;
  }
};

}  // namespace strata::hwts::testing
