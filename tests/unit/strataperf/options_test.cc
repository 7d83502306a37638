#include "tools/strataperf/options.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace strata::perf {
namespace {

common::Result<Options> parse(std::vector<std::string> args) {
  std::vector<const char*> argv = {"strataperf"};
  for (const auto& a : args) argv.push_back(a.c_str());
  return parseCommandLine(static_cast<int>(argv.size()), argv.data());
}

std::string errorOf(std::vector<std::string> args) {
  auto r = parse(std::move(args));
  return r.ok() ? std::string("(accepted)") : r.error().message;
}

TEST(Options, Defaults) {
  auto o = parse({"127.0.0.1"});
  ASSERT_TRUE(o.ok()) << o.error().message;
  EXPECT_EQ(o->server->port, 123);
  EXPECT_EQ(o->rate.min_per_s, 1000);
  EXPECT_EQ(o->rate.max_per_s, 1000000);
  EXPECT_DOUBLE_EQ(o->step, 1.5);
  EXPECT_DOUBLE_EQ(o->grace_s, 0.2);
  EXPECT_EQ(o->mode, RunMode::kBasic);
  EXPECT_EQ(o->source.toString(), "127.0.0.0/8");
  EXPECT_EQ(o->label, "127.0.0.1:123");
}

TEST(Options, FullCommandLine) {
  auto o = parse({"--rate", "5k-200k", "--step", "2", "-t", "0.5", "--clients", "1000000", "--mode",
                  "interleaved", "--sockets", "8", "--threads", "2", "--json", "x.json", "--label",
                  "chronyd", "--grace", "0", "127.0.0.1:11123"});
  ASSERT_TRUE(o.ok()) << o.error().message;
  EXPECT_DOUBLE_EQ(o->grace_s, 0.0);
  EXPECT_EQ(o->server->port, 11123);
  EXPECT_EQ(o->rate.min_per_s, 5000);
  EXPECT_EQ(o->rate.max_per_s, 200000);
  EXPECT_EQ(o->clients, 1000000u);
  EXPECT_EQ(o->mode, RunMode::kInterleaved);
  EXPECT_EQ(o->threads, 2);
  EXPECT_EQ(o->label, "chronyd");
}

TEST(Options, BadAddresses) {
  EXPECT_NE(errorOf({"300.1.1.1"}).find("bad server address"), std::string::npos);
  EXPECT_NE(errorOf({"localhost"}).find("host names are not resolved"), std::string::npos);
  EXPECT_NE(errorOf({"127.0.0.1:99999"}).find("bad server address"), std::string::npos);
  EXPECT_NE(errorOf({"0.0.0.0"}).find("bad server address"), std::string::npos);
  EXPECT_NE(errorOf({"127.0.0.1", "--source", "10.0.0.0"}).find("NET/BITS"), std::string::npos);
  EXPECT_NE(errorOf({"127.0.0.1", "--source", "banana/8"}).find("bad --source"), std::string::npos);
  EXPECT_NE(errorOf({"127.0.0.1", "--source", "fd00::/64"}).find("different address families"),
            std::string::npos);
  EXPECT_NE(errorOf({}).find("no server given"), std::string::npos);
}

TEST(Options, NonLoopbackServerNeedsClientAddresses) {
  EXPECT_NE(errorOf({"192.0.2.10"}).find("--source NET/BITS is needed"), std::string::npos);
  EXPECT_TRUE(parse({"192.0.2.10", "--source", "10.99.0.0/16"}).ok());
}

TEST(Options, ImpossibleRatesAndLimits) {
  EXPECT_NE(errorOf({"127.0.0.1", "--rate", "20M"}).find("impossible"), std::string::npos);
  EXPECT_NE(errorOf({"127.0.0.1", "--rate", "0"}).find("--rate"), std::string::npos);
  EXPECT_NE(errorOf({"127.0.0.1", "--rate", "9000-10"}).find("MIN is above MAX"),
            std::string::npos);
  EXPECT_NE(errorOf({"127.0.0.1", "--step", "1"}).find("--step"), std::string::npos);
  EXPECT_NE(errorOf({"127.0.0.1", "--time", "0"}).find("--time"), std::string::npos);
  EXPECT_NE(errorOf({"127.0.0.1", "--clients", "0"}).find("--clients"), std::string::npos);
  EXPECT_NE(errorOf({"127.0.0.1", "--clients", "1000001"}).find("--clients"), std::string::npos);
  EXPECT_NE(errorOf({"127.0.0.1", "--clients", "2.5"}).find("--clients"), std::string::npos);
  EXPECT_NE(errorOf({"127.0.0.1", "--mode", "turbo"}).find("--mode"), std::string::npos);
  EXPECT_NE(errorOf({"127.0.0.1", "--max-loss", "101"}).find("--max-loss"), std::string::npos);
  EXPECT_NE(errorOf({"127.0.0.1", "--threads", "0"}).find("--threads"), std::string::npos);
  EXPECT_NE(errorOf({"127.0.0.1", "--grace", "-0.1"}).find("--grace"), std::string::npos);
  EXPECT_NE(errorOf({"127.0.0.1", "--grace", "11"}).find("--grace"), std::string::npos);
  EXPECT_NE(errorOf({"127.0.0.1", "--rate", "1-1M", "--step", "1.01", "--time", "60"})
                .find("3600 s limit"),
            std::string::npos);
  EXPECT_NE(errorOf({"127.0.0.1", "--bogus"}).find("unrecognised"), std::string::npos);
  EXPECT_NE(errorOf({"127.0.0.1", "--rate"}).find("rate"), std::string::npos);
}

TEST(Options, ClientsMustFitTheSourceSubnet) {
  EXPECT_TRUE(parse({"127.0.0.1", "--source", "127.1.0.0/24", "--clients", "254"}).ok());
  EXPECT_NE(
      errorOf({"127.0.0.1", "--source", "127.1.0.0/24", "--clients", "255"}).find("has only 254"),
      std::string::npos);
  EXPECT_NE(errorOf({"::1", "--clients", "2"}).find("has only 1"), std::string::npos);
  EXPECT_TRUE(parse({"::1", "--clients", "1"}).ok());
}

TEST(Options, PlotOnly) {
  auto o = parse({"--plot", "out.svg", "--from", "a.json", "--from", "b.json"});
  ASSERT_TRUE(o.ok()) << o.error().message;
  EXPECT_FALSE(o->server.has_value());
  EXPECT_EQ(o->plot_inputs.size(), 2u);
  EXPECT_NE(errorOf({"--plot", "out.svg"}).find("no server given"), std::string::npos);
}

TEST(Options, HelpAndVersion) {
  auto h = parse({"--help"});
  ASSERT_TRUE(h.ok());
  EXPECT_TRUE(h->help);
  EXPECT_NE(h->help_text.find("--rate"), std::string::npos);
  EXPECT_TRUE(parse({"--version"})->version);
}

TEST(ClientAddresses, HostsOfTheSubnet) {
  auto net8 = *common::Subnet::parse("127.0.0.0/8");
  EXPECT_EQ(usableAddresses(net8), (1u << 24) - 2);
  EXPECT_EQ(usableAddresses(*common::Subnet::parse("10.0.0.0/4")), 1u << 24);  // capped
  EXPECT_EQ(clientAddress(net8, 0).toString(), "127.0.0.1");
  EXPECT_EQ(clientAddress(net8, 999999).toString(), "127.15.66.64");
  auto net24 = *common::Subnet::parse("10.1.2.0/24");
  EXPECT_EQ(usableAddresses(net24), 254u);
  EXPECT_EQ(clientAddress(net24, 253).toString(), "10.1.2.254");
  auto host = *common::Subnet::parse("127.0.0.5/32");
  EXPECT_EQ(usableAddresses(host), 1u);
  EXPECT_EQ(clientAddress(host, 0).toString(), "127.0.0.5");
  auto v6 = *common::Subnet::parse("fd00::/112");
  EXPECT_EQ(usableAddresses(v6), 65534u);
  EXPECT_EQ(clientAddress(v6, 256).toString(), "fd00::101");
}

TEST(ClientModes, MixedAlternates) {
  EXPECT_EQ(clientModeFor(RunMode::kBasic, 1), ClientMode::kBasic);
  EXPECT_EQ(clientModeFor(RunMode::kInterleaved, 0), ClientMode::kInterleaved);
  EXPECT_EQ(clientModeFor(RunMode::kMixed, 0), ClientMode::kBasic);
  EXPECT_EQ(clientModeFor(RunMode::kMixed, 1), ClientMode::kInterleaved);
}

}  // namespace
}  // namespace strata::perf
