#include "hwts/phc_reader.h"

#include <gtest/gtest.h>

#include "hwts/fake_phc.h"
#include "hwts/phc_kernel_device.h"
#include "hwts/system_discovery.h"

namespace strata::hwts {
namespace {

using common::Nanos;
using common::SimClock;
using common::SysTime;
using common::sysTimeFromNanos;

constexpr int64_t kStart = 1'750'000'000'000'000'000;

TEST(NarrowestTriplet, PicksShortestIntervalAndItsMidpoint) {
  std::vector<PhcTriplet> t = {
      {sysTimeFromNanos(1000), PhcTime{50'000}, sysTimeFromNanos(1900)},  // 900 wide
      {sysTimeFromNanos(2000), PhcTime{51'000}, sysTimeFromNanos(2301)},  // 301 wide
      {sysTimeFromNanos(3000), PhcTime{52'000}, sysTimeFromNanos(3500)},  // 500 wide
  };
  auto s = narrowestTriplet(t, PhcReadMethod::kExtended);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->phc.ns, 51'000);
  EXPECT_EQ(s->sys, sysTimeFromNanos(2150));
  EXPECT_EQ(s->delay, Nanos(301));
  EXPECT_EQ(s->method, PhcReadMethod::kExtended);
}

TEST(NarrowestTriplet, SkipsBackwardsAndOverflowingTriplets) {
  std::vector<PhcTriplet> t = {
      {sysTimeFromNanos(5000), PhcTime{1}, sysTimeFromNanos(4000)},            // runs backwards
      {sysTimeFromNanos(INT64_MIN), PhcTime{2}, sysTimeFromNanos(INT64_MAX)},  // overflows
  };
  EXPECT_FALSE(narrowestTriplet(t, PhcReadMethod::kBasic));
  t.push_back({sysTimeFromNanos(10), PhcTime{3}, sysTimeFromNanos(10)});
  auto s = narrowestTriplet(t, PhcReadMethod::kBasic);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->phc.ns, 3);
  EXPECT_EQ(s->delay, Nanos(0));
  EXPECT_FALSE(narrowestTriplet({}, PhcReadMethod::kBasic));
}

struct ReaderCase {
  bool precise, extended, basic, nocrossts;
  std::optional<PhcReadMethod> expected;
};

class PhcReaderProbe : public ::testing::TestWithParam<ReaderCase> {};

TEST_P(PhcReaderProbe, ProbesInOrderOnce) {
  const ReaderCase c = GetParam();
  SimClock clock(sysTimeFromNanos(kStart));
  FakePhcConfig config;
  config.supports_precise = c.precise;
  config.supports_extended = c.extended;
  config.supports_basic = c.basic;
  FakePhc phc(clock, config);
  PhcReader reader(phc, {.no_cross_ts = c.nocrossts, .triplets = 5});
  auto s = reader.read();
  if (!c.expected) {
    ASSERT_FALSE(s);
    EXPECT_NE(s.error().message.find("fake PHC: no way to compare"), std::string::npos);
    return;
  }
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->method, *c.expected);
  EXPECT_EQ(reader.method(), c.expected);
  // The probe costs no extra reading: one device reading per read().
  EXPECT_EQ(phc.readCount(), 1u);
  ASSERT_TRUE(reader.read());
  EXPECT_EQ(phc.readCount(), 2u);
}

INSTANTIATE_TEST_SUITE_P(
    Methods, PhcReaderProbe,
    ::testing::Values(ReaderCase{true, true, true, false, PhcReadMethod::kPrecise},
                      ReaderCase{true, true, true, true, PhcReadMethod::kExtended},
                      ReaderCase{false, true, true, false, PhcReadMethod::kExtended},
                      ReaderCase{false, false, true, false, PhcReadMethod::kBasic},
                      ReaderCase{true, false, true, true, PhcReadMethod::kBasic},
                      ReaderCase{true, false, false, true, std::nullopt},
                      ReaderCase{false, false, false, false, std::nullopt}));

TEST(PhcReader, SampleMatchesTheFakeClocks) {
  SimClock clock(sysTimeFromNanos(kStart));
  clock.step(Nanos(-2'500));  // system clock 2.5 µs behind true time
  FakePhcConfig config;
  config.offset = Nanos(37'000'000'000);  // PHC on TAI
  config.read_delay_min = Nanos(200);
  config.read_delay_max = Nanos(800);
  FakePhc phc(clock, config);
  PhcReader reader(phc, {});
  auto s = reader.read();
  ASSERT_TRUE(s);
  // Without jitter and with symmetric halves the midpoint can be off by half the asymmetry.
  const Nanos err =
      (s->phc - PhcTime{}) - (s->sys.time_since_epoch()) - Nanos(37'000'000'000 + 2'500);
  EXPECT_LE(std::abs(err.count()), 300);
  EXPECT_GE(s->delay, Nanos(400));
  EXPECT_LE(s->delay, Nanos(1600));
}

// --- Real kernel paths available without a PHC. ---

TEST(KernelPhcDevice, MissingDeviceIsAnErrorNamingIt) {
  auto d = KernelPhcDevice::open("/dev/ptp-strata-test-missing");
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().message,
            "cannot open PHC /dev/ptp-strata-test-missing: No such file or directory");
}

TEST(KernelPhcDevice, NonPtpDeviceFailsEveryMethodCleanly) {
  // /dev/null answers every PTP ioctl with ENOTTY: the probe must try all three and report.
  auto d = KernelPhcDevice::open("/dev/null");
  ASSERT_TRUE(d) << d.error().message;
  PhcReader reader(**d, {});
  auto s = reader.read();
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().message,
            "/dev/null: no way to compare the PHC with the system clock (cross-timestamp "
            "(PTP_SYS_OFFSET_PRECISE): Inappropriate ioctl for device; extended "
            "(PTP_SYS_OFFSET_EXTENDED): Inappropriate ioctl for device; basic (PTP_SYS_OFFSET): "
            "Inappropriate ioctl for device)");
  EXPECT_FALSE(reader.method());
}

TEST(KernelPhcDevice, OpenByInterfaceWithoutPhc) {
  SystemDiscovery system;
  auto d = openPhc("lo", system.discovery());
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().message, "lo: has no PHC (ethtool reports no PHC index)");
  auto missing = openPhc("strata-nope0", system.discovery());
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, "PHC of strata-nope0: no such interface 'strata-nope0'");
}

}  // namespace
}  // namespace strata::hwts
