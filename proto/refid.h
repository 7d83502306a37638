#pragma once
// Reference identifiers (RFC 5905 §7.3) and kiss codes (§7.4). Pure; thread-compatible.
//
// A reference ID is the 32-bit field at offset 12, kept in host order of its big-endian wire
// bytes: "GPS" is 0x47505300 and 192.0.2.1 is 0xC0000201.

#include <cstdint>
#include <string>
#include <string_view>

#include "common/net_address.h"
#include "proto/ntp_packet.h"

namespace strata::proto {

// Up to 4 ASCII characters, left-justified and zero-padded ("GPS" -> 'G','P','S',0).
// Longer text is truncated to 4 characters.
uint32_t refIdFromText(std::string_view text);
// IPv4: the address itself. IPv6: the first four bytes of the MD5 digest of the address.
uint32_t refIdFromAddress(const common::IpAddress& address);
// The four bytes as text with trailing NULs removed and non-printable bytes as '?'. For
// stratum 0/1 refids and kiss codes.
std::string refIdToText(uint32_t refid);
// "C0000201": eight upper-case hex digits, as chronyc prints reference IDs.
std::string refIdToHex(uint32_t refid);

// Kiss codes a server sends in the reference ID of a stratum-0 reply.
namespace kiss {
inline constexpr uint32_t kRate = 0x52415445;  // "RATE": reduce the poll rate
inline constexpr uint32_t kDeny = 0x44454E59;  // "DENY": access denied
inline constexpr uint32_t kRstr = 0x52535452;  // "RSTR": access restricted
inline constexpr uint32_t kInit = 0x494E4954;  // "INIT": not yet synchronised
inline constexpr uint32_t kStep = 0x53544550;  // "STEP": a step occurred
inline constexpr uint32_t kNtsn = 0x4E54534E;  // "NTSN": NTS NAK
}  // namespace kiss

// A Kiss-o'-Death packet: a server-mode reply with stratum 0. Its refid is the kiss code.
inline bool isKissOfDeath(const NtpHeader& h) {
  return h.stratum == 0 && (h.mode == NtpMode::kServer || h.mode == NtpMode::kSymmetricPassive);
}

}  // namespace strata::proto
