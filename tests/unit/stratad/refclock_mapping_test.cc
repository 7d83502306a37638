// `refclock` lines from chrony.conf (parsed by server/config) mapped onto the pipeline's
// options, and the driver factory: the examples of chrony's manual, defaults, errors.
#include "server/stratad/refclock_mapping.h"

#include <gtest/gtest.h>

#include "proto/refid.h"
#include "server/config/parser.h"

namespace strata::stratad {
namespace {

using common::Nanos;

common::Result<refclock::RefclockConfig> map(const std::string& line, int index = 0) {
  config::MemoryFileSystem fs;
  std::vector<std::string> warnings;
  auto cfg = config::parseConfigText("refclock " + line + "\n", "test.conf", fs, warnings);
  if (!cfg) return cfg.error();
  return refclockConfigFor(cfg->refclocks.at(0), index);
}

TEST(RefclockMapping, ChronyManualExamples) {
  auto a = map("PPS /dev/pps0 lock NMEA refid GPS");
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->driver, refclock::RefclockDriverKind::kPps);
  EXPECT_EQ(a->parameter, "/dev/pps0");
  EXPECT_TRUE(a->source.pps);
  EXPECT_EQ(a->source.lock_refid, proto::refIdFromText("NMEA"));
  EXPECT_EQ(a->source.name, "GPS");
  EXPECT_EQ(a->source.refid, proto::refIdFromText("GPS"));

  auto b = map("SHM 0 offset 0.5 delay 0.2 refid NMEA noselect");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->shm.unit, 0);
  EXPECT_EQ(b->shm.perm, 0600);
  EXPECT_EQ(b->source.offset, Nanos(500'000'000));
  EXPECT_EQ(b->source.delay, Nanos(200'000'000));
  EXPECT_TRUE(b->source.noselect);

  auto c = map("PPS /dev/pps1:clear refid GPS2");
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->pps.clear);

  auto d = map("SHM 1:perm=0644 refid GPS2");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->shm.unit, 1);
  EXPECT_EQ(d->shm.perm, 0644);

  auto e = map("PHC /dev/ptp0 poll 0 dpoll -2 offset -37");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->source.poll_log2, 0);
  EXPECT_EQ(e->dpoll_log2, -2);
  EXPECT_EQ(e->source.offset, Nanos(-37'000'000'000));
  EXPECT_FALSE(e->source.pps);

  auto f = map("PHC /dev/ptp2:extpps:pin=1 width 0.2 poll 2");
  ASSERT_TRUE(f);
  EXPECT_TRUE(f->phc.extpps);
  EXPECT_EQ(f->phc.pin, 1);
  EXPECT_TRUE(f->source.pps);
  EXPECT_DOUBLE_EQ(f->source.width_s, 0.2);

  auto g = map("SOCK /var/run/chrony.ttyS0.sock", 3);
  ASSERT_TRUE(g);
  EXPECT_EQ(g->sock.path, "/var/run/chrony.ttyS0.sock");
  EXPECT_EQ(g->source.name, "SOC3");  // default refid: driver prefix + index
  EXPECT_EQ(g->source.poll_log2, 4);
  EXPECT_EQ(g->source.filter_length, 64);
  EXPECT_EQ(g->source.kind, refclock::SourceKind::kRefclock);
}

TEST(RefclockMapping, Errors) {
  EXPECT_FALSE(map("PPS /dev/pps0 lock PPS0"));   // itself
  EXPECT_FALSE(map("PHC /dev/ptp0 local"));       // not supported
  EXPECT_FALSE(map("SHM 0 offset nan"));          // rejected by the parser already
  EXPECT_FALSE(map("SHM x"));
}

TEST(RefclockMapping, FactoryOpensShmAndAsksForPhcReaders) {
  auto shm = map("SHM 30999");
  ASSERT_TRUE(shm) << shm.error().message;
  auto drv = refclock::createRefclockDriver(*shm, nullptr);
  ASSERT_TRUE(drv);
  EXPECT_EQ((*drv)->kind(), "SHM");  // nothing attached before the first poll
  auto phc = map("PHC eth0:nocrossts");
  ASSERT_TRUE(phc);
  EXPECT_FALSE(refclock::createRefclockDriver(*phc, nullptr));
  std::string asked;
  refclock::PhcReaderFactory factory =
      [&](const std::string& dev,
          const refclock::PhcOptions& o) -> common::Result<std::unique_ptr<refclock::PhcReader>> {
    asked = dev;
    EXPECT_TRUE(o.nocrossts);
    return common::makeError("no PHC here");
  };
  EXPECT_FALSE(refclock::createRefclockDriver(*phc, factory));
  EXPECT_EQ(asked, "eth0");
  auto pps = map("PPS /nonexistent/pps0");
  ASSERT_TRUE(pps);
  EXPECT_FALSE(refclock::createRefclockDriver(*pps, nullptr));  // a clear error, no crash
}

}  // namespace
}  // namespace strata::stratad
