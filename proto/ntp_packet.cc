#include "proto/ntp_packet.h"

#include <cstring>

namespace strata::proto {

namespace {

uint16_t read16(const uint8_t* p) { return static_cast<uint16_t>((p[0] << 8) | p[1]); }

uint32_t read32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

void write16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v >> 8);
  p[1] = static_cast<uint8_t>(v);
}

void write32(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v >> 24);
  p[1] = static_cast<uint8_t>(v >> 16);
  p[2] = static_cast<uint8_t>(v >> 8);
  p[3] = static_cast<uint8_t>(v);
}

bool isMacLength(size_t n) { return n == 4 || n == 20 || n == 24; }

}  // namespace

NtpTimestamp readTimestamp(const uint8_t* p) { return NtpTimestamp::fromParts(read32(p), read32(p + 4)); }

void writeTimestamp(uint8_t* p, NtpTimestamp ts) {
  write32(p, ts.seconds());
  write32(p + 4, ts.fraction());
}

FirstByte decodeFirstByte(uint8_t byte) {
  return FirstByte{static_cast<LeapIndicator>(byte >> 6), static_cast<uint8_t>((byte >> 3) & 7),
                   static_cast<NtpMode>(byte & 7)};
}

NtpHeader decodeHeader(std::span<const uint8_t, kNtpHeaderSize> b) {
  NtpHeader h;
  FirstByte first = decodeFirstByte(b[0]);
  h.leap = first.leap;
  h.version = first.version;
  h.mode = first.mode;
  h.stratum = b[1];
  h.poll = static_cast<int8_t>(b[2]);
  h.precision = static_cast<int8_t>(b[3]);
  h.root_delay = NtpShort::fromRaw(read32(&b[4]));
  h.root_dispersion = NtpShort::fromRaw(read32(&b[8]));
  h.reference_id = read32(&b[12]);
  h.reference_time = readTimestamp(&b[kOffsetReferenceTime]);
  h.origin_time = readTimestamp(&b[kOffsetOriginTime]);
  h.receive_time = readTimestamp(&b[kOffsetReceiveTime]);
  h.transmit_time = readTimestamp(&b[kOffsetTransmitTime]);
  return h;
}

void encodeHeader(const NtpHeader& h, std::span<uint8_t, kNtpHeaderSize> b) {
  b[0] = static_cast<uint8_t>((static_cast<uint8_t>(h.leap) & 3) << 6 | (h.version & 7) << 3 |
                              (static_cast<uint8_t>(h.mode) & 7));
  b[1] = h.stratum;
  b[2] = static_cast<uint8_t>(h.poll);
  b[3] = static_cast<uint8_t>(h.precision);
  write32(&b[4], h.root_delay.raw());
  write32(&b[8], h.root_dispersion.raw());
  write32(&b[12], h.reference_id);
  writeTimestamp(&b[kOffsetReferenceTime], h.reference_time);
  writeTimestamp(&b[kOffsetOriginTime], h.origin_time);
  writeTimestamp(&b[kOffsetReceiveTime], h.receive_time);
  writeTimestamp(&b[kOffsetTransmitTime], h.transmit_time);
}

const char* parseErrorName(ParseError e) {
  switch (e) {
    case ParseError::kNone: return "none";
    case ParseError::kEmpty: return "empty";
    case ParseError::kControlMode: return "mode 6 (control)";
    case ParseError::kPrivateMode: return "mode 7 (private)";
    case ParseError::kTooShort: return "too short";
    case ParseError::kBadVersion: return "bad version";
    case ParseError::kReservedMode: return "reserved mode";
    case ParseError::kBadExtensionField: return "bad extension field";
    case ParseError::kTooManyExtensionFields: return "too many extension fields";
    case ParseError::kBadTrailer: return "bad trailer";
  }
  return "unknown";
}

