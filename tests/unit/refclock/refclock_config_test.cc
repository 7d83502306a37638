#include "refclock/refclock_config.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "proto/refid.h"
#include "refclock/precision.h"

namespace strata::refclock {
namespace {

common::Result<RefclockConfig> parse(const std::string& line, int index = 0) {
  std::istringstream in(line);
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  std::vector<std::string_view> views(words.begin(), words.end());
  return parseRefclockDirective(views, index);
}

TEST(RefclockDirective, ChronyManualExamples) {
  auto a = parse("PPS /dev/pps0 lock NMEA refid GPS");
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->driver, RefclockDriverKind::kPps);
  EXPECT_EQ(a->parameter, "/dev/pps0");
  EXPECT_TRUE(a->source.pps);
  EXPECT_EQ(a->source.lock_refid, proto::refIdFromText("NMEA"));
  EXPECT_EQ(a->source.name, "GPS");

  auto b = parse("SHM 0 offset 0.5 delay 0.2 refid NMEA noselect");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->shm.unit, 0);
  EXPECT_EQ(b->shm.perm, 0600);
  EXPECT_EQ(b->source.offset, Nanos(500'000'000));
  EXPECT_EQ(b->source.delay, Nanos(200'000'000));
  EXPECT_TRUE(b->source.noselect);

  auto c = parse("PPS /dev/pps1:clear refid GPS2");
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->pps.clear);

  auto d = parse("SHM 1:perm=0644 refid GPS2");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->shm.unit, 1);
  EXPECT_EQ(d->shm.perm, 0644);

  auto e = parse("PHC /dev/ptp0 poll 0 dpoll -2 offset -37");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->source.poll_log2, 0);
  EXPECT_EQ(e->dpoll_log2, -2);
  EXPECT_EQ(e->source.offset, Nanos(-37'000'000'000));

  auto f = parse("PHC /dev/ptp2:extpps:pin=1 width 0.2 poll 2");
  ASSERT_TRUE(f);
  EXPECT_TRUE(f->phc.extpps);
  EXPECT_EQ(f->phc.pin, 1);
  EXPECT_TRUE(f->source.pps);
  EXPECT_DOUBLE_EQ(f->source.width_s, 0.2);

  auto g = parse("SOCK /var/run/chrony.ttyS0.sock", 3);
  ASSERT_TRUE(g);
  EXPECT_EQ(g->sock.path, "/var/run/chrony.ttyS0.sock");
  EXPECT_EQ(g->source.name, "SOC3");  // default refid: driver prefix + index
  EXPECT_EQ(g->source.poll_log2, 4);
  EXPECT_EQ(g->source.filter_length, 64);
}

TEST(RefclockDirective, Errors) {
  EXPECT_FALSE(parse("GPS /dev/gps0"));
  EXPECT_FALSE(parse("SHM"));
  EXPECT_FALSE(parse("SHM x"));
  EXPECT_FALSE(parse("SHM 0:perm=999"));
  EXPECT_FALSE(parse("SHM 0:bogus"));
  EXPECT_FALSE(parse("PPS /dev/pps0 poll"));
  EXPECT_FALSE(parse("PPS /dev/pps0 poll 99"));
  EXPECT_FALSE(parse("PPS /dev/pps0 refid TOOLONG"));
  EXPECT_FALSE(parse("PPS /dev/pps0 lock PPS0"));  // itself
  EXPECT_FALSE(parse("PHC /dev/ptp0 frobnicate 1"));
  EXPECT_FALSE(parse("PHC /dev/ptp0 local"));
  EXPECT_FALSE(parse("SHM 0 offset nan"));
}

TEST(RefclockDirective, FactoryOpensShmAndAsksForPhcReaders) {
  auto shm = parse("SHM 30999");
  ASSERT_TRUE(shm);
  auto drv = createRefclockDriver(*shm, nullptr);
  ASSERT_TRUE(drv);
  EXPECT_EQ((*drv)->kind(), "SHM");  // nothing attached before the first poll
  auto phc = parse("PHC eth0:nocrossts");
  ASSERT_TRUE(phc);
  EXPECT_FALSE(createRefclockDriver(*phc, nullptr));
  std::string asked;
  PhcReaderFactory factory =
      [&](const std::string& dev,
          const PhcOptions& o) -> common::Result<std::unique_ptr<PhcReader>> {
    asked = dev;
    EXPECT_TRUE(o.nocrossts);
    return common::makeError("no PHC here");
  };
  EXPECT_FALSE(createRefclockDriver(*phc, factory));
  EXPECT_EQ(asked, "eth0");
  auto pps = parse("PPS /nonexistent/pps0");
  ASSERT_TRUE(pps);
  EXPECT_FALSE(createRefclockDriver(*pps, nullptr));  // a clear error, no crash
}

TEST(Precision, MeasuredStepIsPlausible) {
  int64_t step = measureClockStepNs(200);
  EXPECT_GE(step, 1);
  EXPECT_LT(step, 10'000'000);
  EXPECT_EQ(precisionLog2FromNs(29), -25);  // 2^-25 s is 29.8 ns
  EXPECT_EQ(precisionLog2FromNs(30), -24);
  EXPECT_EQ(precisionLog2FromNs(1000), -19);
  EXPECT_EQ(precisionLog2FromNs(1), -29);
}

}  // namespace
}  // namespace strata::refclock
