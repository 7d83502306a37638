#include "tools/strataperf/reply_check.h"

#include <gtest/gtest.h>

#include <array>
#include <vector>

namespace strata::perf {
namespace {

using proto::NtpHeader;
using proto::NtpTimestamp;

constexpr uint64_t kCookie = makeTransmitCookie(12345, 0xABCDE);

NtpHeader goodReply(uint64_t origin) {
  NtpHeader h;
  h.mode = proto::NtpMode::kServer;
  h.version = 4;
  h.stratum = 1;
  h.origin_time = NtpTimestamp::fromRaw(origin);
  h.receive_time = NtpTimestamp::fromParts(3900000000u, 1001);   // low bit 1
  h.transmit_time = NtpTimestamp::fromParts(3900000000u, 2000);  // low bit 0
  return h;
}

std::vector<uint8_t> bytesOf(const NtpHeader& h) {
  std::vector<uint8_t> b(proto::kNtpHeaderSize);
  proto::encodeHeader(h,
                      std::span<uint8_t, proto::kNtpHeaderSize>(b.data(), proto::kNtpHeaderSize));
  return b;
}

TEST(Cookie, LayoutAndLowBit) {
  uint64_t c = makeTransmitCookie(7, 0xFFFFFFFF);
  EXPECT_EQ(sequenceOfCookie(c), 7u);
  EXPECT_EQ(c & 1, 0u);
  EXPECT_EQ(receiveCookieOf(c) & 1, 1u);
  EXPECT_EQ(sequenceOfCookie(receiveCookieOf(c)), 7u);
  EXPECT_NE(receiveCookieOf(c), c);
}

TEST(EncodeRequest, ClientModeV4WithTheThreeFields) {
  std::array<uint8_t, 48> b{};
  encodeRequest(RequestFields{11, 22, 33}, std::span<uint8_t, 48>(b));
  NtpHeader h = proto::decodeHeader(std::span<const uint8_t, 48>(b));
  EXPECT_EQ(h.mode, proto::NtpMode::kClient);
  EXPECT_EQ(h.version, 4);
  EXPECT_EQ(h.stratum, 0);
  EXPECT_EQ(h.origin_time.raw(), 11u);
  EXPECT_EQ(h.receive_time.raw(), 22u);
  EXPECT_EQ(h.transmit_time.raw(), 33u);
  EXPECT_EQ(b[0], 0x23);  // LI 0, VN 4, mode 3
}

TEST(ParseReply, AcceptsAServerReply) {
  NtpHeader h;
  ReplyVerdict v;
  auto b = bytesOf(goodReply(kCookie));
  ASSERT_TRUE(parseReply(b, h, v));
  EXPECT_EQ(h.origin_time.raw(), kCookie);
}

TEST(ParseReply, RejectsStructureModeVersion) {
  NtpHeader h;
  ReplyVerdict v;
  auto b = bytesOf(goodReply(kCookie));
  std::vector<uint8_t> shortb(b.begin(), b.begin() + 47);
  EXPECT_FALSE(parseReply(shortb, h, v));
  EXPECT_EQ(v, ReplyVerdict::kMalformed);
  EXPECT_FALSE(parseReply({}, h, v));
  EXPECT_EQ(v, ReplyVerdict::kMalformed);

  NtpHeader client = goodReply(kCookie);
  client.mode = proto::NtpMode::kClient;
  EXPECT_FALSE(parseReply(bytesOf(client), h, v));
  EXPECT_EQ(v, ReplyVerdict::kNotServerMode);

  NtpHeader v3 = goodReply(kCookie);
  v3.version = 3;
  EXPECT_FALSE(parseReply(bytesOf(v3), h, v));
  EXPECT_EQ(v, ReplyVerdict::kBadVersion);

  auto trailing = b;
  trailing.resize(48 + 7, 0);  // neither an extension field nor a MAC
  EXPECT_FALSE(parseReply(trailing, h, v));
  EXPECT_EQ(v, ReplyVerdict::kMalformed);
}

TEST(MatchReply, BasicReplyEchoesTheTransmitCookie) {
  EXPECT_EQ(matchReply(goodReply(kCookie), kCookie, false), ReplyVerdict::kBasic);
  // An interleaved-mode client may still get a basic reply.
  EXPECT_EQ(matchReply(goodReply(kCookie), kCookie, true), ReplyVerdict::kBasic);
}

TEST(MatchReply, InterleavedReplyEchoesTheReceiveCookie) {
  EXPECT_EQ(matchReply(goodReply(receiveCookieOf(kCookie)), kCookie, true),
            ReplyVerdict::kInterleaved);
  // Not asked for interleaved: the receive cookie was never sent, so it cannot match.
  EXPECT_EQ(matchReply(goodReply(receiveCookieOf(kCookie)), kCookie, false),
            ReplyVerdict::kOriginMismatch);
}

TEST(MatchReply, OriginMismatch) {
  EXPECT_EQ(matchReply(goodReply(kCookie + 2), kCookie, true), ReplyVerdict::kOriginMismatch);
  EXPECT_EQ(matchReply(goodReply(0), kCookie, false), ReplyVerdict::kOriginMismatch);
}

TEST(MatchReply, KissOfDeath) {
  NtpHeader kod = goodReply(kCookie);
  kod.stratum = 0;
  kod.leap = proto::LeapIndicator::kUnsynchronized;
  kod.reference_id = 0x52415445;  // "RATE"
  EXPECT_EQ(matchReply(kod, kCookie, false), ReplyVerdict::kKissOfDeath);
  char code[5];
  kissCode(kod, code);
  EXPECT_STREQ(code, "RATE");
  kod.reference_id = 0x41000142;
  kissCode(kod, code);
  EXPECT_STREQ(code, "A??B");
}

TEST(MatchReply, UnsynchronizedAndZeroTimestamps) {
  NtpHeader unsync = goodReply(kCookie);
  unsync.leap = proto::LeapIndicator::kUnsynchronized;
  EXPECT_EQ(matchReply(unsync, kCookie, false), ReplyVerdict::kUnsynchronized);
  NtpHeader zero_tx = goodReply(kCookie);
  zero_tx.transmit_time = NtpTimestamp();
  EXPECT_EQ(matchReply(zero_tx, kCookie, false), ReplyVerdict::kZeroTimestamp);
  NtpHeader zero_rx = goodReply(kCookie);
  zero_rx.receive_time = NtpTimestamp();
  EXPECT_EQ(matchReply(zero_rx, kCookie, false), ReplyVerdict::kZeroTimestamp);
}

TEST(LowBitConvention, ReceiveOddTransmitEven) {
  NtpHeader h = goodReply(kCookie);
  EXPECT_TRUE(followsLowBitConvention(h));
  h.receive_time = h.receive_time.withLowBit(false);
  EXPECT_FALSE(followsLowBitConvention(h));
  h = goodReply(kCookie);
  h.transmit_time = h.transmit_time.withLowBit(true);
  EXPECT_FALSE(followsLowBitConvention(h));
}

TEST(ReplyVerdict, NamesAreDistinct) {
  for (size_t i = 0; i < kReplyVerdictCount; ++i) {
    for (size_t j = i + 1; j < kReplyVerdictCount; ++j) {
      EXPECT_STRNE(replyVerdictName(static_cast<ReplyVerdict>(i)),
                   replyVerdictName(static_cast<ReplyVerdict>(j)));
    }
  }
}

}  // namespace
}  // namespace strata::perf
