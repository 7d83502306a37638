#pragma once
// Byte-level pieces of the cmdmon protocol: big-endian writer and reader, chrony's 32-bit
// floating-point format, its 96-bit timestamp and its 20-byte address record.
// Pure; values and caller-owned buffers only. Thread-compatible.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/net_address.h"
#include "common/ntp_time.h"
#include "proto/cmdmon/protocol.h"

namespace strata::proto::cmdmon {

// chrony's "Float": a 7-bit signed exponent (top bits) and a 25-bit signed coefficient, both
// two's complement, value = coefficient * 2^(exponent - 25). 24 bits of precision (relative
// error <= 2^-25 after rounding); magnitudes from 2^-89 (~1.6e-27) up to ~4.6e18. NaN encodes
// as 0, larger magnitudes saturate, smaller ones lose precision and then become 0.
uint32_t encodeFloat(double value);
double decodeFloat(uint32_t raw);

// An address as the protocol carries it: an IPv4 or IPv6 address, nothing ("unspecified"),
// or an opaque 32-bit identifier (chrony uses it for sources whose name is not resolved yet).
struct CmdAddress {
  AddressFamily family = AddressFamily::kUnspec;
  common::IpAddress ip;  // kInet4 / kInet6
  uint32_t id = 0;       // kId

  static CmdAddress unspec() { return {}; }
  static CmdAddress fromIp(const common::IpAddress& ip) {
    return {ip.isV4() ? AddressFamily::kInet4 : AddressFamily::kInet6, ip, 0};
  }
  static CmdAddress fromId(uint32_t id) { return {AddressFamily::kId, {}, id}; }
  bool isIp() const { return family == AddressFamily::kInet4 || family == AddressFamily::kInet6; }
  // chronyc's rendering: the address, "ID#0000000042" for identifiers, "[UNSPEC]" otherwise.
  std::string toString() const;
  friend bool operator==(const CmdAddress&, const CmdAddress&) = default;
};

// Appends big-endian values to a byte vector it does not own.
class WireWriter {
 public:
  explicit WireWriter(std::vector<uint8_t>& out) : out_(out) {}
  void u8(uint8_t v) { out_.push_back(v); }
  void i8(int8_t v) { u8(static_cast<uint8_t>(v)); }
  void u16(uint16_t v);
  void i16(int16_t v) { u16(static_cast<uint16_t>(v)); }
  void u32(uint32_t v);
  void i32(int32_t v) { u32(static_cast<uint32_t>(v)); }
  void u64(uint64_t v);  // chrony's Integer64: high word, then low word
  void f32(double v) { u32(encodeFloat(v)); }
  // Timespec: seconds high u32, seconds low u32, nanoseconds u32.
  void timespec(common::SysTime t);
  void address(const CmdAddress& a);
  void zeros(size_t n) { out_.insert(out_.end(), n, 0); }
  void fill(size_t n, uint8_t value) { out_.insert(out_.end(), n, value); }
  // Exactly `size` bytes: the text truncated, then NUL-padded.
  void fixedString(const std::string& text, size_t size);
  size_t size() const { return out_.size(); }

 private:
  std::vector<uint8_t>& out_;
};

// Reads big-endian values from a span. Reading past the end yields zeros and clears ok();
// callers check ok() once after reading a whole structure.
class WireReader {
 public:
  explicit WireReader(std::span<const uint8_t> bytes) : bytes_(bytes) {}
  uint8_t u8();
  int8_t i8() { return static_cast<int8_t>(u8()); }
  uint16_t u16();
  int16_t i16() { return static_cast<int16_t>(u16()); }
  uint32_t u32();
  int32_t i32() { return static_cast<int32_t>(u32()); }
  uint64_t u64();
  double f32() { return decodeFloat(u32()); }
  // Nanoseconds beyond 999999999 are clamped; chrony's "no high seconds" marker (0x7fffffff)
  // reads as zero high bits.
  common::SysTime timespec();
  // An unknown family reads as kUnspec.
  CmdAddress address();
  // A NUL-terminated string within `size` bytes (all `size` bytes if no NUL).
  std::string fixedString(size_t size);
  void skip(size_t n);
  size_t position() const { return pos_; }
  size_t remaining() const { return pos_ <= bytes_.size() ? bytes_.size() - pos_ : 0; }
  bool ok() const { return ok_; }

 private:
  bool take(size_t n);
  std::span<const uint8_t> bytes_;
  size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace strata::proto::cmdmon
