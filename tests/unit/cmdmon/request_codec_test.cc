#include "proto/cmdmon/request_codec.h"

#include <gtest/gtest.h>

#include "proto/cmdmon/reply_codec.h"
#include "tests/unit/cmdmon/golden.h"

namespace strata::proto::cmdmon {
namespace {

using testing::readGolden;

DecodeResult decodeGolden(const std::string& name) {
  return decodeRequest(readGolden(name + ".bin"));
}

TEST(RequestGolden, TrackingFromChronyc) {
  const auto bytes = readGolden("tracking.bin");
  const DecodeResult d = decodeRequest(bytes);
  ASSERT_EQ(d.error, RequestError::kNone);
  EXPECT_EQ(d.request.header.version, 6);
  EXPECT_EQ(d.request.header.command, cmd::kTracking);
  EXPECT_EQ(d.request.header.attempt, 0);
  EXPECT_EQ(d.request.wire_length, bytes.size());
  EXPECT_TRUE(std::holds_alternative<std::monostate>(d.request.body));
  EXPECT_EQ(commandKind(cmd::kTracking), CommandKind::kMonitoring);
}

TEST(RequestGolden, ChronycPadsEveryRequestToTheReplyItExpects) {
  // The minimum lengths are chronyc 4.3's: each golden request is exactly that long.
  const std::pair<const char*, uint16_t> cases[] = {
      {"tracking", cmd::kTracking},        {"n_sources", cmd::kNSources},
      {"source_data_0", cmd::kSourceData}, {"sourcestats_0", cmd::kSourceStats},
      {"serverstats", cmd::kServerStats},  {"clients", cmd::kClientAccessesByIndex3},
      {"ntpdata_ipv4", cmd::kNtpData},     {"activity", cmd::kActivity},
      {"makestep", cmd::kMakeStep},        {"modify_makestep", cmd::kModifyMakestep},
      {"sourcename", cmd::kNtpSourceName},
  };
  for (const auto& [name, command] : cases) {
    const auto bytes = readGolden(std::string(name) + ".bin");
    const DecodeResult d = decodeRequest(bytes);
    EXPECT_EQ(d.error, RequestError::kNone) << name;
    EXPECT_EQ(d.request.header.command, command) << name;
    EXPECT_EQ(minimumRequestLength(command), bytes.size()) << name;
  }
}

TEST(RequestGolden, BodiesDecode) {
  EXPECT_EQ(std::get<uint32_t>(decodeGolden("source_data_0").request.body), 0u);
  EXPECT_EQ(std::get<uint32_t>(decodeGolden("sourcestats_0").request.body), 0u);
  EXPECT_EQ(std::get<CmdAddress>(decodeGolden("ntpdata_ipv4").request.body).toString(),
            "192.0.2.1");
  EXPECT_EQ(std::get<CmdAddress>(decodeGolden("ntpdata_ipv6").request.body).toString(),
            "2001:db8::1");
  EXPECT_EQ(std::get<CmdAddress>(decodeGolden("sourcename").request.body).toString(), "192.0.2.1");
  const auto clients = std::get<ClientAccessesQuery>(decodeGolden("clients").request.body);
  EXPECT_EQ(clients.first_index, 0u);
  EXPECT_EQ(clients.max_clients, 8u);
  EXPECT_EQ(clients.min_hits, 0u);
  EXPECT_FALSE(clients.reset);
  const auto reset =
      std::get<ClientAccessesQuery>(decodeGolden("clients_reset_min_hits").request.body);
  EXPECT_EQ(reset.min_hits, 5u);
  EXPECT_TRUE(reset.reset);
  const auto step = std::get<MakestepParams>(decodeGolden("modify_makestep").request.body);
  EXPECT_EQ(step.limit, 3);
  EXPECT_NEAR(step.threshold_s, 0.1, 1e-8);
}

TEST(RequestGolden, ModifyingCommandsThisCodecDoesNotServeStillDecodeTheirHeader) {
  for (const char* name : {"local", "burst"}) {
    const DecodeResult d = decodeGolden(name);
    EXPECT_EQ(d.error, RequestError::kNone) << name;
    EXPECT_EQ(commandKind(d.request.header.command), CommandKind::kModifying) << name;
    EXPECT_FALSE(isSupportedCommand(d.request.header.command)) << name;
  }
  EXPECT_EQ(commandKind(cmd::kMakeStep), CommandKind::kModifying);
  EXPECT_EQ(commandKind(cmd::kModifyMakestep), CommandKind::kModifying);
}

TEST(RequestEncode, ReproducesChronycsBytes) {
  for (const char* name : {"tracking", "n_sources", "source_data_0", "sourcestats_0", "clients",
                           "clients_reset_min_hits", "activity", "makestep", "modify_makestep",
                           "sourcename", "ntpdata_ipv6"}) {
    const auto golden = readGolden(std::string(name) + ".bin");
    const DecodeResult d = decodeRequest(golden);
    ASSERT_EQ(d.error, RequestError::kNone) << name;
    const auto encoded = encodeRequest(d.request);
    if (d.request.header.command == cmd::kNtpData) {
      // stratactl pads NTP_DATA for the longer NTP_DATA2 reply; the rest is identical.
      ASSERT_EQ(encoded.size(), replyLength(rpy::kNtpData2)) << name;
      EXPECT_TRUE(std::equal(golden.begin(), golden.end(), encoded.begin())) << name;
    } else {
      EXPECT_EQ(encoded, golden) << name;
    }
  }
}

TEST(RequestEncode, ServerStatsIsPaddedForTheSixtyFourBitReply) {
  Request r;
  r.header.command = cmd::kServerStats;
  const auto bytes = encodeRequest(r);
  EXPECT_EQ(bytes.size(), replyLength(rpy::kServerStats4));
  EXPECT_EQ(decodeRequest(bytes).error, RequestError::kNone);
}

TEST(RequestEncode, WorkerDataRoundTrips) {
  Request r;
  r.header.command = cmd::kStrataWorkerData;
  r.header.sequence = 77;
  r.body = uint32_t{3};
  const auto bytes = encodeRequest(r);
  EXPECT_EQ(bytes.size(), replyLength(rpy::kStrataWorkerData));
  const DecodeResult d = decodeRequest(bytes);
  ASSERT_EQ(d.error, RequestError::kNone);
  EXPECT_EQ(d.request.header.sequence, 77u);
  EXPECT_EQ(std::get<uint32_t>(d.request.body), 3u);
}

TEST(RequestLengths, NoSupportedCommandsReplyIsLongerThanItsShortestRequest) {
  for (uint32_t c = 0; c <= 0xFFFF; ++c) {
    const auto command = static_cast<uint16_t>(c);
    if (!isSupportedCommand(command)) continue;
    EXPECT_GE(minimumRequestLength(command), kReplyHeaderSize) << c;
    EXPECT_GE(preferredRequestLength(command), minimumRequestLength(command)) << c;
  }
  EXPECT_EQ(minimumRequestLength(cmd::kServerStats), replyLength(rpy::kServerStats3));
  EXPECT_EQ(minimumRequestLength(cmd::kNtpData), replyLength(rpy::kNtpData));
  EXPECT_EQ(minimumRequestLength(cmd::kClientAccessesByIndex3),
            replyLength(rpy::kClientAccessesByIndex3));
}

TEST(RequestErrors, ShortLongAndForeignPacketsAreSilentDrops) {
  auto good = readGolden("tracking.bin");
  EXPECT_EQ(decodeRequest(std::span(good).first(27)).error, RequestError::kTooShort);
  EXPECT_EQ(decodeRequest({}).error, RequestError::kTooShort);
  std::vector<uint8_t> huge(kMaxRequestSize + 1, 0);
  EXPECT_EQ(decodeRequest(huge).error, RequestError::kTooLong);
  auto reply_type = good;
  reply_type[1] = kPacketTypeReply;
  EXPECT_EQ(decodeRequest(reply_type).error, RequestError::kNotRequest);
  auto reserved = good;
  reserved[3] = 1;
  EXPECT_EQ(decodeRequest(reserved).error, RequestError::kReservedBits);
  for (auto e : {RequestError::kTooShort, RequestError::kTooLong, RequestError::kNotRequest,
                 RequestError::kReservedBits}) {
    EXPECT_TRUE(isSilentDrop(e));
  }
}

TEST(RequestErrors, VersionCommandAndLengthErrorsKeepTheHeaderForAnErrorReply) {
  auto good = readGolden("tracking.bin");
  auto v5 = good;
  v5[0] = 5;
  DecodeResult d = decodeRequest(v5);
  EXPECT_EQ(d.error, RequestError::kBadVersion);
  EXPECT_EQ(d.request.header.version, 5);
  EXPECT_EQ(d.request.header.command, cmd::kTracking);

  auto unknown = good;
  unknown[4] = 0x12;
  unknown[5] = 0x34;
  d = decodeRequest(unknown);
  EXPECT_EQ(d.error, RequestError::kUnknownCommand);
  EXPECT_EQ(d.request.header.command, 0x1234);
  EXPECT_FALSE(isSilentDrop(d.error));

  d = decodeRequest(std::span(good).first(good.size() - 1));
  EXPECT_EQ(d.error, RequestError::kBadLength);
  EXPECT_EQ(d.request.header.sequence, decodeRequest(good).request.header.sequence);
}

}  // namespace
}  // namespace strata::proto::cmdmon
