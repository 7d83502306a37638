#include "refclock/drivers/shm.h"

#include <gtest/gtest.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <unistd.h>

#include <cstring>
#include <string>
#include <vector>

#include "tests/unit/refclock/test_util.h"

namespace strata::refclock {
namespace {

using namespace testing;

ShmFields validFields() {
  ShmFields f;
  f.mode = 1;
  f.count = 7;
  f.clock_sec = 1'772'323'200;
  f.clock_usec = 250'000;
  f.clock_nsec = 250'000'123;
  f.receive_sec = 1'772'323'200;
  f.receive_usec = 250'010;
  f.receive_nsec = 250'010'000;
  f.valid = 1;
  return f;
}

TEST(ShmParse, LayoutRoundTripsAndFieldOffsetsMatchNtpd) {
  ShmFields f = validFields();
  auto bytes = encodeShm(f);
  int32_t valid;
  std::memcpy(&valid, bytes.data() + 48, 4);
  EXPECT_EQ(valid, 1);
  int64_t receive_sec;
  std::memcpy(&receive_sec, bytes.data() + 24, 8);
  EXPECT_EQ(receive_sec, f.receive_sec);
  ShmFields g = decodeShm(bytes);
  EXPECT_EQ(g.clock_nsec, f.clock_nsec);
  EXPECT_EQ(g.count, 7);
}

TEST(ShmParse, ValidSampleUsesConsistentNanoseconds) {
  ShmResult r = interpretShm(validFields(), 7);
  ASSERT_EQ(r.kind, ShmResult::Kind::kSample);
  EXPECT_EQ(r.sample.offset, Nanos(123 - 10'000));  // clock - receive
  EXPECT_EQ(r.sample.local_time, common::sysTimeFromNanos(1'772'323'200LL * kSec + 250'010'000));
}

TEST(ShmParse, InconsistentNanosecondsFallBackToMicroseconds) {
  ShmFields f = validFields();
  f.clock_nsec = 999;  // a writer that never sets NSec
  ShmResult r = interpretShm(f, 7);
  ASSERT_EQ(r.kind, ShmResult::Kind::kSample);
  EXPECT_EQ(r.sample.offset, Nanos(-10'000));
}

TEST(ShmParse, RejectsWhatIsWrong) {
  ShmFields f = validFields();
  f.valid = 0;
  EXPECT_EQ(interpretShm(f, 7).kind, ShmResult::Kind::kNoSample);
  f = validFields();
  EXPECT_EQ(interpretShm(f, 8).reason, RejectReason::kTornRead);
  f.mode = 0;
  EXPECT_EQ(interpretShm(f, 8).kind, ShmResult::Kind::kSample);  // mode 0 ignores count
  f.mode = 2;
  EXPECT_EQ(interpretShm(f, 7).reason, RejectReason::kBadMode);
  f = validFields();
  f.receive_usec = 1'000'000;
  EXPECT_EQ(interpretShm(f, 7).reason, RejectReason::kBadTimestamp);
  f = validFields();
  f.clock_sec = -5;
  EXPECT_EQ(interpretShm(f, 7).reason, RejectReason::kBadTimestamp);
  f = validFields();
  f.leap = 7;
  EXPECT_EQ(interpretShm(f, 7).reason, RejectReason::kBadTimestamp);
  f = validFields();
  f.leap = 3;
  ShmResult r = interpretShm(f, 7);
  ASSERT_EQ(r.kind, ShmResult::Kind::kSample);
  EXPECT_EQ(r.sample.leap, LeapIndicator::kUnsynchronized);  // the TimeKeeper rejects it
  std::vector<uint8_t> short_segment(64, 0);
  EXPECT_EQ(parseShmBytes(short_segment).reason, RejectReason::kBadSize);
}

class RecordingSink : public SampleSink {
 public:
  void sample(const Sample& s) override { samples.push_back(s); }
  void reject(RejectReason r) override { rejects.push_back(r); }
  void fault(std::string_view m) override { faults.emplace_back(m); }
  void recovered() override { ++recoveries; }
  std::vector<Sample> samples;
  std::vector<RejectReason> rejects;
  std::vector<std::string> faults;
  int recoveries = 0;
};

// A real SysV segment with a unit nobody else uses; removed at the end even on failure.
class ShmDriverTest : public ::testing::Test {
 protected:
  void SetUp() override { unit_ = 20000 + static_cast<int>(::getpid() % 20000); }
  void TearDown() override {
    int id = ::shmget(kShmKeyBase + unit_, 0, 0);
    if (id >= 0) ::shmctl(id, IPC_RMID, nullptr);
  }
  void write(const ShmFields& f) {
    int id = ::shmget(kShmKeyBase + unit_, kShmSegmentSize, 0);
    ASSERT_GE(id, 0);
    void* p = ::shmat(id, nullptr, 0);
    ASSERT_NE(p, reinterpret_cast<void*>(-1));
    auto bytes = encodeShm(f);
    std::memcpy(p, bytes.data(), bytes.size());
    ::shmdt(p);
  }
  int32_t readValid() {
    int id = ::shmget(kShmKeyBase + unit_, kShmSegmentSize, 0);
    void* p = ::shmat(id, nullptr, 0);
    int32_t v;
    std::memcpy(&v, static_cast<uint8_t*>(p) + 48, 4);
    ::shmdt(p);
    return v;
  }
  int unit_ = 0;
};

TEST_F(ShmDriverTest, CreatesTheSegmentReadsSamplesAndClearsValid) {
  ShmDriver d({.unit = unit_, .perm = 0600});
  RecordingSink sink;
  d.poll(SysTime{}, sink);
  EXPECT_TRUE(sink.faults.empty());
  EXPECT_TRUE(sink.samples.empty());
  struct shmid_ds ds;
  int id = ::shmget(kShmKeyBase + unit_, 0, 0);
  ASSERT_GE(id, 0);
  ASSERT_EQ(::shmctl(id, IPC_STAT, &ds), 0);
  EXPECT_EQ(ds.shm_perm.mode & 0777, 0600u);
  EXPECT_EQ(ds.shm_segsz, kShmSegmentSize);

  write(validFields());
  d.poll(SysTime{}, sink);
  ASSERT_EQ(sink.samples.size(), 1u);
  EXPECT_EQ(readValid(), 0);
  d.poll(SysTime{}, sink);  // nothing new
  EXPECT_EQ(sink.samples.size(), 1u);

  ShmFields bad = validFields();
  bad.mode = 9;
  write(bad);
  d.poll(SysTime{}, sink);
  ASSERT_EQ(sink.rejects.size(), 1u);
  EXPECT_EQ(sink.rejects[0], RejectReason::kBadMode);
}

TEST_F(ShmDriverTest, ReattachesWhenTheSegmentIsRemoved) {
  ShmDriver d({.unit = unit_, .perm = 0600});
  RecordingSink sink;
  d.poll(SysTime{}, sink);
  int id = ::shmget(kShmKeyBase + unit_, 0, 0);
  ASSERT_EQ(::shmctl(id, IPC_RMID, nullptr), 0);
  d.poll(SysTime{}, sink);  // notices, creates a new one
  int id2 = ::shmget(kShmKeyBase + unit_, 0, 0);
  ASSERT_GE(id2, 0);
  EXPECT_NE(id2, id);
  write(validFields());
  d.poll(SysTime{}, sink);
  EXPECT_EQ(sink.samples.size(), 1u);
}

TEST_F(ShmDriverTest, WrongSizeSegmentIsAFaultNotACrash) {
  int id = ::shmget(kShmKeyBase + unit_, 16, IPC_CREAT | 0600);
  ASSERT_GE(id, 0);
  ShmDriver d({.unit = unit_, .perm = 0600});
  RecordingSink sink;
  d.poll(SysTime{}, sink);
  d.poll(SysTime{}, sink);
  ASSERT_EQ(sink.faults.size(), 2u);
  EXPECT_NE(sink.faults[0].find("size"), std::string::npos);
}

}  // namespace
}  // namespace strata::refclock
