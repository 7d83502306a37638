#include "tools/strataperf/results.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace strata::perf {
namespace {

StepResult makeStep(double rate, uint64_t sent, uint64_t basic, uint64_t xleave, uint64_t kod) {
  StepResult s;
  s.rate_per_s = rate;
  s.duration_s = 2;
  s.sent_per_s = static_cast<double>(sent) / 2;
  s.counters.sent = sent;
  s.counters.verdicts[static_cast<size_t>(ReplyVerdict::kBasic)] = basic;
  s.counters.verdicts[static_cast<size_t>(ReplyVerdict::kInterleaved)] = xleave;
  s.counters.verdicts[static_cast<size_t>(ReplyVerdict::kKissOfDeath)] = kod;
  SampleSet rx, tx;
  for (int i = 1; i <= 100; ++i) {
    rx.add(1000 + i);
    tx.add(2000 + 10 * i);
  }
  s.rx_error = rx.summary();
  s.tx_error_basic = tx.summary();
  return s;
}

TEST(StepResult, Percentages) {
  StepResult s = makeStep(1000, 2000, 1500, 300, 100);
  EXPECT_DOUBLE_EQ(s.lostPct(), 5.0);     // 100 of 2000 never answered
  EXPECT_DOUBLE_EQ(s.invalidPct(), 5.0);  // 100 KoD
  EXPECT_NEAR(s.basicPct(), 100.0 * 1500 / 1800, 1e-9);
  EXPECT_NEAR(s.interleavedPct(), 100.0 * 300 / 1800, 1e-9);
  EXPECT_DOUBLE_EQ(s.replyRate(), 900);
  StepResult none = makeStep(1000, 0, 0, 0, 0);
  EXPECT_EQ(none.lostPct(), 0);
  EXPECT_EQ(none.basicPct(), 0);
}

TEST(RunResult, HighestRateBelowLoss) {
  RunResult run;
  run.steps = {makeStep(1000, 2000, 2000, 0, 0), makeStep(2000, 4000, 3990, 0, 0),
               makeStep(4000, 8000, 7000, 0, 0)};
  EXPECT_EQ(highestRateBelowLoss(run, 1.0), 2000);
  run.steps[1].send_shortfall = true;  // not the server's figure then
  EXPECT_EQ(highestRateBelowLoss(run, 1.0), 1000);
  EXPECT_EQ(highestRateBelowLoss(RunResult{}, 1.0), 0);
}

TEST(Table, RowHasTheFigures) {
  StepResult s = makeStep(22500, 45000, 45000, 0, 0);
  std::string row = tableRow(s, "basic");
  EXPECT_NE(row.find("22500"), std::string::npos);
  EXPECT_NE(row.find("+1050"), std::string::npos);  // RX p50
  EXPECT_NE(row.find("+2500"), std::string::npos);  // TX p50
  EXPECT_EQ(row.find("!"), std::string::npos);
  s.counters.sender_stall_ns = 60'000'000;
  EXPECT_NE(tableRow(s, "basic").find("(sender held up 60 ms)"), std::string::npos);
  s.send_shortfall = true;
  EXPECT_NE(tableRow(s, "basic").find("sent below the asked rate"), std::string::npos);
  EXPECT_EQ(tableRow(s, "basic").find("held up"), std::string::npos);
  // Interleaved columns only when not basic; dashes without samples.
  EXPECT_EQ(tableHeader("basic").find("interleaved"), std::string::npos);
  EXPECT_NE(tableHeader("mixed").find("interleaved"), std::string::npos);
  EXPECT_NE(tableRow(s, "interleaved").find("      -"), std::string::npos);
}

TEST(Csv, HeaderAndRowsHaveTheSameColumns) {
  RunResult run;
  run.label = "a,b";
  run.server = "127.0.0.1:123";
  run.mode = "basic";
  StepResult s = makeStep(1000, 2000, 2000, 0, 0);
  std::string header = csvHeader(), row = csvRow(run, s);
  // The label holds a comma and is quoted: count separators outside quotes.
  auto columns = [](const std::string& line) {
    int n = 1;
    bool quoted = false;
    for (char c : line) {
      if (c == '"') quoted = !quoted;
      if (c == ',' && !quoted) ++n;
    }
    return n;
  };
  EXPECT_EQ(columns(header), columns(row));
  EXPECT_EQ(row.rfind("\"a,b\",", 0), 0u);
}

TEST(Json, RoundTrip) {
  RunResult run;
  run.label = "chronyd \"4.3\"";
  run.server = "127.0.0.1:11123";
  run.mode = "mixed";
  run.clients = 1000000;
  run.step_time_s = 0.5;
  run.command = "strataperf 127.0.0.1:11123";
  run.stop_reason = "loss above the threshold";
  run.steps = {makeStep(1000, 2000, 1500, 400, 3), makeStep(1500, 3000, 3000, 0, 0)};
  run.steps[0].send_shortfall = true;
  run.steps[0].counters.tx_stamps = 1999;
  run.steps[0].counters.named_replies = 1480;
  run.steps[0].counters.named_interleaved = 370;
  auto doc = parseJson(toJson(run));
  ASSERT_TRUE(doc.ok()) << doc.error().message;
  auto back = runFromJson(*doc);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->label, run.label);
  EXPECT_EQ(back->mode, "mixed");
  EXPECT_EQ(back->clients, 1000000u);
  ASSERT_EQ(back->steps.size(), 2u);
  const StepResult& s = back->steps[0];
  EXPECT_EQ(s.rate_per_s, 1000);
  EXPECT_TRUE(s.send_shortfall);
  EXPECT_EQ(s.counters.tx_stamps, 1999u);
  EXPECT_EQ(s.counters.named_replies, 1480u);
  EXPECT_EQ(s.counters.named_interleaved, 370u);
  EXPECT_DOUBLE_EQ(s.namedInterleavedPct(), 25.0);
  EXPECT_EQ(s.counters.verdicts[static_cast<size_t>(ReplyVerdict::kInterleaved)], 400u);
  EXPECT_DOUBLE_EQ(s.lostPct(), run.steps[0].lostPct());
  EXPECT_EQ(s.rx_error.count, 100u);
  EXPECT_EQ(s.rx_error.p99_ns, run.steps[0].rx_error.p99_ns);
  EXPECT_NEAR(s.tx_error_basic.mean_ns, run.steps[0].tx_error_basic.mean_ns, 0.05);
  EXPECT_EQ(s.tx_error_interleaved.count, 0u);
}

TEST(Json, RejectsOtherDocuments) {
  EXPECT_FALSE(runFromJson(*parseJson("{\"tool\": \"ntpperf\", \"steps\": []}")).ok());
  EXPECT_FALSE(runFromJson(*parseJson("[1]")).ok());
  EXPECT_FALSE(
      runFromJson(*parseJson("{\"tool\": \"strataperf\", \"steps\": [{\"rate\": -1}]}")).ok());
  auto minimal = runFromJson(
      *parseJson("{\"tool\": \"strataperf\", \"server\": \"x\", \"steps\": [{\"rate\": 5}]}"));
  ASSERT_TRUE(minimal.ok());
  EXPECT_EQ(minimal->label, "x");  // label defaults to the server
  EXPECT_EQ(minimal->steps[0].counters.sent, 0u);
}

}  // namespace
}  // namespace strata::perf