ParseError parsePacket(std::span<const uint8_t> d, ParsedPacket& out) {
  out = ParsedPacket{};
  if (d.empty()) return ParseError::kEmpty;
  FirstByte first = decodeFirstByte(d[0]);
  // Modes 6 and 7 have their own (shorter) formats; recognise them before any length check.
  if (first.mode == NtpMode::kControl) return ParseError::kControlMode;
  if (first.mode == NtpMode::kPrivate) return ParseError::kPrivateMode;
  if (d.size() < kNtpHeaderSize) return ParseError::kTooShort;
  if (first.version < 1 || first.version > 4) return ParseError::kBadVersion;
  if (first.mode == NtpMode::kReserved && first.version != 1) return ParseError::kReservedMode;
  if (d.size() > 0xFFFF) return ParseError::kBadTrailer;

  out.header = decodeHeader(d.first<kNtpHeaderSize>());
  out.length = static_cast<uint16_t>(d.size());

  size_t pos = kNtpHeaderSize;
  while (pos < d.size()) {
    size_t remaining = d.size() - pos;
    if (isMacLength(remaining)) {
      out.has_mac = true;
      out.mac = MacRef{static_cast<uint16_t>(pos), static_cast<uint16_t>(remaining), read32(&d[pos])};
      return ParseError::kNone;
    }
    // Only NTPv4 has extension fields.
    if (first.version != 4 || remaining < kMinExtensionFieldSize) return ParseError::kBadTrailer;
    uint16_t type = read16(&d[pos]);
    uint16_t length = read16(&d[pos + 2]);
    if (length < kMinExtensionFieldSize || length % 4 != 0 || length > remaining) {
      return ParseError::kBadExtensionField;
    }
    if (out.extension_count == kMaxExtensionFields) return ParseError::kTooManyExtensionFields;
    out.extensions[out.extension_count++] = ExtensionFieldRef{type, static_cast<uint16_t>(pos), length};
    pos += length;
  }
  return ParseError::kNone;
}

std::span<const uint8_t> extensionBody(std::span<const uint8_t> d, const ExtensionFieldRef& ef) {
  return d.subspan(ef.offset + 4u, ef.length - 4u);
}

std::span<const uint8_t> macDigest(std::span<const uint8_t> d, const MacRef& mac) {
  return d.subspan(mac.offset + 4u, mac.length - 4u);
}

bool PacketWriter::header(const NtpHeader& h) {
  if (size_ != 0 || buf_.size() < kNtpHeaderSize) return false;
  encodeHeader(h, buf_.first<kNtpHeaderSize>());
  size_ = kNtpHeaderSize;
  return true;
}

bool PacketWriter::extensionField(uint16_t type, std::span<const uint8_t> body) {
  if (size_ < kNtpHeaderSize || has_mac_) return false;
  size_t length = 4 + ((body.size() + 3) & ~size_t{3});
  if (length < kMinExtensionFieldSize) length = kMinExtensionFieldSize;
  if (length > 0xFFFF || buf_.size() - size_ < length) return false;
  uint8_t* p = buf_.data() + size_;
  write16(p, type);
  write16(p + 2, static_cast<uint16_t>(length));
  if (!body.empty()) std::memcpy(p + 4, body.data(), body.size());
  std::memset(p + 4 + body.size(), 0, length - 4 - body.size());
  size_ += length;
  return true;
}

bool PacketWriter::mac(uint32_t key_id, std::span<const uint8_t> digest) {
  if (size_ < kNtpHeaderSize || has_mac_) return false;
  if (!isMacLength(4 + digest.size())) return false;
  if (buf_.size() - size_ < 4 + digest.size()) return false;
  uint8_t* p = buf_.data() + size_;
  write32(p, key_id);
  if (!digest.empty()) std::memcpy(p + 4, digest.data(), digest.size());
  size_ += 4 + digest.size();
  has_mac_ = true;
  return true;
}

}  // namespace strata::proto
