// Fuzzes the NTP packet parser with a round-trip property: whatever parses must serialise
// back (header, extension fields, MAC) to exactly the same bytes.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "proto/ntp_packet.h"

using namespace strata::proto;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> in(data, size);
  ParsedPacket p;
  if (parsePacket(in, p) != ParseError::kNone) return 0;
  if (p.length != size || p.extension_count > kMaxExtensionFields) std::abort();
  std::vector<uint8_t> out(size + 64);
  PacketWriter w(out);
  if (!w.header(p.header)) std::abort();
  for (size_t i = 0; i < p.extension_count; ++i) {
    if (!w.extensionField(p.extensions[i].type, extensionBody(in, p.extensions[i]))) std::abort();
  }
  if (p.has_mac && !w.mac(p.mac.key_id, macDigest(in, p.mac))) std::abort();
  if (w.size() != size || std::memcmp(out.data(), data, size) != 0) std::abort();
  return 0;
}
