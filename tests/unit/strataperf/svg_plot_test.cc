#include "tools/strataperf/svg_plot.h"

#include <gtest/gtest.h>

namespace strata::perf {
namespace {

size_t countOf(const std::string& hay, const std::string& needle) {
  size_t n = 0;
  for (size_t p = hay.find(needle); p != std::string::npos; p = hay.find(needle, p + 1)) ++n;
  return n;
}

RunResult run(const std::string& label, double scale, bool interleaved) {
  RunResult r;
  r.label = label;
  r.mode = interleaved ? "interleaved" : "basic";
  r.clients = 100;
  for (double rate : {1000.0, 3000.0, 9000.0, 27000.0}) {
    StepResult s;
    s.rate_per_s = rate;
    s.counters.sent = 1000;
    s.counters.verdicts[0] = rate > 10000 ? 500 : 1000;
    s.rx_error.count = s.tx_error_basic.count = 10;
    s.rx_error.mean_ns = 1500 * scale;
    s.rx_error.p99_ns = static_cast<int64_t>(4000 * scale);
    s.tx_error_basic.mean_ns = 3000 * scale;
    s.tx_error_basic.p99_ns = static_cast<int64_t>(9000 * scale);
    if (interleaved) {
      s.tx_error_interleaved.count = 10;
      s.tx_error_interleaved.mean_ns = -200;
      s.tx_error_interleaved.p99_ns = 800;
    }
    r.steps.push_back(s);
  }
  return r;
}

TEST(SvgPlot, OverlaysRunsWithLegendAndAxes) {
  std::string svg = renderPlotSvg({run("stratad <fast>", 0.3, true), run("chronyd", 1.0, false)});
  EXPECT_EQ(svg.rfind("<?xml", 0), 0u);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
  EXPECT_NE(svg.find("stratad &lt;fast&gt;"), std::string::npos);  // escaped legend text
  EXPECT_NE(svg.find(">chronyd</text>"), std::string::npos);
  EXPECT_NE(svg.find("offered rate"), std::string::npos);
  EXPECT_NE(svg.find("lost (%)"), std::string::npos);
  EXPECT_NE(svg.find(">1k</text>"), std::string::npos);  // log axis decade labels
  EXPECT_NE(svg.find(">10k</text>"), std::string::npos);
  // Series: per run loss + TX mean + TX p99 + RX mean + RX p99, and for the interleaved run
  // its interleaved TX mean + p99.
  EXPECT_EQ(countOf(svg, "<polyline"), 2u * 5 + 2);
  // Two colours.
  EXPECT_NE(svg.find("#1f77b4"), std::string::npos);
  EXPECT_NE(svg.find("#d62728"), std::string::npos);
  // The error axis reaches chronyd's 9 µs p99.
  EXPECT_NE(svg.find(">8</text>"), std::string::npos);
}

TEST(SvgPlot, StepsWithoutSamplesBreakTheLine) {
  RunResult r = run("gappy", 1.0, false);
  r.steps[1].tx_error_basic.count = 0;  // e.g. no basic replies at that rate
  r.steps[2].tx_error_basic.count = 0;
  std::string svg = renderPlotSvg({r});
  // TX mean and p99 each lose their middle: the lone points at both ends get markers but
  // no line (a line needs two points), so loss + RX mean + RX p99 remain.
  EXPECT_EQ(countOf(svg, "<polyline"), 3u);
  r.steps[2].tx_error_basic.count = 10;
  svg = renderPlotSvg({r});
  // Now [0] alone, then [2..3]: one TX mean and one TX p99 segment.
  EXPECT_EQ(countOf(svg, "<polyline"), 5u);
}

TEST(SvgPlot, OneOverloadedStepDoesNotFlattenTheErrorAxis) {
  RunResult r = run("overloaded", 1.0, false);
  // The last step's TX p99 is 28 ms (replies queued in an overloaded server).
  r.steps[3].tx_error_basic.p99_ns = 28'000'000;
  std::string svg = renderPlotSvg({r});
  // The axis stops at 5x the largest mean/median (3 µs -> 15 µs), not at 28000 µs.
  EXPECT_NE(svg.find(">15</text>"), std::string::npos);
  EXPECT_EQ(svg.find(">25000</text>"), std::string::npos);
  // A step where strataperf fell short does not count at all.
  r.steps[3].tx_error_basic.p99_ns = 9000;
  r.steps[3].tx_error_basic.mean_ns = 400'000;
  r.steps[3].send_shortfall = true;
  svg = renderPlotSvg({r});
  EXPECT_EQ(svg.find(">400</text>"), std::string::npos);
  EXPECT_NE(svg.find(">8</text>"), std::string::npos);
}

TEST(SvgPlot, EmptyInputStillDrawsAxes) {
  std::string svg = renderPlotSvg({});
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
  EXPECT_EQ(countOf(svg, "<polyline"), 0u);
}

TEST(NiceTicks, StepsOfOneTwoFive) {
  EXPECT_EQ(niceTicks(0, 10, 5), (std::vector<double>{0, 2, 4, 6, 8, 10}));
  EXPECT_EQ(niceTicks(-3, 9, 6), (std::vector<double>{-2, 0, 2, 4, 6, 8}));
  EXPECT_EQ(niceTicks(0, 100, 6), (std::vector<double>{0, 20, 40, 60, 80, 100}));
  std::vector<double> small = niceTicks(0, 0.7, 6);
  ASSERT_EQ(small.size(), 4u);
  EXPECT_DOUBLE_EQ(small[1], 0.2);
  EXPECT_NEAR(small[3], 0.6, 1e-12);
}

TEST(RateLabel, Suffixes) {
  EXPECT_EQ(rateLabel(500), "500");
  EXPECT_EQ(rateLabel(2000), "2k");
  EXPECT_EQ(rateLabel(15000), "15k");
  EXPECT_EQ(rateLabel(1e6), "1M");
  EXPECT_EQ(rateLabel(1.5e6), "1.5M");
}

}  // namespace
}  // namespace strata::perf
