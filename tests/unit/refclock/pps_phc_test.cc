#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "refclock/drivers/phc.h"
#include "refclock/drivers/pps.h"
#include "tests/unit/refclock/test_util.h"

namespace strata::refclock {
namespace {

using namespace testing;

class RecordingSink : public SampleSink {
 public:
  void sample(const Sample& s) override { samples.push_back(s); }
  void reject(RejectReason r) override { rejects.push_back(r); }
  void fault(std::string_view) override { ++faults; }
  void recovered() override { ++recoveries; }
  std::vector<Sample> samples;
  std::vector<RejectReason> rejects;
  int faults = 0;
  int recoveries = 0;
};

TEST(PpsPulse, OffsetIsMinusThePositionInThePeriod) {
  Sample s = ppsPulseSample(at(10) + Nanos(1234), 1.0);
  EXPECT_TRUE(s.pulse);
  EXPECT_EQ(s.offset, Nanos(-1234));
  s = ppsPulseSample(at(10) - Nanos(1234), 1.0);
  EXPECT_EQ(s.offset, Nanos(-(kSec - 1234)));            // completion brings it to +1234
  s = ppsPulseSample(at(10) + Nanos(100'000'100), 5.0);  // 5 Hz: 200 ms period
  EXPECT_EQ(s.offset, Nanos(-100'000'100));
}

class FakePps final : public PpsDevice {
 public:
  common::Result<PpsEdges> fetch() override {
    if (fail) return common::makeError("device gone");
    return edges;
  }
  PpsEdges edges;
  bool fail = false;
};

TEST(PpsDriver, OneSamplePerNewEdgeAndFaultsOnVanishingDevice) {
  auto dev = std::make_unique<FakePps>();
  FakePps* fake = dev.get();
  PpsDriver d(std::move(dev), {});
  EXPECT_TRUE(d.producesPulses());
  RecordingSink sink;
  fake->edges.assert_sequence = 0;  // never pulsed
  d.poll(at(0), sink);
  EXPECT_TRUE(sink.samples.empty());
  fake->edges.assert_sequence = 1;
  fake->edges.assert_time = at(1) + Nanos(300);
  d.poll(at(1.2), sink);
  d.poll(at(1.5), sink);  // same edge
  ASSERT_EQ(sink.samples.size(), 1u);
  EXPECT_EQ(sink.samples[0].local_time, at(1) + Nanos(300));
  EXPECT_EQ(sink.samples[0].offset, Nanos(-300));
  fake->fail = true;
  d.poll(at(2.2), sink);
  EXPECT_EQ(sink.faults, 1);
  fake->fail = false;
  fake->edges.assert_sequence = 3;
  fake->edges.assert_time = at(3);
  d.poll(at(3.2), sink);
  EXPECT_EQ(sink.samples.size(), 2u);
}

TEST(PpsDriver, ClearEdgeOption) {
  auto dev = std::make_unique<FakePps>();
  dev->edges.assert_sequence = 5;
  dev->edges.assert_time = at(1);
  dev->edges.clear_sequence = 9;
  dev->edges.clear_time = at(1) + Nanos(200'000'000);
  PpsDriver d(std::move(dev), {.clear = true});
  RecordingSink sink;
  d.poll(at(1.3), sink);
  ASSERT_EQ(sink.samples.size(), 1u);
  EXPECT_EQ(sink.samples[0].local_time, at(1) + Nanos(200'000'000));
}

TEST(PhcSample, NarrowestWindowWins) {
  std::vector<PhcOffsetSample> v = {
      {at(0), at(0) + Nanos(37 * kSec + 600), at(0) + Nanos(1200)},
      {at(1), at(1) + Nanos(37 * kSec + 300), at(1) + Nanos(500)},
      {at(2), at(2) + Nanos(5), at(2) - Nanos(100)},  // inverted: ignored
  };
  auto s = phcSample(v);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->local_time, at(1) + Nanos(250));
  EXPECT_EQ(s->offset, Nanos(37 * kSec + 50));
  EXPECT_EQ(s->dispersion, Nanos(250));
  EXPECT_FALSE(phcSample({}).has_value());
}

class FakePhc final : public PhcReader {
 public:
  common::Result<std::vector<PhcOffsetSample>> readOffset(bool precise) override {
    last_precise = precise;
    if (fail) return common::makeError("PTP_SYS_OFFSET: No such device");
    return readings;
  }
  common::Result<std::vector<PhcExtts>> readExtts() override { return std::exchange(events, {}); }
  std::vector<PhcOffsetSample> readings;
  std::vector<PhcExtts> events;
  bool fail = false;
  bool last_precise = true;
};

TEST(PhcDriver, SamplesAndNocrossts) {
  auto r = std::make_unique<FakePhc>();
  FakePhc* fake = r.get();
  fake->readings = {{at(5), at(5) + Nanos(1000), at(5) + Nanos(400)}};
  PhcDriver d(std::move(r), {.nocrossts = true});
  RecordingSink sink;
  d.poll(at(5), sink);
  EXPECT_FALSE(fake->last_precise);
  ASSERT_EQ(sink.samples.size(), 1u);
  EXPECT_EQ(sink.samples[0].offset, Nanos(800));
  fake->fail = true;
  d.poll(at(6), sink);
  EXPECT_EQ(sink.faults, 1);
  fake->fail = false;
  fake->readings = {};
  d.poll(at(7), sink);
  ASSERT_EQ(sink.rejects.size(), 1u);
}

TEST(PhcDriver, ExtppsConvertsEventsThroughTheOffset) {
  auto r = std::make_unique<FakePhc>();
  FakePhc* fake = r.get();
  // The PHC runs 2.5 ms ahead of the system clock.
  fake->readings = {{at(5), at(5) + Nanos(2'500'000), at(5)}};
  PhcDriver d(std::move(r), {.extpps = true, .channel = 1});
  EXPECT_TRUE(d.producesPulses());
  RecordingSink sink;
  // An event before any offset reading cannot be converted.
  fake->events = {{at(4) + Nanos(2'500'000), 1}};
  d.onReadable(at(4), sink);
  ASSERT_EQ(sink.rejects.size(), 1u);
  // Poll: reads the offset, then (no event fd) the events: one on our channel, one not.
  fake->events = {{at(6) + Nanos(2'500'000) + Nanos(700), 1}, {at(6), 0}};
  d.poll(at(6.1), sink);
  ASSERT_EQ(sink.samples.size(), 1u);
  EXPECT_TRUE(sink.samples[0].pulse);
  EXPECT_EQ(sink.samples[0].local_time, at(6) + Nanos(700));
  EXPECT_EQ(sink.samples[0].offset, Nanos(-700));
}

}  // namespace
}  // namespace strata::refclock
