// server, pool, peer, acquisitionport, initstepslew.
#include <gtest/gtest.h>

#include "test_util.h"

namespace strata::config {
namespace {

using common::Nanos;
using testing::otherWarnings;
using testing::parse;
using testing::parseError;
using testing::parseOk;

NtpSourceConfig only(const Config& c) {
  EXPECT_EQ(c.sources.ntp.size(), 1u);
  return c.sources.ntp.empty() ? NtpSourceConfig{} : c.sources.ntp[0];
}

TEST(Server, DefaultsAreChronys) {
  NtpSourceConfig s = only(parseOk("server ntp.example"));
  EXPECT_EQ(s.type, NtpSourceType::kServer);
  EXPECT_EQ(s.address, "ntp.example");
  EXPECT_EQ(s.port, 123);
  EXPECT_EQ(s.minpoll_log2, 6);
  EXPECT_EQ(s.maxpoll_log2, 10);
  EXPECT_FALSE(s.iburst || s.burst || s.prefer || s.noselect || s.trust || s.require || s.xleave ||
               s.offline || s.auto_offline || s.copy || s.nts);
  EXPECT_EQ(s.key_id, 0u);
  EXPECT_EQ(s.nts_port, 4460);
  EXPECT_EQ(s.cert_set, 0u);
  EXPECT_EQ(s.max_delay, Nanos(3'000'000'000));
  EXPECT_EQ(s.max_delay_ratio, 0.0);
  EXPECT_EQ(s.max_delay_dev_ratio, 10.0);
  EXPECT_FALSE(s.max_delay_quant);
  EXPECT_FALSE(s.min_delay);
  EXPECT_FALSE(s.asymmetry);
  EXPECT_EQ(s.offset, Nanos(0));
  EXPECT_EQ(s.filter_polls, 0);
  EXPECT_FALSE(s.min_samples);
  EXPECT_FALSE(s.max_samples);
  EXPECT_EQ(s.poll_target, 8);
  EXPECT_FALSE(s.presend_log2);
  EXPECT_EQ(s.min_stratum, 0);
  EXPECT_FALSE(s.version);
  EXPECT_TRUE(s.ext_fields.empty());
  EXPECT_EQ(s.max_sources, 4);
}

TEST(Server, EveryOption) {
  NtpSourceConfig s = only(parseOk(
      "server 192.0.2.1 iburst burst minpoll -7 maxpoll 24 prefer noselect trust require "
      "xleave key 4294967295 nts certset 7 maxdelay 0.3 maxdelayratio 2.5 maxdelaydevratio 4 "
      "maxdelayquant 0.2 mindelay 0.0001 asymmetry -0.5 offset -0.00005 filter 3 minsamples 4 "
      "maxsamples 32 polltarget 60 presend 9 port 11123 ntsport 4461 minstratum 3 version 3 "
      "copy extfield F323 offline auto_offline"));
  EXPECT_EQ(s.address, "192.0.2.1");
  EXPECT_TRUE(s.iburst && s.burst && s.prefer && s.noselect && s.trust && s.require && s.xleave &&
              s.nts && s.copy && s.offline && s.auto_offline);
  EXPECT_EQ(s.minpoll_log2, -7);
  EXPECT_EQ(s.maxpoll_log2, 24);
  EXPECT_EQ(s.key_id, 4294967295u);
  EXPECT_EQ(s.cert_set, 7u);
  EXPECT_EQ(s.max_delay, Nanos(300'000'000));
  EXPECT_EQ(s.max_delay_ratio, 2.5);
  EXPECT_EQ(s.max_delay_dev_ratio, 4.0);
  EXPECT_EQ(s.max_delay_quant, 0.2);
  EXPECT_EQ(s.min_delay, Nanos(100'000));
  EXPECT_EQ(s.asymmetry, -0.5);
  EXPECT_EQ(s.offset, Nanos(-50'000));
  EXPECT_EQ(s.filter_polls, 3);
  EXPECT_EQ(s.min_samples, 4);
  EXPECT_EQ(s.max_samples, 32);
  EXPECT_EQ(s.poll_target, 60);
  EXPECT_EQ(s.presend_log2, 9);
  EXPECT_EQ(s.port, 11123);
  EXPECT_EQ(s.nts_port, 4461);
  EXPECT_EQ(s.min_stratum, 3);
  EXPECT_EQ(s.version, 3);
  EXPECT_EQ(s.ext_fields, (std::vector<uint16_t>{kExtFieldExpMonoRoot}));
}

TEST(Server, OptionNamesAreCaseInsensitiveAndRepeatedOptionsTakeTheLast) {
  NtpSourceConfig s = only(parseOk("SERVER Host.Example IBURST MinPoll 4 minpoll 5"));
  EXPECT_EQ(s.address, "Host.Example");
  EXPECT_TRUE(s.iburst);
  EXPECT_EQ(s.minpoll_log2, 5);
}

TEST(Server, MaxpollBelowMinpollIsRaisedWithAWarning) {
  auto p = parse("server a minpoll 11");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p.config->sources.ntp[0].maxpoll_log2, 11);
  EXPECT_EQ(otherWarnings(p),
            (std::vector<std::string>{"/etc/strata/strata.conf:1: server: maxpoll 10 is below "
                                      "minpoll 11; using 11"}));
}

TEST(Server, SourcesKeepFileOrderAndType) {
  Config c = parseOk("server a\npool b maxsources 16\npeer c\nserver d\n");
  ASSERT_EQ(c.sources.ntp.size(), 4u);
  EXPECT_EQ(c.sources.ntp[0].type, NtpSourceType::kServer);
  EXPECT_EQ(c.sources.ntp[1].type, NtpSourceType::kPool);
  EXPECT_EQ(c.sources.ntp[1].max_sources, 16);
  EXPECT_EQ(c.sources.ntp[2].type, NtpSourceType::kPeer);
  EXPECT_EQ(c.sources.ntp[3].address, "d");
}

TEST(Pool, MaxSourcesRange) {
  EXPECT_EQ(parseError("pool p maxsources 17"),
            "/etc/strata/strata.conf:1: pool: maxsources must be an integer from 1 to 16, got "
            "\"17\"");
  EXPECT_EQ(parseError("pool p maxsources 0"),
            "/etc/strata/strata.conf:1: pool: maxsources must be an integer from 1 to 16, got "
            "\"0\"");
}

TEST(Server, MaxSourcesIsIgnoredWithAWarning) {
  auto p = parse("server s maxsources 3");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p.config->sources.ntp[0].max_sources, 4);
  EXPECT_EQ(otherWarnings(p),
            (std::vector<std::string>{
                "/etc/strata/strata.conf:1: server: maxsources applies to pool only; ignored"}));
}

TEST(Peer, ClientOnlyOptionsAreIgnoredWithWarnings) {
  auto p = parse("peer p iburst burst nts copy presend 9 xleave");
  ASSERT_TRUE(p.ok()) << p.error();
  NtpSourceConfig s = p.config->sources.ntp[0];
  EXPECT_FALSE(s.iburst || s.burst || s.nts || s.copy || s.presend_log2);
  EXPECT_TRUE(s.xleave);
  EXPECT_EQ(otherWarnings(p).size(), 5u);
  EXPECT_EQ(otherWarnings(p)[0],
            "/etc/strata/strata.conf:1: peer: iburst does not apply to peer; ignored");
  EXPECT_EQ(parseError("peer p presend 99"),
            "/etc/strata/strata.conf:1: peer: presend must be an integer from -7 to 24, got "
            "\"99\"");
}

TEST(Server, Errors) {
  const std::string at = "/etc/strata/strata.conf:1: server: ";
  EXPECT_EQ(parseError("server"), at + "expected HOST [OPTION]..., got nothing");
  EXPECT_EQ(parseError("server a ibrust"), at + "unknown option \"ibrust\"");
  EXPECT_EQ(parseError("server a b"), at + "unknown option \"b\"");
  EXPECT_EQ(parseError("server a minpoll"), at + "option minpoll needs a value");
  EXPECT_EQ(parseError("server a minpoll -8"),
            at + "minpoll must be an integer from -7 to 24, got \"-8\"");
  EXPECT_EQ(parseError("server a maxpoll 25"),
            at + "maxpoll must be an integer from -7 to 24, got \"25\"");
  EXPECT_EQ(parseError("server a minpoll 1.5"),
            at + "minpoll must be an integer from -7 to 24, got \"1.5\"");
  EXPECT_EQ(parseError("server a key 0"),
            at + "key must be an integer from 1 to 4294967295, got \"0\"");
  EXPECT_EQ(parseError("server a key 4294967296"),
            at + "key must be an integer from 1 to 4294967295, got \"4294967296\"");
  EXPECT_EQ(parseError("server a maxdelay 1001"),
            at + "maxdelay must be a number of seconds from 0 to 1000, got \"1001\"");
  EXPECT_EQ(parseError("server a maxdelay inf"),
            at + "maxdelay must be a number of seconds from 0 to 1000, got \"inf\"");
  EXPECT_EQ(parseError("server a asymmetry 0.6"),
            at + "asymmetry must be a number from -0.5 to 0.5, got \"0.6\"");
  EXPECT_EQ(parseError("server a maxdelayquant 0.01"),
            at + "maxdelayquant must be a number from 0.05 to 0.95, got \"0.01\"");
  EXPECT_EQ(parseError("server a port 0"),
            at + "port must be an integer from 1 to 65535, got \"0\"");
  EXPECT_EQ(parseError("server a version 5"),
            at + "version must be an integer from 1 to 4, got \"5\"");
  EXPECT_EQ(parseError("server a minstratum 16"),
            at + "minstratum must be an integer from 0 to 15, got \"16\"");
  EXPECT_EQ(parseError("server a extfield F324"),
            at + "extfield must be a supported extension field type (F323), got \"F324\"");
  EXPECT_EQ(parseError("server a offset x"),
            at + "offset must be a number of seconds from -1000000 to 1000000, got \"x\"");
}

TEST(Server, ExtFieldIsCaseInsensitiveAndKeptOnce) {
  EXPECT_EQ(only(parseOk("server a extfield f323 extfield F323")).ext_fields,
            (std::vector<uint16_t>{0xF323}));
}

TEST(AcquisitionPort, UnsetByDefault) {
  EXPECT_FALSE(parseOk("").sources.acquisition_port);
  EXPECT_EQ(parseOk("acquisitionport 1123").sources.acquisition_port, 1123);
  EXPECT_EQ(parseOk("acquisitionport 0").sources.acquisition_port, 0);
  EXPECT_EQ(parseError("acquisitionport -1"),
            "/etc/strata/strata.conf:1: acquisitionport: PORT must be an integer from 0 to "
            "65535, got \"-1\"");
}

TEST(InitStepSlew, ThresholdAndHosts) {
  EXPECT_FALSE(parseOk("").sources.initstepslew);
  auto i = parseOk("initstepslew 30 foo.example bar.example").sources.initstepslew;
  ASSERT_TRUE(i);
  EXPECT_EQ(i->threshold, Nanos(30'000'000'000));
  EXPECT_EQ(i->hosts, (std::vector<std::string>{"foo.example", "bar.example"}));
  EXPECT_TRUE(parseOk("initstepslew 1").sources.initstepslew->hosts.empty());
  EXPECT_EQ(parseError("initstepslew"),
            "/etc/strata/strata.conf:1: initstepslew: expected THRESHOLD [HOST]..., got nothing");
  EXPECT_EQ(parseError("initstepslew x a"),
            "/etc/strata/strata.conf:1: initstepslew: THRESHOLD must be a number of seconds "
            "from 0 to 1000000000, got \"x\"");
}

}  // namespace
}  // namespace strata::config
