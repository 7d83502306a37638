#include "refclock/selection.h"

#include <gtest/gtest.h>

#include <vector>

namespace strata::refclock {
namespace {

Candidate good(double offset_s, double distance_s = 1e-6) {
  Candidate c;
  c.reachable = true;
  c.enough_samples = true;
  c.offset_s = offset_s;
  c.root_distance_s = distance_s;
  c.jitter_s = 1e-7;
  c.skew = 1e-9;
  return c;
}

TEST(Selection, MajorityWinsAndTheOddOneIsAFalseticker) {
  std::vector<Candidate> c = {good(0), good(0.5e-6), good(-0.5e-6), good(5e-3)};
  auto r = selectSources(c, {});
  ASSERT_EQ(r.outcome, SelectionOutcome::kSelected);
  EXPECT_EQ(r.status[3], SelectStatus::kFalseticker);
  EXPECT_NE(*r.selected, 3u);
  EXPECT_EQ(r.combined.size(), 3u);
  EXPECT_EQ(sourcesStateChar(r.status[3]), 'x');
}

TEST(Selection, TwoThatDisagreeHaveNoMajority) {
  std::vector<Candidate> c = {good(0), good(1e-3)};
  auto r = selectSources(c, {});
  EXPECT_EQ(r.outcome, SelectionOutcome::kNoMajority);
  EXPECT_FALSE(r.selected);
  EXPECT_EQ(sourcesStateChar(r.status[0]), '?');
}

TEST(Selection, TouchingIntervalsAgree) {
  std::vector<Candidate> c = {good(0, 1e-6), good(2e-6, 1e-6)};
  auto r = selectSources(c, {});
  EXPECT_EQ(r.outcome, SelectionOutcome::kSelected);
}

TEST(Selection, IneligibleSourcesAreMarked) {
  std::vector<Candidate> c(6, good(0));
  c[0].noselect = true;
  c[1].reachable = false;
  c[2].leap = proto::LeapIndicator::kUnsynchronized;
  c[3].enough_samples = false;
  c[4].root_distance_s = 5;
  c[5].jitter_s = 2;
  auto r = selectSources(c, {});
  EXPECT_EQ(r.outcome, SelectionOutcome::kNoCandidates);
  EXPECT_EQ(r.status[0], SelectStatus::kNoSelect);
  EXPECT_EQ(r.status[1], SelectStatus::kUnreachable);
  EXPECT_EQ(r.status[2], SelectStatus::kUnsynced);
  EXPECT_EQ(r.status[3], SelectStatus::kTooFewSamples);
  EXPECT_EQ(r.status[4], SelectStatus::kDistance);
  EXPECT_EQ(r.status[5], SelectStatus::kJittery);
  EXPECT_EQ(sourcesStateChar(r.status[5]), '~');
}

TEST(Selection, TrustedSourceOverridesAnUntrustedMajority) {
  std::vector<Candidate> c = {good(0), good(1e-3), good(1e-3)};
  c[0].trust = true;
  auto r = selectSources(c, {});
  ASSERT_EQ(r.outcome, SelectionOutcome::kSelected);
  EXPECT_EQ(*r.selected, 0u);
  EXPECT_EQ(r.status[1], SelectStatus::kUntrusted);
}

TEST(Selection, RequireAndMinSources) {
  std::vector<Candidate> c = {good(0), good(0), good(5e-3)};
  c[2].require = true;  // the required one is the falseticker
  auto r = selectSources(c, {});
  EXPECT_EQ(r.outcome, SelectionOutcome::kRequireMissing);
  EXPECT_EQ(r.status[0], SelectStatus::kWaiting);
  c[2].require = false;
  SelectionOptions o;
  o.min_sources = 3;
  r = selectSources(c, o);
  EXPECT_EQ(r.outcome, SelectionOutcome::kMinSources);
  o.min_sources = 2;
  EXPECT_EQ(selectSources(c, o).outcome, SelectionOutcome::kSelected);
}

TEST(Selection, PreferAndBestDistance) {
  std::vector<Candidate> c = {good(0, 2e-6), good(0, 1e-6), good(0, 3e-6)};
  auto r = selectSources(c, {});
  EXPECT_EQ(*r.selected, 1u);  // smallest distance
  c[2].prefer = true;
  r = selectSources(c, {});
  EXPECT_EQ(*r.selected, 2u);
  EXPECT_EQ(r.status[0], SelectStatus::kNotPreferred);
}

TEST(Selection, ReselectDistanceKeepsTheCurrentSource) {
  std::vector<Candidate> c = {good(0, 50e-6), good(0, 40e-6)};
  c[0].currently_selected = true;  // 10 us worse, but the hysteresis is 100 us
  auto r = selectSources(c, {});
  EXPECT_EQ(*r.selected, 0u);
}

TEST(Selection, CombineLimitAndFrequencyAgreement) {
  std::vector<Candidate> c = {good(0, 1e-6), good(0, 2e-6), good(0, 10e-6)};
  auto r = selectSources(c, {});
  EXPECT_EQ(r.status[1], SelectStatus::kCombined);
  EXPECT_EQ(r.status[2], SelectStatus::kNotCombined);  // 10 > 3 x 1 us
  c[1].freq = 1e-6;                                    // disagrees by far more than the skews allow
  r = selectSources(c, {});
  EXPECT_EQ(r.status[1], SelectStatus::kNotCombined);
  SelectionOptions none;
  none.combine_limit = 0;
  c[1].freq = 0;
  r = selectSources(c, none);
  EXPECT_EQ(r.combined.size(), 1u);
}

}  // namespace
}  // namespace strata::refclock
