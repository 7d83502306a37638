#pragma once
// NTP wire format (RFC 5905), extension fields (RFC 7822) and the legacy trailing MAC.
// Pure code: bytes in, values out; no allocation, no syscalls. Thread-compatible.
//
// Layout of an NTP packet:
//   48-byte header | extension fields (NTPv4 only) | optional MAC (key id + digest)
// Each extension field is: type (16 bits) | length (16 bits, whole field incl. these 4 bytes,
// a multiple of 4, at least 16) | body (length - 4 bytes, padding included).
// A MAC is 4 bytes of key id and a 16-byte (MD5) or 20-byte (SHA-1) digest; a bare 4-byte key
// id is a crypto-NAK. Because RFC 7822 requires an extension field without a following MAC to
// be at least 28 bytes, a trailer of 4, 20 or 24 bytes is always a MAC.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "common/ntp_time.h"

namespace strata::proto {

using common::NtpShort;
using common::NtpTimestamp;

inline constexpr size_t kNtpHeaderSize = 48;
inline constexpr size_t kMinExtensionFieldSize = 16;
inline constexpr size_t kMaxExtensionFields = 8;
inline constexpr uint8_t kNtpVersion = 4;

// Offsets of header fields, for code that patches a reply in place.
inline constexpr size_t kOffsetReferenceTime = 16;
inline constexpr size_t kOffsetOriginTime = 24;
inline constexpr size_t kOffsetReceiveTime = 32;
inline constexpr size_t kOffsetTransmitTime = 40;

enum class LeapIndicator : uint8_t {
  kNone = 0,
  kInsertSecond = 1,  // last minute of the day has 61 seconds
  kDeleteSecond = 2,  // last minute of the day has 59 seconds
  kUnsynchronized = 3,
};

enum class NtpMode : uint8_t {
  kReserved = 0,
  kSymmetricActive = 1,
  kSymmetricPassive = 2,
  kClient = 3,
  kServer = 4,
  kBroadcast = 5,
  kControl = 6,  // ntpq (mode 6): never answered
  kPrivate = 7,  // ntpdc (mode 7): never answered
};

struct NtpHeader {
  LeapIndicator leap = LeapIndicator::kNone;
  uint8_t version = kNtpVersion;  // 3 bits on the wire
  NtpMode mode = NtpMode::kClient;
  uint8_t stratum = 0;
  int8_t poll = 0;       // log2 seconds
  int8_t precision = 0;  // log2 seconds
  NtpShort root_delay;
  NtpShort root_dispersion;
  uint32_t reference_id = 0;  // host order of the 4 wire bytes (text refids read big-endian)
  NtpTimestamp reference_time;
  NtpTimestamp origin_time;
  NtpTimestamp receive_time;
  NtpTimestamp transmit_time;

  friend bool operator==(const NtpHeader&, const NtpHeader&) = default;
};

// Decode/encode exactly the 48 header bytes. No validation.
NtpHeader decodeHeader(std::span<const uint8_t, kNtpHeaderSize> bytes);
void encodeHeader(const NtpHeader& header, std::span<uint8_t, kNtpHeaderSize> out);

// Big-endian helpers for patching timestamps in place.
NtpTimestamp readTimestamp(const uint8_t* p);
void writeTimestamp(uint8_t* p, NtpTimestamp ts);

// The mode and version from the first byte; any non-empty datagram has them, including
// mode 6/7 packets that are shorter than an NTP header.
struct FirstByte {
  LeapIndicator leap;
  uint8_t version;
  NtpMode mode;
};
FirstByte decodeFirstByte(uint8_t byte);

enum class ParseError : uint8_t {
  kNone = 0,
  kEmpty,
  kControlMode,        // mode 6
  kPrivateMode,        // mode 7
  kTooShort,           // shorter than the 48-byte header
  kBadVersion,         // version 0 or above 4
  kReservedMode,       // mode 0 (except NTPv1, which had no mode field)
  kBadExtensionField,  // length < 16, not a multiple of 4, or past the end
  kTooManyExtensionFields,
  kBadTrailer,  // bytes after the header that are neither extension fields nor a MAC
};
inline constexpr size_t kParseErrorCount = 10;
const char* parseErrorName(ParseError e);

struct ExtensionFieldRef {
  uint16_t type = 0;
  uint16_t offset = 0;  // of the field's first byte in the packet
  uint16_t length = 0;  // of the whole field, header included
};

struct MacRef {
  uint16_t offset = 0;  // of the key id
  uint16_t length = 0;  // key id + digest: 4 (crypto-NAK), 20 or 24
  uint32_t key_id = 0;
};

struct ParsedPacket {
  NtpHeader header;
  std::array<ExtensionFieldRef, kMaxExtensionFields> extensions{};
  uint8_t extension_count = 0;
  bool has_mac = false;
  MacRef mac;
  uint16_t length = 0;  // bytes of the whole packet
};

// Parses and validates the structure of a datagram. Does not judge the header's values
// (stratum, timestamps): that is the caller's protocol logic. Datagrams longer than 65535
// bytes cannot exist over UDP and are reported as kBadTrailer.
ParseError parsePacket(std::span<const uint8_t> datagram, ParsedPacket& out);

// Body bytes of an extension field (after its 4-byte header, padding included).
std::span<const uint8_t> extensionBody(std::span<const uint8_t> datagram, const ExtensionFieldRef& ef);
// Digest bytes of a MAC (after the key id; empty for a crypto-NAK).
std::span<const uint8_t> macDigest(std::span<const uint8_t> datagram, const MacRef& mac);

// Builds a packet into a caller-owned buffer. Each call returns false (and writes nothing)
// if the buffer is too small or the part is out of order; size() is then unchanged.
class PacketWriter {
 public:
  explicit PacketWriter(std::span<uint8_t> buffer) : buf_(buffer) {}
  bool header(const NtpHeader& header);
  // Appends an extension field; the body is zero-padded to a multiple of 4 bytes and to the
  // 16-byte minimum field size.
  bool extensionField(uint16_t type, std::span<const uint8_t> body);
  // Appends a MAC (key id + digest of 0, 16 or 20 bytes). Nothing may follow it.
  bool mac(uint32_t key_id, std::span<const uint8_t> digest);
  size_t size() const { return size_; }

 private:
  std::span<uint8_t> buf_;
  size_t size_ = 0;
  bool has_mac_ = false;
};

}  // namespace strata::proto
