// Hardware timestamps on the serving path, without a NIC: a FakePhc (37 s ahead of the
// system clock, 20 ppm fast) read by a PhcTracker; the table turns raw PHC stamps into
// system time with the end-of-frame correction, and refuses what it cannot convert.
#include "server/hw_stamps.h"

#include <gtest/gtest.h>

#include "common/clock.h"
#include "hwts/fake_phc.h"
#include "hwts/phc_tracker.h"

namespace strata::server {
namespace {

using common::Nanos;

struct HwFixture : ::testing::Test {
  common::SimClock system{common::sysTimeFromNanos(1'800'000'000'000'000'000)};
  hwts::FakePhc* phc = nullptr;
  std::unique_ptr<hwts::PhcTracker> tracker;
  HwInterfaceTable table;

  void SetUp() override {
    hwts::FakePhcConfig c;
    c.offset = Nanos(37'000'000'000);
    c.freq_error = 20e-6;
    c.read_jitter = Nanos(20);
    c.read_delay_min = Nanos(200);
    c.read_delay_max = Nanos(400);
    auto device = std::make_unique<hwts::FakePhc>(system, c);
    phc = device.get();
    hwts::HwTimestampOptions options;
    options.rx_comp = Nanos(100);
    options.tx_comp = Nanos(50);
    tracker = std::make_unique<hwts::PhcTracker>("eth9", std::move(device), options);
    ASSERT_TRUE(table.add(HwInterface{7, 1000, options.rx_comp, options.tx_comp, &tracker->conversion()}));
    for (int i = 0; i < 8; ++i) {
      ASSERT_TRUE(tracker->poll());
      system.advance(Nanos(1'000'000'000));
    }
  }

  hwts::RawTimestamp raw(hwts::PhcTime t) const {
    return hwts::RawTimestamp{t.ns / 1'000'000'000, t.ns % 1'000'000'000};
  }
};

TEST_F(HwFixture, ConvertsRxStampsToSystemTimeAtTheEndOfTheFrame) {
  const common::SysTime truth = system.trueTime() - Nanos(300'000'000);
  hwts::RxControl rx;
  rx.hardware = raw(phc->phcAt(truth));
  rx.ts_ifindex = 7;
  rx.l2_length = 90;  // 90 + 4 FCS bytes at 1 Gb/s = 752 ns
  auto t = hardwareRxTime(rx, table);
  ASSERT_TRUE(t);
  const Nanos expected_shift = Nanos(752 - 100);  // end of frame, minus rxcomp
  EXPECT_NEAR(static_cast<double>((*t - phc->systemAt(truth)).count()), expected_shift.count(), 60);
}

TEST_F(HwFixture, ConvertsTxStampsWithTxcomp) {
  const common::SysTime truth = system.trueTime() - Nanos(10'000'000);
  auto t = hardwareTxTime(raw(phc->phcAt(truth)), 7, table);
  ASSERT_TRUE(t);
  EXPECT_NEAR(static_cast<double>((*t - phc->systemAt(truth)).count()), 50, 60);
}

TEST_F(HwFixture, RefusesUnknownInterfacesMissingStampsAndFarTimes) {
  hwts::RxControl rx;
  rx.hardware = raw(phc->phcAt(system.trueTime()));
  rx.ts_ifindex = 8;  // not enabled
  EXPECT_FALSE(hardwareRxTime(rx, table));
  rx.ts_ifindex = 7;
  rx.hardware = hwts::RawTimestamp{};
  EXPECT_FALSE(hardwareRxTime(rx, table));
  // A stamp an hour past the last reading is outside the model's range.
  EXPECT_FALSE(hardwareTxTime(raw(phc->phcAt(system.trueTime() + Nanos(3600'000'000'000))), 7, table));
  EXPECT_FALSE(hardwareTxTime(hwts::RawTimestamp{-5, 0}, 7, table));
  HwInterfaceTable empty;
  EXPECT_FALSE(hardwareTxTime(raw(phc->phcAt(system.trueTime())), 7, empty));
}

}  // namespace
}  // namespace strata::server
