#include "server/access_table.h"

namespace strata::server {

namespace {
// Nibble `index` (0 = most significant) of a big-endian bit string.
int nibble(const uint8_t* bits, int index) {
  uint8_t byte = bits[index / 2];
  return (index % 2 == 0) ? (byte >> 4) : (byte & 0xF);
}
}  // namespace

AccessTable::AccessTable() : v4_(1), v6_(1) {}

void AccessTable::allowEverything(bool all) {
  set(common::Subnet::allV4(), kAllow, all);
  set(common::Subnet::allV6(), kAllow, all);
}

void AccessTable::denyEverything(bool all) {
  set(common::Subnet::allV4(), kDeny, all);
  set(common::Subnet::allV6(), kDeny, all);
}

void AccessTable::clearBelow(Trie& trie, int32_t node) {
  for (Slot& slot : trie[node].slots) {
    slot.decision = kUnset;
    slot.prefix_len = -1;
    if (slot.child >= 0) clearBelow(trie, slot.child);
  }
}

void AccessTable::set(const common::Subnet& subnet, Decision decision, bool all) {
  const bool v4 = subnet.base().isV4();
  Trie& trie = v4 ? v4_ : v6_;
  const uint8_t* bits = subnet.base().bytes().data() + (v4 ? 12 : 0);
  const int len = subnet.prefixLength();

  if (len == 0) {
    (v4 ? root_v4_ : root_v6_) = decision;
    if (all) clearBelow(trie, 0);
    return;
  }
  // Walk to the node holding the nibble where the prefix ends, creating nodes on the way.
  int32_t node = 0;
  const int last = (len - 1) / 4;  // nibble index containing the last prefix bit
  for (int i = 0; i < last; ++i) {
    int n = nibble(bits, i);
    if (trie[node].slots[n].child < 0) {
      trie[node].slots[n].child = static_cast<int32_t>(trie.size());
      trie.emplace_back();
    }
    node = trie[node].slots[n].child;
  }
  // The prefix fixes the top `fixed` bits of the last nibble: it covers 2^(4-fixed) slots.
  const int fixed = len - last * 4;
  const int first = nibble(bits, last) & (0xF << (4 - fixed)) & 0xF;
  const int count = 1 << (4 - fixed);
  for (int s = first; s < first + count; ++s) {
    Slot& slot = trie[node].slots[s];
    // A more specific rule set earlier keeps its slot unless this is an `all` rule.
    if (all || slot.prefix_len <= len) {
      slot.decision = decision;
      slot.prefix_len = static_cast<int8_t>(len);
    }
    if (all && slot.child >= 0) clearBelow(trie, slot.child);
  }
}

AccessTable::Decision AccessTable::lookup(const Trie& trie, const uint8_t* bits, int nibbles,
                                          Decision root) {
  Decision best = root;
  int32_t node = 0;
  for (int i = 0; i < nibbles && node >= 0; ++i) {
    const Slot& slot = trie[node].slots[nibble(bits, i)];
    if (slot.decision != kUnset) best = slot.decision;
    node = slot.child;
  }
  return best;
}

bool AccessTable::allowed(const common::IpAddress& address) const {
  if (address.isV4()) return lookup(v4_, address.bytes().data() + 12, 8, root_v4_) == kAllow;
  return lookup(v6_, address.bytes().data(), 32, root_v6_) == kAllow;
}

}  // namespace strata::server
