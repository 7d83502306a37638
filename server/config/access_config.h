#pragma once
// Access rules of `allow`/`deny` (NTP clients) and `cmdallow`/`cmddeny` (monitoring), kept in
// file order because order matters: with chrony's semantics a later `allow all SUBNET` /
// `deny all SUBNET` overrides every earlier rule for addresses inside SUBNET, and among plain
// rules the most specific subnet decides. No rule = nobody is allowed. Values;
// thread-compatible.

#include <cstdint>
#include <optional>
#include <vector>

#include "common/net_address.h"

namespace strata::config {

struct AccessRule {
  enum class Action : uint8_t { kAllow, kDeny };

  Action action = Action::kAllow;
  bool all = false;  // the `all` keyword: override earlier rules inside the subnet
  // Unset: every address of both families (bare `allow`, `allow all`). `allow 0/0` is the
  // IPv4 subnet 0.0.0.0/0 and `allow ::/0` the IPv6 one.
  std::optional<common::Subnet> subnet;

  friend bool operator==(const AccessRule&, const AccessRule&) = default;
};

struct AccessConfig {
  std::vector<AccessRule> rules;  // in configuration order

  friend bool operator==(const AccessConfig&, const AccessConfig&) = default;
};

}  // namespace strata::config
