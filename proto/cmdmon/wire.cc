#include "proto/cmdmon/wire.h"

#include <cmath>
#include <cstdio>

namespace strata::proto::cmdmon {

namespace {
constexpr int kCoefBits = 25;
constexpr int kExpBits = 7;
constexpr int kExpMin = -(1 << (kExpBits - 1));           // -64
constexpr int kExpMax = (1 << (kExpBits - 1)) - 1;        // 63
constexpr int32_t kCoefMax = (1 << (kCoefBits - 1)) - 1;  // 2^24 - 1
constexpr uint32_t kCoefMask = (1u << kCoefBits) - 1;

uint32_t pack(int exponent, int32_t coefficient) {
  return (static_cast<uint32_t>(exponent) << kCoefBits) |
         (static_cast<uint32_t>(coefficient) & kCoefMask);
}
}  // namespace

uint32_t encodeFloat(double value) {
  if (std::isnan(value) || value == 0.0) return 0;
  const bool negative = value < 0;
  const double magnitude = std::fabs(value);
  // A negative coefficient reaches one further than a positive one (two's complement).
  const int64_t limit = int64_t{kCoefMax} + (negative ? 1 : 0);
  if (std::isinf(magnitude)) {
    return pack(kExpMax, static_cast<int32_t>(negative ? -limit : limit));
  }
  // magnitude = m * 2^e with 0.5 <= m < 1; the coefficient carries m scaled to 24 bits, so
  // value = coef * 2^(e - 24) and the stored exponent is e + 1.
  int e = 0;
  const double m = std::frexp(magnitude, &e);
  int exponent = e + 1;
  int64_t coef = std::llround(std::ldexp(m, kCoefBits - 1));
  while (coef > limit) {  // rounding up may carry into the next power of two
    coef = (coef + 1) >> 1;
    ++exponent;
  }
  if (exponent > kExpMax) {
    exponent = kExpMax;
    coef = limit;
  } else if (exponent < kExpMin) {
    const int shift = kExpMin - exponent;
    coef = shift >= 63 ? 0 : (coef >> shift);
    exponent = coef == 0 ? 0 : kExpMin;
  }
  if (coef == 0) return 0;
  return pack(exponent, static_cast<int32_t>(negative ? -coef : coef));
}

double decodeFloat(uint32_t raw) {
  int exponent = static_cast<int>(raw >> kCoefBits);
  if (exponent > kExpMax) exponent -= 1 << kExpBits;
  int32_t coef = static_cast<int32_t>(raw & kCoefMask);
  if (coef > kCoefMax) coef -= int32_t{1} << kCoefBits;
  return std::ldexp(static_cast<double>(coef), exponent - kCoefBits);
}

std::string CmdAddress::toString() const {
  switch (family) {
    case AddressFamily::kInet4:
    case AddressFamily::kInet6:
      return ip.toString();
    case AddressFamily::kId: {
      char buf[24];
      std::snprintf(buf, sizeof buf, "ID#%010u", id);
      return buf;
    }
    case AddressFamily::kUnspec:
      break;
  }
  return "[UNSPEC]";
}

void WireWriter::u16(uint16_t v) {
  out_.push_back(static_cast<uint8_t>(v >> 8));
  out_.push_back(static_cast<uint8_t>(v));
}

void WireWriter::u32(uint32_t v) {
  u16(static_cast<uint16_t>(v >> 16));
  u16(static_cast<uint16_t>(v));
}

void WireWriter::u64(uint64_t v) {
  u32(static_cast<uint32_t>(v >> 32));
  u32(static_cast<uint32_t>(v));
}

void WireWriter::timespec(common::SysTime t) {
  const int64_t ns = common::nanosSinceEpoch(t);
  int64_t sec = ns / common::kNanosPerSecond;
  int64_t nsec = ns % common::kNanosPerSecond;
  if (nsec < 0) {
    nsec += common::kNanosPerSecond;
    --sec;
  }
  const uint64_t usec = static_cast<uint64_t>(sec);
  u32(static_cast<uint32_t>(usec >> 32));
  u32(static_cast<uint32_t>(usec));
  u32(static_cast<uint32_t>(nsec));
}

void WireWriter::address(const CmdAddress& a) {
  switch (a.family) {
    case AddressFamily::kInet4:
      u32(a.ip.v4HostOrder());
      zeros(12);
      break;
    case AddressFamily::kInet6:
      out_.insert(out_.end(), a.ip.bytes().begin(), a.ip.bytes().end());
      break;
    case AddressFamily::kId:
      u32(a.id);
      zeros(12);
      break;
    case AddressFamily::kUnspec:
      zeros(16);
      break;
  }
  u16(static_cast<uint16_t>(a.family));
  u16(0);
}

void WireWriter::fixedString(const std::string& text, size_t size) {
  const size_t n = text.size() < size ? text.size() : size;
  out_.insert(out_.end(), text.begin(), text.begin() + static_cast<std::ptrdiff_t>(n));
  zeros(size - n);
}

bool WireReader::take(size_t n) {
  if (!ok_ || n > bytes_.size() - pos_) {
    ok_ = false;
    return false;
  }
  return true;
}

uint8_t WireReader::u8() {
  if (!take(1)) return 0;
  return bytes_[pos_++];
}

uint16_t WireReader::u16() {
  if (!take(2)) return 0;
  const uint16_t v = static_cast<uint16_t>((bytes_[pos_] << 8) | bytes_[pos_ + 1]);
  pos_ += 2;
  return v;
}

uint32_t WireReader::u32() {
  const uint32_t hi = u16();
  const uint32_t lo = u16();
  return (hi << 16) | lo;
}

uint64_t WireReader::u64() {
  const uint64_t hi = u32();
  const uint64_t lo = u32();
  return (hi << 32) | lo;
}

common::SysTime WireReader::timespec() {
  uint32_t high = u32();
  const uint32_t low = u32();
  uint32_t nsec = u32();
  if (high == 0x7fffffff) high = 0;
  if (nsec >= common::kNanosPerSecond) nsec = common::kNanosPerSecond - 1;
  const int64_t sec = static_cast<int64_t>((uint64_t{high} << 32) | low);
  // Seconds beyond what Nanos can hold (~292 years) are clamped.
  constexpr int64_t kMaxSec = INT64_MAX / common::kNanosPerSecond - 1;
  const int64_t clamped = sec > kMaxSec ? kMaxSec : (sec < -kMaxSec ? -kMaxSec : sec);
  return common::sysTimeFromNanos(clamped * common::kNanosPerSecond + nsec);
}

CmdAddress WireReader::address() {
  if (!take(kAddressSize)) return {};
  std::array<uint8_t, 16> raw;
  for (size_t i = 0; i < 16; ++i) raw[i] = bytes_[pos_ + i];
  pos_ += 16;
  const uint16_t family = u16();
  u16();  // padding
  const uint32_t first =
      (uint32_t{raw[0]} << 24) | (uint32_t{raw[1]} << 16) | (uint32_t{raw[2]} << 8) | raw[3];
  switch (static_cast<AddressFamily>(family)) {
    case AddressFamily::kInet4:
      return CmdAddress::fromIp(common::IpAddress::v4(first));
    case AddressFamily::kInet6: {
      CmdAddress a;
      a.family = AddressFamily::kInet6;
      a.ip = common::IpAddress::v6(raw);
      return a;
    }
    case AddressFamily::kId:
      return CmdAddress::fromId(first);
    case AddressFamily::kUnspec:
      break;
  }
  return {};
}

std::string WireReader::fixedString(size_t size) {
  if (!take(size)) return {};
  size_t n = 0;
  while (n < size && bytes_[pos_ + n] != 0) ++n;
  std::string s(reinterpret_cast<const char*>(bytes_.data() + pos_), n);
  pos_ += size;
  return s;
}

void WireReader::skip(size_t n) {
  if (take(n)) pos_ += n;
}

}  // namespace strata::proto::cmdmon
