// Micro-benchmarks of the per-request work of a serving worker: parse + decide + build a
// reply, client-log lookup, ACL lookup, and the clock read that stamps a batch.
// Run: build/bench/micro/strata-micro-bench
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "common/clock.h"
#include "server/access_table.h"
#include "server/client_log.h"
#include "server/request_handler.h"

namespace strata::server {
namespace {

std::vector<uint8_t> clientRequest(uint32_t n) {
  proto::NtpHeader h;
  h.mode = proto::NtpMode::kClient;
  h.transmit_time = proto::NtpTimestamp::fromParts(0xE9000000u + n, n);
  std::vector<uint8_t> b(48);
  proto::encodeHeader(h, std::span<uint8_t, 48>(b.data(), 48));
  return b;
}

void BM_ParseDecideBuild(benchmark::State& state) {
  ClientLog log(1 << 20, 1);
  FastRandom random(1);
  proto::ServerState s;
  s.leap = proto::LeapIndicator::kNone;
  s.stratum = 2;
  RateLimitParams rate{state.range(0) != 0, 3, 8, 2, 0};
  std::vector<uint8_t> buf(1280);
  auto ip = *common::IpAddress::parse("192.0.2.1");
  common::SysTime now = common::realtimeNow();
  const std::vector<uint8_t> req = clientRequest(1);
  for (auto _ : state) {
    std::copy(req.begin(), req.end(), buf.begin());
    proto::ParsedPacket parsed;
    DropReason reason;
    parseRequest(std::span<const uint8_t>(buf.data(), 48), parsed, reason);
    now += common::Nanos(1000);
    auto touch = log.touch(ip, now);
    auto d = serveRequest(buf, parsed, now, touch, ServeContext{s, rate, random});
    benchmark::DoNotOptimize(d);
  }
}
BENCHMARK(BM_ParseDecideBuild)->Arg(0)->Arg(1)->ArgName("ratelimit");

void BM_ClientLogTouch(benchmark::State& state) {
  const size_t clients = static_cast<size_t>(state.range(0));
  ClientLog log(64 << 20, 1);
  std::vector<common::IpAddress> ips;
  std::mt19937 rng(1);
  for (size_t i = 0; i < clients; ++i) ips.push_back(common::IpAddress::v4(rng()));
  common::SysTime now = common::realtimeNow();
  size_t i = 0;
  for (auto _ : state) {
    now += common::Nanos(100);
    benchmark::DoNotOptimize(log.touch(ips[i], now));
    if (++i == clients) i = 0;
  }
}
BENCHMARK(BM_ClientLogTouch)->Arg(1000)->Arg(100000)->Arg(1000000);

void BM_AccessLookup(benchmark::State& state) {
  AccessTable table;
  std::mt19937 rng(2);
  for (int64_t i = 0; i < state.range(0); ++i) {
    common::Subnet net(common::IpAddress::v4(rng()), 8 + static_cast<int>(rng() % 25));
    (rng() % 2) ? table.allow(net) : table.deny(net);
  }
  std::vector<common::IpAddress> ips;
  for (int i = 0; i < 4096; ++i) ips.push_back(common::IpAddress::v4(rng()));
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(table.allowed(ips[i++ & 4095]));
  }
}
BENCHMARK(BM_AccessLookup)->Arg(1)->Arg(100)->Arg(10000);

void BM_ClockRead(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(common::realtimeNow());
}
BENCHMARK(BM_ClockRead);

}  // namespace
}  // namespace strata::server
