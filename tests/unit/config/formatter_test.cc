// formatConfig: explicit defaults, the single-line forms, and the round-trip property
// parse(format(parse(text))) == parse(text).
#include "server/config/formatter.h"

#include <gtest/gtest.h>

#include "config_generator.h"
#include "test_util.h"

namespace strata::config {
namespace {

using testing::parse;
using testing::parseOk;

bool hasLine(const std::string& text, const std::string& line) {
  return ("\n" + text).find("\n" + line + "\n") != std::string::npos;
}

void expectRoundTrip(const Config& config, const FileSystem& fs) {
  std::string text = formatConfig(config);
  std::vector<std::string> warnings;
  auto again = parseConfigText(text, testing::kFile, fs, warnings);
  ASSERT_TRUE(again.ok()) << again.error().message << "\nformatted:\n" << text;
  EXPECT_TRUE(*again == config) << "formatted:\n"
                                << text << "\nformatted again:\n"
                                << formatConfig(*again);
}

TEST(FormatConfig, DefaultsAreWrittenOut) {
  std::string text = formatConfig(Config{});
  for (const char* line : {"port 123",
                           "dscp 0",
                           "workers 0",
                           "workerbatch 32",
                           "txstampcal on",
                           "txstampshed 3",
                           "metricsport 0",
                           "bindmetricsaddress 127.0.0.1",
                           "clientloglimit 524288",
                           "minsources 1",
                           "maxdistance 3",
                           "maxjitter 1",
                           "maxupdateskew 1000",
                           "maxslewrate 83333.33333333333",
                           "maxdrift 500000",
                           "maxclockerror 1",
                           "corrtimeratio 3",
                           "combinelimit 3",
                           "reselectdist 0.0001",
                           "stratumweight 0.001",
                           "leapsecmode system",
                           "fallbackdrift 0 0",
                           "bindcmdaddress 127.0.0.1",
                           "bindcmdaddress ::1",
                           "cmdport 323",
                           "ntsport 4460",
                           "ntsrotate 604800",
                           "sched_priority 0",
                           "# allow (none: no NTP client is served)",
                           "# ratelimit (off: responses are not rate limited)",
                           "# driftfile (none)",
                           "# makestep (none: the clock is only slewed)",
                           "# rtcsync (off)",
                           "# local (off: the local clock is never served as a reference)",
                           "# pidfile (none)",
                           "# logdir (none: no log files)",
                           "# bindcmdaddress (unix socket at stratad's default path)"}) {
    EXPECT_TRUE(hasLine(text, line)) << "missing: " << line << "\n" << text;
  }
}

TEST(FormatConfig, SettingsThatAreOnAreWrittenAsDirectives) {
  Config c = parseOk(
      "local stratum 3 orphan waitunsynced 30\nallow all 10/8\ndeny 10.1\nratelimit burst 16\n"
      "noclientlog\ndriftfile /var/lib/strata/drift\nmakestep 0.1 -1\nrtcsync\nmanual\n"
      "maxchange 1000 1 2\nsmoothtime 400 0.001 leaponly\nlog tracking measurements\n"
      "logdir /var/log/strata\nbindcmdaddress /run/strata/cmd.sock\ncmdallow 192.168/16\n"
      "cmdratelimit interval 2\nntsratelimit\nworkercpus 0-3,6\ntxstampcal off\ntxstampshed off\n"
      "initstepslew 30 a.example b.example\nacquisitionport 1123\npidfile /run/s.pid\n");
  std::string text = formatConfig(c);
  for (const char* line :
       {"local stratum 3 distance 1 orphan activate 0 waitsynced 0 waitunsynced 30",
        "allow all 10.0.0.0/8",
        "deny 10.1.0.0/16",
        "ratelimit interval 3 burst 16 leak 2 kod 0",
        "noclientlog",
        "driftfile /var/lib/strata/drift interval 3600",
        "makestep 0.1 -1",
        "rtcsync",
        "manual",
        "maxchange 1000 1 2",
        "smoothtime 400 0.001 leaponly",
        "log measurements tracking",
        "logdir /var/log/strata",
        "bindcmdaddress /run/strata/cmd.sock",
        "cmdallow 192.168.0.0/16",
        "cmdratelimit interval 2 burst 8 leak 2",
        "ntsratelimit interval 6 burst 8 leak 2",
        "workercpus 0-3,6",
        "txstampcal off",
        "txstampshed off",
        "initstepslew 30 a.example b.example",
        "acquisitionport 1123",
        "pidfile /run/s.pid"}) {
    EXPECT_TRUE(hasLine(text, line)) << "missing: " << line << "\n" << text;
  }
}

TEST(FormatLines, NtpSource) {
  Config c = parseOk(
      "server 192.0.2.1 iburst key 7 maxdelayquant 0.2 mindelay 0.0001 asymmetry 0.25 "
      "version 3 extfield F323 presend 9 minsamples 4\npool p.example maxsources 3\n"
      "peer q.example xleave\n");
  EXPECT_EQ(formatNtpSource(c.sources.ntp[0]),
            "server 192.0.2.1 port 123 minpoll 6 maxpoll 10 iburst key 7 ntsport 4460 "
            "certset 0 maxdelay 3 maxdelayratio 0 maxdelaydevratio 10 maxdelayquant 0.2 "
            "mindelay 0.0001 asymmetry 0.25 offset 0 filter 0 minsamples 4 polltarget 8 "
            "presend 9 minstratum 0 version 3 extfield F323");
  EXPECT_EQ(formatNtpSource(c.sources.ntp[1]),
            "pool p.example port 123 minpoll 6 maxpoll 10 ntsport 4460 certset 0 maxdelay 3 "
            "maxdelayratio 0 maxdelaydevratio 10 offset 0 filter 0 polltarget 8 minstratum 0 "
            "maxsources 3");
  EXPECT_EQ(formatNtpSource(c.sources.ntp[2]),
            "peer q.example port 123 minpoll 6 maxpoll 10 xleave ntsport 4460 certset 0 "
            "maxdelay 3 maxdelayratio 0 maxdelaydevratio 10 offset 0 filter 0 polltarget 8 "
            "minstratum 0");
}

TEST(FormatLines, RefclockAndHwTimestamp) {
  Config c = parseOk(
      "refclock PHC /dev/ptp0:extpps:pin=1 width 0.2 poll 2 refid GPS\n"
      "refclock SHM 1:perm=0644 precision 1e-6\nrefclock PPS /dev/pps0:clear lock GPS\n"
      "hwtimestamp eth1 txcomp 300e-9 rxcomp 645e-9 rxfilter ptp\n");
  EXPECT_EQ(formatRefclock(c.refclocks[0]),
            "refclock PHC /dev/ptp0:extpps:pin=1:channel=0 poll 2 dpoll 0 refid GPS rate 1 "
            "offset 0 delay 0.000000001 maxlockage 2 filter 64 width 0.2 stratum 0");
  EXPECT_EQ(formatRefclock(c.refclocks[1]),
            "refclock SHM 1:perm=0644 poll 4 dpoll 0 rate 1 offset 0 delay 0.000000001 "
            "precision 0.000001 maxlockage 2 filter 64 width 0 stratum 0");
  EXPECT_EQ(formatRefclock(c.refclocks[2]),
            "refclock PPS /dev/pps0:clear poll 4 dpoll 0 lock GPS rate 1 offset 0 delay "
            "0.000000001 maxlockage 2 filter 64 width 0 stratum 0");
  EXPECT_EQ(formatHwTimestamp(c.hwtimestamps[0]),
            "hwtimestamp eth1 minpoll 0 minsamples 2 maxsamples 16 precision 0.0000001 "
            "txcomp 0.0000003 rxcomp 0.000000645 rxfilter ptp");
}

TEST(RoundTrip, DefaultConfig) {
  MemoryFileSystem fs;
  expectRoundTrip(Config{}, fs);
}

TEST(RoundTrip, RichHandWrittenConfig) {
  MemoryFileSystem fs({{"/run/chrony-dhcp/eth0.sources", "server 192.0.2.9 iburst\n"}});
  auto p = parse(
      "port 11123\nbindaddress 127.0.0.1\nbindaddress ::1\nallow 127/8\ndeny all ::/0\n"
      "local stratum 10 orphan\nserver a.example iburst minpoll 4 maxpoll 6 xleave\n"
      "pool pool.example maxsources 8\nsourcedir /run/chrony-dhcp\n"
      "refclock PHC /dev/ptp0:nocrossts poll 0 dpoll -2 offset -37 tai\n"
      "hwtimestamp * rxfilter all\ndriftfile /var/lib/strata/drift interval 60\n"
      "makestep 1.0 3\nleapsectz right/UTC\nlog tracking\nratelimit interval 1 burst 16 kod 2\n"
      "workers 4\nworkercpus 1-4\nmetricsport 9123\nbindmetricsaddress ::1\n",
      fs);
  ASSERT_TRUE(p.ok()) << p.error();
  ASSERT_EQ(p.config->sources.dir_sources.size(), 1u);
  expectRoundTrip(*p.config, fs);
}

// The property: any valid configuration prints to text that parses back to the same Config.
TEST(RoundTrip, GeneratedConfigs) {
  testing::ConfigGenerator gen(20240601);
  MemoryFileSystem fs;
  int parsed = 0;
  for (int i = 0; i < 1500; ++i) {
    std::string text = gen.config(40);
    auto p = parse(text, fs);
    ASSERT_TRUE(p.ok()) << "generated text does not parse:\n" << text << "\n" << p.error();
    ++parsed;
    expectRoundTrip(*p.config, fs);
    if (::testing::Test::HasFailure()) {
      ADD_FAILURE() << "input was:\n" << text;
      return;
    }
  }
  EXPECT_EQ(parsed, 1500);
}

// Every generated line alone, so that each directive and option is covered on its own too.
TEST(RoundTrip, GeneratedSingleLines) {
  testing::ConfigGenerator gen(7);
  MemoryFileSystem fs;
  for (int i = 0; i < 5000; ++i) {
    std::string line = gen.line();
    auto p = parse(line, fs);
    ASSERT_TRUE(p.ok()) << line << "\n" << p.error();
    expectRoundTrip(*p.config, fs);
    ASSERT_FALSE(::testing::Test::HasFailure()) << line;
  }
}

TEST(RoundTrip, FormattingIsStable) {
  testing::ConfigGenerator gen(3);
  MemoryFileSystem fs;
  for (int i = 0; i < 200; ++i) {
    auto p = parse(gen.config(30), fs);
    ASSERT_TRUE(p.ok());
    std::string once = formatConfig(*p.config);
    auto again = parse(once, fs);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(formatConfig(*again.config), once);
  }
}

}  // namespace
}  // namespace strata::config
