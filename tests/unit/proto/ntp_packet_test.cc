#include "proto/ntp_packet.h"

#include <gtest/gtest.h>

#include <vector>

namespace strata::proto {
namespace {

// A minimal client request (v4, mode 3, poll 6) with a recognisable transmit timestamp;
// the remaining fields zero.
std::vector<uint8_t> goldenClientRequest() {
  return {0x23, 0x00, 0x06, 0x00,  // LI 0, VN 4, mode 3; stratum 0; poll 6; precision 0
          0x00, 0x00, 0x00, 0x00,  // root delay
          0x00, 0x00, 0x00, 0x00,  // root dispersion
          0x00, 0x00, 0x00, 0x00,  // reference id
          0, 0, 0, 0, 0, 0, 0, 0,  // reference time
          0, 0, 0, 0, 0, 0, 0, 0,  // origin
          0, 0, 0, 0, 0, 0, 0, 0,  // receive
          0xE9, 0x4B, 0x2C, 0x11, 0x80, 0x00, 0x00, 0x01};  // transmit
}

// A server reply: LI 0, v4, mode 4, stratum 2, poll 6, precision -20, root delay 0.5 s,
// root dispersion 1/16 s, refid 192.0.2.1, distinct timestamps.
std::vector<uint8_t> goldenServerReply() {
  return {0x24, 0x02, 0x06, 0xEC,                            //
          0x00, 0x00, 0x80, 0x00,                            // root delay 0.5 s
          0x00, 0x00, 0x10, 0x00,                            // root dispersion 1/16 s
          0xC0, 0x00, 0x02, 0x01,                            // refid
          0xE9, 0x4B, 0x2C, 0x00, 0x00, 0x00, 0x00, 0x00,  // reference
          0xE9, 0x4B, 0x2C, 0x11, 0x80, 0x00, 0x00, 0x01,  // origin
          0xE9, 0x4B, 0x2C, 0x11, 0x80, 0x10, 0x00, 0x01,  // receive (LSB 1)
          0xE9, 0x4B, 0x2C, 0x11, 0x80, 0x20, 0x00, 0x00};  // transmit (LSB 0)
}

TEST(NtpPacket, DecodesGoldenReply) {
  auto bytes = goldenServerReply();
  ParsedPacket p;
  ASSERT_EQ(parsePacket(bytes, p), ParseError::kNone);
  const NtpHeader& h = p.header;
  EXPECT_EQ(h.leap, LeapIndicator::kNone);
  EXPECT_EQ(h.version, 4);
  EXPECT_EQ(h.mode, NtpMode::kServer);
  EXPECT_EQ(h.stratum, 2);
  EXPECT_EQ(h.poll, 6);
  EXPECT_EQ(h.precision, -20);
  EXPECT_EQ(h.root_delay.toNanos(), common::Nanos(500'000'000));
  EXPECT_EQ(h.root_dispersion.toNanos(), common::Nanos(62'500'000));
  EXPECT_EQ(h.reference_id, 0xC0000201u);
  EXPECT_EQ(h.reference_time, NtpTimestamp::fromParts(0xE94B2C00, 0));
  EXPECT_EQ(h.origin_time, NtpTimestamp::fromParts(0xE94B2C11, 0x80000001));
  EXPECT_TRUE(h.receive_time.lowBit());
  EXPECT_FALSE(h.transmit_time.lowBit());
  EXPECT_EQ(p.extension_count, 0);
  EXPECT_FALSE(p.has_mac);
  EXPECT_EQ(p.length, 48);
}

TEST(NtpPacket, EncodeIsInverseOfDecode) {
  for (auto bytes : {goldenClientRequest(), goldenServerReply()}) {
    NtpHeader h = decodeHeader(std::span<const uint8_t, 48>(bytes.data(), 48));
    std::array<uint8_t, 48> out{};
    encodeHeader(h, out);
    EXPECT_TRUE(std::equal(out.begin(), out.end(), bytes.begin()));
  }
}

TEST(NtpPacket, AllLeapVersionModeCombinationsRoundTrip) {
  for (int leap = 0; leap < 4; ++leap) {
    for (int version = 1; version <= 4; ++version) {
      for (int mode = 1; mode <= 5; ++mode) {
        NtpHeader h;
        h.leap = static_cast<LeapIndicator>(leap);
        h.version = static_cast<uint8_t>(version);
        h.mode = static_cast<NtpMode>(mode);
        h.poll = -7;
        h.precision = -29;
        std::array<uint8_t, 48> buf{};
        encodeHeader(h, buf);
        ParsedPacket p;
        ASSERT_EQ(parsePacket(buf, p), ParseError::kNone);
        EXPECT_EQ(p.header, h);
      }
    }
  }
}

TEST(NtpPacket, RejectsMalformedDatagrams) {
  ParsedPacket p;
  auto good = goldenClientRequest();
  EXPECT_EQ(parsePacket({}, p), ParseError::kEmpty);
  EXPECT_EQ(parsePacket(std::span(good).first(47), p), ParseError::kTooShort);
  auto v0 = good;
  v0[0] = 0x03;  // version 0
  EXPECT_EQ(parsePacket(v0, p), ParseError::kBadVersion);
  auto v5 = good;
  v5[0] = 0x2B;  // version 5
  EXPECT_EQ(parsePacket(v5, p), ParseError::kBadVersion);
  auto mode0 = good;
  mode0[0] = 0x20;  // v4 mode 0
  EXPECT_EQ(parsePacket(mode0, p), ParseError::kReservedMode);
  auto v1mode0 = good;
  v1mode0[0] = 0x08;  // NTPv1 had no mode field: accepted
  EXPECT_EQ(parsePacket(v1mode0, p), ParseError::kNone);
}

TEST(NtpPacket, RecognisesModes6And7EvenWhenShort) {
  ParsedPacket p;
  std::vector<uint8_t> ntpq = {0x16, 0x02, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0};  // v2 mode 6
  EXPECT_EQ(parsePacket(ntpq, p), ParseError::kControlMode);
  std::vector<uint8_t> monlist(48 + 8, 0);
  monlist[0] = 0x17;  // v2 mode 7 (ntpdc monlist: the amplification classic)
  EXPECT_EQ(parsePacket(monlist, p), ParseError::kPrivateMode);
  EXPECT_EQ(decodeFirstByte(0x17).mode, NtpMode::kPrivate);
}

TEST(NtpPacket, ParsesExtensionFieldsAndMac) {
  std::array<uint8_t, 256> buf{};
  PacketWriter w(buf);
  NtpHeader h;
  ASSERT_TRUE(w.header(h));
  std::array<uint8_t, 5> body1{1, 2, 3, 4, 5};  // padded to 8 -> 16-byte minimum field
  ASSERT_TRUE(w.extensionField(0x0104, body1));
  std::array<uint8_t, 36> body2{};
  body2[0] = 0xAA;
  ASSERT_TRUE(w.extensionField(0x0204, body2));  // 40 bytes
  std::array<uint8_t, 20> digest{};
  digest[19] = 0x55;
  ASSERT_TRUE(w.mac(0x01020304, digest));
  EXPECT_FALSE(w.extensionField(1, body1));  // nothing after a MAC
  ASSERT_EQ(w.size(), 48u + 16 + 40 + 24);

  ParsedPacket p;
  std::span<const uint8_t> d(buf.data(), w.size());
  ASSERT_EQ(parsePacket(d, p), ParseError::kNone);
  ASSERT_EQ(p.extension_count, 2);
  EXPECT_EQ(p.extensions[0].type, 0x0104);
  EXPECT_EQ(p.extensions[0].length, 16);
  EXPECT_EQ(extensionBody(d, p.extensions[0])[4], 5);
  EXPECT_EQ(extensionBody(d, p.extensions[0]).size(), 12u);
  EXPECT_EQ(p.extensions[1].offset, 64);
  EXPECT_EQ(extensionBody(d, p.extensions[1])[0], 0xAA);
  ASSERT_TRUE(p.has_mac);
  EXPECT_EQ(p.mac.key_id, 0x01020304u);
  EXPECT_EQ(p.mac.length, 24);
  EXPECT_EQ(macDigest(d, p.mac)[19], 0x55);
}

TEST(NtpPacket, LegacyMacOnOlderVersions) {
  auto req = goldenClientRequest();
  req[0] = 0x1B;  // v3 client
  req.insert(req.end(), 20, 0x11);  // key id + MD5
  ParsedPacket p;
  ASSERT_EQ(parsePacket(req, p), ParseError::kNone);
  EXPECT_TRUE(p.has_mac);
  EXPECT_EQ(p.mac.key_id, 0x11111111u);
  req.insert(req.end(), 16, 0);  // v3 cannot carry extension fields
  EXPECT_EQ(parsePacket(req, p), ParseError::kBadTrailer);
}

TEST(NtpPacket, CryptoNakIsAFourByteMac) {
  auto req = goldenClientRequest();
  req.insert(req.end(), 4, 0);
  ParsedPacket p;
  ASSERT_EQ(parsePacket(req, p), ParseError::kNone);
  EXPECT_TRUE(p.has_mac);
  EXPECT_EQ(p.mac.length, 4);
  EXPECT_TRUE(macDigest(req, p.mac).empty());
}

TEST(NtpPacket, RejectsBadExtensionFields) {
  ParsedPacket p;
  auto base = goldenClientRequest();
  auto withField = [&](uint16_t length, size_t actual) {
    auto d = base;
    d.resize(48 + actual, 0);
    d[50] = static_cast<uint8_t>(length >> 8);
    d[51] = static_cast<uint8_t>(length);
    return d;
  };
  EXPECT_EQ(parsePacket(withField(12, 32), p), ParseError::kBadExtensionField);  // < 16
  EXPECT_EQ(parsePacket(withField(30, 32), p), ParseError::kBadExtensionField);  // not x4
  EXPECT_EQ(parsePacket(withField(64, 32), p), ParseError::kBadExtensionField);  // past end
  EXPECT_EQ(parsePacket(withField(28, 28), p), ParseError::kNone);
  EXPECT_EQ(parsePacket(withField(16, 18), p), ParseError::kBadTrailer);  // 2 stray bytes
  EXPECT_EQ(parsePacket(withField(16, 12), p), ParseError::kBadTrailer);  // too short for a field

  auto many = base;
  for (size_t i = 0; i <= kMaxExtensionFields; ++i) {
    many.insert(many.end(), {0x00, 0x01, 0x00, 0x10});
    many.insert(many.end(), 12, 0);
  }
  many.insert(many.end(), 20, 0);  // and a MAC so the last field may be 16 bytes
  EXPECT_EQ(parsePacket(many, p), ParseError::kTooManyExtensionFields);
}

TEST(NtpPacket, TimestampPatchHelpers) {
  std::array<uint8_t, 48> buf{};
  NtpTimestamp ts = NtpTimestamp::fromParts(0xDEADBEEF, 0x01234567);
  writeTimestamp(&buf[kOffsetTransmitTime], ts);
  EXPECT_EQ(readTimestamp(&buf[kOffsetTransmitTime]), ts);
  EXPECT_EQ(buf[40], 0xDE);
  EXPECT_EQ(buf[47], 0x67);
}

TEST(PacketWriter, RefusesWhenBufferTooSmall) {
  std::array<uint8_t, 60> buf{};
  PacketWriter w(buf);
  std::array<uint8_t, 4> body{};
  EXPECT_FALSE(w.extensionField(1, body));  // header first
  ASSERT_TRUE(w.header(NtpHeader{}));
  EXPECT_FALSE(w.extensionField(1, body));  // 16 bytes do not fit in 12
  EXPECT_EQ(w.size(), 48u);
  std::array<uint8_t, 7> odd_digest{};
  EXPECT_FALSE(w.mac(1, odd_digest));
}

}  // namespace
}  // namespace strata::proto
