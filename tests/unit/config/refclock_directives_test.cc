// refclock DRIVER PARAMETER[:OPTION]... [OPTION]...
#include <gtest/gtest.h>

#include "test_util.h"

namespace strata::config {
namespace {

using common::Nanos;
using testing::parseError;
using testing::parseOk;

RefclockConfig only(const Config& c) {
  EXPECT_EQ(c.refclocks.size(), 1u);
  return c.refclocks.empty() ? RefclockConfig{} : c.refclocks[0];
}

TEST(Refclock, DefaultsAreChronys) {
  RefclockConfig r = only(parseOk("refclock PHC /dev/ptp0"));
  EXPECT_EQ(r.driver, RefclockDriver::kPhc);
  EXPECT_EQ(r.device, "/dev/ptp0");
  EXPECT_FALSE(r.phc_nocrossts || r.phc_extpps || r.clear);
  EXPECT_EQ(r.phc_pin, 0);
  EXPECT_EQ(r.phc_channel, 0);
  EXPECT_EQ(r.shm_perm, 0600);
  EXPECT_EQ(r.poll_log2, 4);
  EXPECT_EQ(r.dpoll_log2, 0);
  EXPECT_EQ(r.refid, "");
  EXPECT_EQ(r.lock_refid, "");
  EXPECT_EQ(r.rate_hz, 1);
  EXPECT_EQ(r.offset, Nanos(0));
  EXPECT_EQ(r.delay, Nanos(1));
  EXPECT_FALSE(r.precision);
  EXPECT_FALSE(r.max_dispersion);
  EXPECT_EQ(r.max_lock_age, 2);
  EXPECT_EQ(r.filter_length, 64);
  EXPECT_FALSE(r.prefer || r.noselect || r.trust || r.require || r.pps || r.tai || r.local);
  EXPECT_EQ(r.width, Nanos(0));
  EXPECT_EQ(r.stratum, 0);
  EXPECT_FALSE(r.min_samples);
  EXPECT_FALSE(r.max_samples);
}

TEST(Refclock, PhcDriverOptions) {
  RefclockConfig r = only(parseOk("refclock PHC /dev/ptp0:nocrossts:extpps:pin=1:channel=2:clear"));
  EXPECT_EQ(r.device, "/dev/ptp0");
  EXPECT_TRUE(r.phc_nocrossts);
  EXPECT_TRUE(r.phc_extpps);
  EXPECT_EQ(r.phc_pin, 1);
  EXPECT_EQ(r.phc_channel, 2);
  EXPECT_TRUE(r.clear);
  EXPECT_EQ(only(parseOk("refclock PHC eth0:pin=-1")).phc_pin, -1);
  EXPECT_EQ(only(parseOk("refclock PHC eth0")).device, "eth0");
}

TEST(Refclock, OtherDrivers) {
  RefclockConfig pps = only(parseOk("refclock PPS /dev/pps1:clear refid GPS2"));
  EXPECT_EQ(pps.driver, RefclockDriver::kPps);
  EXPECT_EQ(pps.device, "/dev/pps1");
  EXPECT_TRUE(pps.clear);
  EXPECT_EQ(pps.refid, "GPS2");

  RefclockConfig shm = only(parseOk("refclock SHM 0:perm=0644 refid GPS1"));
  EXPECT_EQ(shm.driver, RefclockDriver::kShm);
  EXPECT_EQ(shm.device, "0");
  EXPECT_EQ(shm.shm_perm, 0644);
  EXPECT_EQ(only(parseOk("refclock SHM 2")).shm_perm, 0600);

  RefclockConfig sock = only(parseOk("refclock sock /var/run/chrony.ttyS0.sock"));
  EXPECT_EQ(sock.driver, RefclockDriver::kSock);
  EXPECT_EQ(sock.device, "/var/run/chrony.ttyS0.sock");
}

TEST(Refclock, EveryOption) {
  RefclockConfig r = only(parseOk(
      "refclock PHC /dev/ptp0 poll 0 dpoll -2 refid GPS lock PPS rate 5 offset -37 "
      "delay 0.0001 precision 1e-9 maxdispersion 0.5 maxlockage 3 filter 16 prefer noselect "
      "trust require pps width 0.2 stratum 1 tai local minsamples 4 maxsamples 8"));
  EXPECT_EQ(r.poll_log2, 0);
  EXPECT_EQ(r.dpoll_log2, -2);
  EXPECT_EQ(r.refid, "GPS");
  EXPECT_EQ(r.lock_refid, "PPS");
  EXPECT_EQ(r.rate_hz, 5);
  EXPECT_EQ(r.offset, Nanos(-37'000'000'000));
  EXPECT_EQ(r.delay, Nanos(100'000));
  EXPECT_EQ(r.precision, Nanos(1));
  EXPECT_EQ(r.max_dispersion, Nanos(500'000'000));
  EXPECT_EQ(r.max_lock_age, 3);
  EXPECT_EQ(r.filter_length, 16);
  EXPECT_TRUE(r.prefer && r.noselect && r.trust && r.require && r.pps && r.tai && r.local);
  EXPECT_EQ(r.width, Nanos(200'000'000));
  EXPECT_EQ(r.stratum, 1);
  EXPECT_EQ(r.min_samples, 4);
  EXPECT_EQ(r.max_samples, 8);
}

TEST(Refclock, SeveralKeepOrder) {
  Config c = parseOk(
      "refclock PPS /dev/pps0 lock NMEA refid GPS\n"
      "refclock SHM 0 offset 0.5 delay 0.2 refid NMEA noselect\n");
  ASSERT_EQ(c.refclocks.size(), 2u);
  EXPECT_EQ(c.refclocks[0].lock_refid, "NMEA");
  EXPECT_EQ(c.refclocks[1].offset, Nanos(500'000'000));
  EXPECT_EQ(c.refclocks[1].delay, Nanos(200'000'000));
  EXPECT_TRUE(c.refclocks[1].noselect);
}

TEST(Refclock, Errors) {
  const std::string at = "/etc/strata/strata.conf:1: refclock: ";
  EXPECT_EQ(parseError("refclock PPS"),
            at + "expected DRIVER PARAMETER[:OPTION]... [OPTION]..., got \"PPS\"");
  EXPECT_EQ(parseError("refclock"),
            at + "expected DRIVER PARAMETER[:OPTION]... [OPTION]..., got nothing");
  EXPECT_EQ(parseError("refclock FOO x"), at + "DRIVER must be PHC, PPS, SHM or SOCK, got \"FOO\"");
  EXPECT_EQ(parseError("refclock PHC :nocrossts"),
            at + "PARAMETER must not be empty, got \":nocrossts\"");
  EXPECT_EQ(parseError("refclock PHC /dev/ptp0:bogus"), at + "unknown PHC option \"bogus\"");
  EXPECT_EQ(parseError("refclock PHC /dev/ptp0::clear"), at + "unknown PHC option \"\"");
  EXPECT_EQ(parseError("refclock PPS /dev/pps0:nocrossts"),
            at + "unknown PPS option \"nocrossts\"");
  EXPECT_EQ(parseError("refclock SOCK /run/x.sock:clear"), at + "unknown SOCK option \"clear\"");
  EXPECT_EQ(parseError("refclock PHC /dev/ptp0:pin"), at + "PHC option pin needs a value (pin=N)");
  EXPECT_EQ(parseError("refclock PHC /dev/ptp0:pin=256"),
            at + "pin must be an integer from -1 to 255, got \"256\"");
  EXPECT_EQ(parseError("refclock PHC /dev/ptp0:clear=1"), at + "PHC option clear takes no value");
  EXPECT_EQ(parseError("refclock SHM 0:perm=999"),
            at + "perm must be an octal mode from 0 to 0777, got \"999\"");
  EXPECT_EQ(parseError("refclock SHM 0:perm"), at + "SHM option perm needs a value (perm=MODE)");
  EXPECT_EQ(parseError("refclock SHM x"),
            at + "the SHM segment must be a number from 0 to 65535, got \"x\"");
  EXPECT_EQ(parseError("refclock SOCK /x refid TOOLONG"),
            at + "refid must be 1 to 4 ASCII characters, got \"TOOLONG\"");
  EXPECT_EQ(parseError("refclock SHM 0 stratum 16"),
            at + "stratum must be an integer from 0 to 15, got \"16\"");
  EXPECT_EQ(parseError("refclock SHM 0 poll 25"),
            at + "poll must be an integer from -7 to 24, got \"25\"");
  EXPECT_EQ(parseError("refclock SHM 0 filter 0"),
            at + "filter must be an integer from 1 to 1024, got \"0\"");
  EXPECT_EQ(parseError("refclock SHM 0 rate 0"),
            at + "rate must be an integer from 1 to 1000000, got \"0\"");
  EXPECT_EQ(parseError("refclock SHM 0 width 2"),
            at + "width must be a number of seconds from 0 to 1, got \"2\"");
  EXPECT_EQ(parseError("refclock SHM 0 iburst"), at + "unknown option \"iburst\"");
}

}  // namespace
}  // namespace strata::config
