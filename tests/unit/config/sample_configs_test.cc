// The sample configurations in tests/data/config and the built-in default configuration.
#include <gtest/gtest.h>

#include "server/config/directive_status.h"

#include "server/config/embedded_default.h"
#include "server/config/formatter.h"
#include "test_util.h"

#ifndef STRATA_CONFIG_TEST_DATA_DIR
#error "STRATA_CONFIG_TEST_DATA_DIR must name tests/data/config"
#endif

namespace strata::config {
namespace {

using common::IpAddress;
using common::Nanos;

struct Loaded {
  common::Result<Config> config = common::makeError("not loaded");
  std::vector<std::string> warnings;
};

Loaded load(const std::string& name) {
  Loaded l;
  l.config = parseConfigFile(std::string(STRATA_CONFIG_TEST_DATA_DIR) + "/" + name, l.warnings);
  return l;
}

std::vector<std::string> afterColonLine(const std::vector<std::string>& warnings) {
  // "path:3: text" -> "3: text", independent of where the tree is checked out.
  std::vector<std::string> out;
  for (const std::string& w : warnings) {
    auto colon = w.find(".conf:");
    out.push_back(colon == std::string::npos ? w : w.substr(colon + 6));
  }
  return out;
}

TEST(SeedChronyConf, ParsesWithTheExpectedValues) {
  Loaded l = load("chrony-centos7.conf");
  ASSERT_TRUE(l.config.ok()) << l.config.error().message;
  const Config& c = *l.config;
  ASSERT_EQ(c.sources.ntp.size(), 4u);
  for (int i = 0; i < 4; ++i) {
    const NtpSourceConfig& s = c.sources.ntp[static_cast<size_t>(i)];
    EXPECT_EQ(s.type, NtpSourceType::kServer);
    EXPECT_EQ(s.address, std::to_string(i) + ".centos.pool.ntp.org");
    EXPECT_TRUE(s.iburst);
    EXPECT_EQ(s.minpoll_log2, 6);
    EXPECT_EQ(s.maxpoll_log2, 10);
  }
  ASSERT_TRUE(c.discipline.driftfile);
  EXPECT_EQ(c.discipline.driftfile->path, "/var/lib/chrony/drift");
  ASSERT_TRUE(c.discipline.makestep);
  EXPECT_EQ(c.discipline.makestep->threshold, Nanos(1'000'000'000));
  EXPECT_EQ(c.discipline.makestep->limit, 3);
  EXPECT_TRUE(c.discipline.rtcsync);
  EXPECT_EQ(c.logging.logdir, "/var/log/chrony");
  // The commented-out lines stay defaults.
  EXPECT_TRUE(c.hwtimestamps.empty());
  EXPECT_EQ(c.discipline.min_sources, 1);
  EXPECT_TRUE(c.access.rules.empty());
  EXPECT_FALSE(c.serving.local.enabled);
  EXPECT_EQ(c.auth.keyfile, "");
  // Exactly the seed's directives that the daemon does not act on yet warn.
  std::vector<std::string> expected;
  for (auto [line, name] : std::vector<std::pair<int, std::string>>{
           {3, "server"}, {4, "server"}, {5, "server"}, {6, "server"}, {9, "driftfile"},
           {13, "makestep"}, {16, "rtcsync"}, {35, "logdir"}}) {
    if (!isDirectiveActive(name)) {
      expected.push_back(std::to_string(line) + ": " + name +
                         " is parsed but not active yet in this version");
    }
  }
  EXPECT_EQ(afterColonLine(l.warnings), expected);
}

TEST(SeedChronyConf, CommentedDirectivesParseWhenEnabled) {
  // The seed's commented-out lines, uncommented, are valid too.
  Config c = testing::parseOk(
      "hwtimestamp *\nminsources 2\nallow 192.168.0.0/16\nlocal stratum 10\n"
      "keyfile /etc/chrony.keys\n");
  EXPECT_EQ(c.hwtimestamps.size(), 1u);
  EXPECT_EQ(c.discipline.min_sources, 2);
  EXPECT_EQ(c.access.rules.size(), 1u);
  EXPECT_TRUE(c.serving.local.enabled);
  EXPECT_EQ(c.auth.keyfile, "/etc/chrony.keys");
}

TEST(SampleConfigs, Stratum1) {
  Loaded l = load("strata-stratum1.conf");
  ASSERT_TRUE(l.config.ok()) << l.config.error().message;
  const Config& c = *l.config;
  ASSERT_EQ(c.refclocks.size(), 1u);
  EXPECT_TRUE(c.refclocks[0].phc_extpps);
  EXPECT_EQ(c.refclocks[0].phc_pin, 1);
  EXPECT_EQ(c.refclocks[0].refid, "GPS");
  EXPECT_EQ(c.sources.ntp.size(), 2u);
  EXPECT_EQ(c.hwtimestamps.size(), 2u);
  EXPECT_EQ(c.access.rules.size(), 3u);
  EXPECT_EQ(c.ratelimit, (RateLimitConfig{true, 1, 16, 2, 1}));
  EXPECT_EQ(c.serving.workers, 8);
  EXPECT_EQ(c.serving.worker_batch, 64);
  EXPECT_EQ(c.serving.worker_cpus.size(), 8u);
  EXPECT_EQ(c.serving.metrics_port, 9123);
  EXPECT_EQ(c.deployment.user, "_strata");
}

TEST(SampleConfigs, DebianStyle) {
  Loaded l = load("debian-style.conf");
  ASSERT_TRUE(l.config.ok()) << l.config.error().message;
  EXPECT_EQ(l.config->sources.ntp.size(), 1u);
  EXPECT_EQ(l.config->sources.source_dirs.size(), 2u);
  EXPECT_TRUE(l.config->sources.dir_sources.empty());
  EXPECT_EQ(l.config->discipline.max_update_skew_ppm, 100.0);
}

TEST(SampleConfigs, RoundTrip) {
  RealFileSystem fs;
  for (const char* name : {"chrony-centos7.conf", "strata-stratum1.conf", "debian-style.conf"}) {
    Loaded l = load(name);
    ASSERT_TRUE(l.config.ok()) << name;
    std::vector<std::string> warnings;
    auto again = parseConfigText(formatConfig(*l.config), "/formatted.conf", fs, warnings);
    ASSERT_TRUE(again.ok()) << name << ": " << again.error().message;
    EXPECT_TRUE(*again == *l.config) << name;
  }
}

TEST(EmbeddedDefault, ParsesCleanlyWithTheIntendedValues) {
  MemoryFileSystem fs;
  std::vector<std::string> warnings;
  auto r = parseConfigText(kEmbeddedDefaultConfig, kEmbeddedDefaultConfigName, fs, warnings);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(warnings.empty()) << warnings.front();
  const Config& c = *r;
  EXPECT_EQ(c.serving.port, 11123);
  EXPECT_EQ(c.serving.bind_addresses, (std::vector<IpAddress>{IpAddress::loopbackV4()}));
  ASSERT_EQ(c.access.rules.size(), 1u);
  EXPECT_EQ(c.access.rules[0].action, AccessRule::Action::kAllow);
  EXPECT_EQ(*c.access.rules[0].subnet, *common::Subnet::parse("127.0.0.0/8"));
  EXPECT_TRUE(c.serving.local.enabled);
  EXPECT_EQ(c.serving.local.stratum, 10);
  EXPECT_TRUE(c.sources.ntp.empty());
  EXPECT_TRUE(c.refclocks.empty());
  EXPECT_EQ(c.deployment.pidfile, "");
  EXPECT_EQ(c.logging.logdir, "");
  EXPECT_FALSE(c.control.socket_path);
}

}  // namespace
}  // namespace strata::config
