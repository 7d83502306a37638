#include "server/stamp_shedding.h"

#include <gtest/gtest.h>

namespace strata::server {
namespace {

TEST(StampShedding, StampsWhileRequestsArriveFresh) {
  StampShedding s(3'000'000);
  EXPECT_FALSE(s.shed(0));
  EXPECT_FALSE(s.shed(2'999'999));
  EXPECT_FALSE(s.shed(3'000'000));  // at the threshold: still stamped
  s.afterRead(32, 32);
  EXPECT_FALSE(s.shed(1'000'000));
}

TEST(StampShedding, OneLateRequestShedsUntilAReadEmptiesTheSocket) {
  StampShedding s(3'000'000);
  EXPECT_FALSE(s.shed(100'000));
  EXPECT_TRUE(s.shed(3'000'001));
  // The rest of the batch, and of the next full batches, is shed even if it waited less.
  EXPECT_TRUE(s.shed(10'000));
  s.afterRead(32, 32);  // a full batch: the queue stands
  EXPECT_TRUE(s.shed(0));
  EXPECT_TRUE(s.shed(0));
  s.afterRead(7, 32);  // a short batch: the socket is empty
  EXPECT_FALSE(s.shedding());
  EXPECT_FALSE(s.shed(2'000'000));
}

TEST(StampShedding, AShortReadEndsSheddingEvenIfItHeldLateRequests) {
  // The worker calls afterRead once it has served the read's requests.
  StampShedding s(3'000'000);
  EXPECT_FALSE(s.shed(0));         // fresh, before the late one in the same read
  EXPECT_TRUE(s.shed(5'000'000));  // late
  EXPECT_TRUE(s.shed(0));          // the rest of that read
  s.afterRead(3, 32);              // it emptied the socket
  EXPECT_FALSE(s.shed(0));
}

TEST(StampShedding, WithOneDatagramPerReadAnEmptyReadEndsShedding) {
  // Every read that returns anything is full, so only a read that finds the socket empty
  // (or fails) can end an episode; before, one late request shed stamps for good.
  StampShedding s(3'000'000);
  EXPECT_TRUE(s.shed(4'000'000));
  s.afterRead(1, 1);
  EXPECT_TRUE(s.shed(0));
  s.afterRead(0, 1);
  EXPECT_FALSE(s.shed(0));
  EXPECT_TRUE(s.shed(4'000'000));
  s.afterRead(-1, 1);  // EAGAIN: nothing was waiting
  EXPECT_FALSE(s.shedding());
}

TEST(StampShedding, ZeroThresholdShedsEveryWaitedRequest) {
  StampShedding s(0);
  EXPECT_FALSE(s.shed(0));
  EXPECT_TRUE(s.shed(1));
}

}  // namespace
}  // namespace strata::server
