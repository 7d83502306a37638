#pragma once
// The --plot picture: one SVG with three panels sharing a logarithmic rate axis: lost
// requests (%), the server's TX timestamp error and its RX timestamp error (µs), against the
// offered rate. Several runs are overlaid, one colour each (e.g. stratad vs chronyd); solid
// lines are means, dotted lines 99th percentiles; interleaved TX errors use dashed lines
// and square markers. Pure (results in, SVG text out); thread-compatible.

#include <string>
#include <vector>

#include "tools/strataperf/results.h"

namespace strata::perf {

std::string renderPlotSvg(const std::vector<RunResult>& runs);

// "Nice" linear axis ticks covering [lo, hi]: steps of 1, 2 or 5 x 10^k, about `target`
// of them. Exposed for tests.
std::vector<double> niceTicks(double lo, double hi, int target);

// Text of a rate on the axis: 500, 2k, 15k, 1M, 1.5M.
std::string rateLabel(double rate);

}  // namespace strata::perf
