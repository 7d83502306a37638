#pragma once
// NTP client access control: chrony's allow/deny semantics with a lookup whose cost does not
// depend on the number of rules (a 4-bit-stride trie: at most 8 steps for IPv4, 32 for IPv6).
//
// Semantics (as chronyd applies `allow`/`deny` lines, in order):
//  - A rule sets the decision for a subnet. The most specific subnet containing an address
//    decides; an address in no subnet is denied (chrony serves no clients by default).
//  - A later rule for the same subnet replaces the earlier one; a later rule for a less
//    specific subnet does not override earlier, more specific ones...
//  - ...unless it is an `all` rule (`allow all SUBNET` / `deny all SUBNET`), which also
//    clears every more specific rule inside the subnet.
//  - A bare `allow`/`deny` (no subnet) applies to every IPv4 and IPv6 address.
//
// Build once (configuration time, allocates), then query from any number of threads
// (allowed() is const and touches no shared mutable state).

#include <cstdint>
#include <vector>

#include "common/net_address.h"

namespace strata::server {

class AccessTable {
 public:
  AccessTable();
  void allow(const common::Subnet& subnet, bool all = false) { set(subnet, kAllow, all); }
  void deny(const common::Subnet& subnet, bool all = false) { set(subnet, kDeny, all); }
  // Bare `allow` / `deny`: both families.
  void allowEverything(bool all = false);
  void denyEverything(bool all = false);

  bool allowed(const common::IpAddress& address) const;
  size_t nodeCount() const { return v4_.size() + v6_.size(); }

 private:
  enum Decision : int8_t { kUnset = 0, kAllow = 1, kDeny = 2 };
  struct Slot {
    Decision decision = kUnset;
    int8_t prefix_len = -1;  // of the rule that set `decision` (within the family)
    int32_t child = -1;      // index of the node below, -1 = none
  };
  struct Node {
    Slot slots[16];
  };
  using Trie = std::vector<Node>;

  void set(const common::Subnet& subnet, Decision decision, bool all);
  static void clearBelow(Trie& trie, int32_t node);
  static Decision lookup(const Trie& trie, const uint8_t* bits, int nibbles, Decision root);

  Decision root_v4_ = kUnset, root_v6_ = kUnset;  // rules for /0
  Trie v4_, v6_;
};

}  // namespace strata::server
