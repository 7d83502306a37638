// logdir, log, bindcmdaddress, cmdport.
#include <gtest/gtest.h>

#include "test_util.h"

namespace strata::config {
namespace {

using common::IpAddress;
using testing::parseError;
using testing::parseOk;

TEST(Logging, DefaultsAreOff) {
  LoggingConfig l = parseOk("").logging;
  EXPECT_EQ(l.logdir, "");
  EXPECT_EQ(l.log, LogSelection{});
}

TEST(Logging, LogLinesAddUp) {
  LoggingConfig l = parseOk(
                        "logdir /var/log/chrony\nlog measurements statistics\nlog tracking\nlog\n"
                        "log rawmeasurements selection rtc refclocks tempcomp\n")
                        .logging;
  EXPECT_EQ(l.logdir, "/var/log/chrony");
  EXPECT_TRUE(l.log.measurements && l.log.statistics && l.log.tracking && l.log.raw_measurements &&
              l.log.selection && l.log.rtc && l.log.refclocks && l.log.tempcomp);
  EXPECT_TRUE(parseOk("log Tracking").logging.log.tracking);
}

TEST(Logging, Errors) {
  EXPECT_EQ(parseError("log measurements foo"),
            "/etc/strata/strata.conf:1: log: unknown option \"foo\" (expected measurements, "
            "rawmeasurements, selection, statistics, tracking, rtc, refclocks or tempcomp)");
  EXPECT_EQ(parseError("logdir"),
            "/etc/strata/strata.conf:1: logdir: expected DIRECTORY, got nothing");
  EXPECT_EQ(parseError("logdir a b"),
            "/etc/strata/strata.conf:1: logdir: expected DIRECTORY, got \"a b\"");
}

TEST(Control, Defaults) {
  ControlConfig k = parseOk("").control;
  EXPECT_FALSE(k.socket_path);
  EXPECT_EQ(k.bind_v4, IpAddress::loopbackV4());
  EXPECT_EQ(k.bind_v6, *IpAddress::parse("::1"));
  EXPECT_EQ(k.port, 323);
  EXPECT_TRUE(k.access.rules.empty());
  EXPECT_FALSE(k.ratelimit.enabled);
}

TEST(Control, BindCmdAddressKindsLastWins) {
  ControlConfig k = parseOk(
                        "bindcmdaddress /run/strata/stratad.sock\nbindcmdaddress 0.0.0.0\n"
                        "bindcmdaddress ::\nbindcmdaddress 192.0.2.1\nbindcmdaddress /\n")
                        .control;
  EXPECT_EQ(k.socket_path, "/");
  EXPECT_EQ(k.bind_v4, *IpAddress::parse("192.0.2.1"));
  EXPECT_EQ(k.bind_v6, IpAddress::anyV6());
}

TEST(Control, Errors) {
  EXPECT_EQ(parseError("bindcmdaddress relative/path"),
            "/etc/strata/strata.conf:1: bindcmdaddress: expected an IP address or an absolute "
            "socket path, got \"relative/path\"");
  EXPECT_EQ(parseError("bindcmdaddress"),
            "/etc/strata/strata.conf:1: bindcmdaddress: expected ADDRESS|/PATH, got nothing");
  EXPECT_EQ(parseOk("cmdport 0").control.port, 0);
  EXPECT_EQ(parseError("cmdport 65536"),
            "/etc/strata/strata.conf:1: cmdport: PORT must be an integer from 0 to 65535, got "
            "\"65536\"");
}

}  // namespace
}  // namespace strata::config
