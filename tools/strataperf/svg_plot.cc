#include "tools/strataperf/svg_plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace strata::perf {

namespace {

constexpr double kWidth = 960;
constexpr double kPanelHeight = 230;
constexpr double kPanelGap = 50;
constexpr double kLeft = 80;
constexpr double kRight = 250;  // legend column
constexpr double kTop = 60;
constexpr const char* kColors[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd",
                                   "#ff7f0e", "#17becf", "#8c564b", "#e377c2"};

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string escapeXml(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        if (static_cast<unsigned char>(c) >= 0x20) out += c;
    }
  }
  return out;
}

std::string tickText(double v) {
  char buf[32];
  if (std::fabs(v) < 1e-9) return "0";
  if (std::fabs(v - std::round(v)) < 1e-9) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
  } else {
    std::snprintf(buf, sizeof buf, "%g", v);
  }
  return buf;
}

struct Panel {
  double top;
  double y_lo, y_hi;
  std::string title;
  std::string y_label;
};

struct Axis {
  double log_lo, log_hi;  // log10 of the rate range
  double plot_width() const { return kWidth - kLeft - kRight; }
  double x(double rate) const {
    return kLeft + (std::log10(rate) - log_lo) / (log_hi - log_lo) * plot_width();
  }
};

double yOf(const Panel& p, double v) {
  double clamped = std::clamp(v, p.y_lo, p.y_hi);
  return p.top + kPanelHeight - (clamped - p.y_lo) / (p.y_hi - p.y_lo) * kPanelHeight;
}

// One series: points (rate, value) drawn as a polyline with markers.
struct Series {
  std::vector<std::pair<double, double>> points;
  std::string color;
  std::string dash;  // stroke-dasharray, empty = solid
  char marker;       // 'o' circle, 's' square, 0 none
};

// A NaN value marks a gap (a step without samples): the line breaks there instead of
// joining its neighbours.
void drawSeries(std::string& svg, const Axis& ax, const Panel& p, const Series& s) {
  std::string pts;
  int in_segment = 0;
  auto flush = [&] {
    if (in_segment >= 2) {
      svg += "<polyline fill=\"none\" stroke=\"" + s.color + "\" stroke-width=\"2\"";
      if (!s.dash.empty()) svg += " stroke-dasharray=\"" + s.dash + "\"";
      svg += " points=\"" + pts + "\"/>\n";
    }
    pts.clear();
    in_segment = 0;
  };
  for (auto [r, v] : s.points) {
    if (std::isnan(v)) {
      flush();
      continue;
    }
    pts += num(ax.x(r)) + "," + num(yOf(p, v)) + " ";
    ++in_segment;
  }
  flush();
  for (auto [r, v] : s.points) {
    if (std::isnan(v)) continue;
    double x = ax.x(r), y = yOf(p, v);
    if (s.marker == 'o') {
      svg += "<circle cx=\"" + num(x) + "\" cy=\"" + num(y) + "\" r=\"3.5\" fill=\"" + s.color +
             "\"/>\n";
    } else if (s.marker == 's') {
      svg += "<rect x=\"" + num(x - 3.5) + "\" y=\"" + num(y - 3.5) +
             "\" width=\"7\" height=\"7\" fill=\"white\" stroke=\"" + s.color +
             "\" stroke-width=\"1.5\"/>\n";
    }
  }
}

void drawFrame(std::string& svg, const Axis& ax, const Panel& p, bool x_labels) {
  double right = kLeft + ax.plot_width();
  double bottom = p.top + kPanelHeight;
  svg += "<text x=\"" + num(kLeft) + "\" y=\"" + num(p.top - 10) +
         "\" font-size=\"15\" font-weight=\"bold\">" + escapeXml(p.title) + "</text>\n";
  // Horizontal grid and y tick labels.
  for (double t : niceTicks(p.y_lo, p.y_hi, 6)) {
    double y = yOf(p, t);
    svg += "<line x1=\"" + num(kLeft) + "\" y1=\"" + num(y) + "\" x2=\"" + num(right) + "\" y2=\"" +
           num(y) + "\" stroke=\"" + (std::fabs(t) < 1e-12 ? "#888" : "#ddd") + "\"/>\n";
    svg += "<text x=\"" + num(kLeft - 8) + "\" y=\"" + num(y + 4) +
           "\" font-size=\"12\" text-anchor=\"end\">" + tickText(t) + "</text>\n";
  }
  // Vertical grid: decades (solid) and 2..9 (light), labels on decades and 2, 5.
  for (int d = static_cast<int>(std::floor(ax.log_lo)); d <= static_cast<int>(std::ceil(ax.log_hi));
       ++d) {
    for (int m = 1; m <= 9; ++m) {
      double rate = m * std::pow(10.0, d);
      double lr = std::log10(rate);
      if (lr < ax.log_lo - 1e-9 || lr > ax.log_hi + 1e-9) continue;
      double x = ax.x(rate);
      svg += "<line x1=\"" + num(x) + "\" y1=\"" + num(p.top) + "\" x2=\"" + num(x) + "\" y2=\"" +
             num(bottom) + "\" stroke=\"" + (m == 1 ? "#bbb" : "#eee") + "\"/>\n";
      bool label = m == 1 || ((m == 2 || m == 5) && ax.log_hi - ax.log_lo < 3.5);
      if (x_labels && label) {
        svg += "<text x=\"" + num(x) + "\" y=\"" + num(bottom + 16) +
               "\" font-size=\"12\" text-anchor=\"middle\">" + rateLabel(rate) + "</text>\n";
      }
    }
  }
  svg += "<rect x=\"" + num(kLeft) + "\" y=\"" + num(p.top) + "\" width=\"" + num(ax.plot_width()) +
         "\" height=\"" + num(kPanelHeight) + "\" fill=\"none\" stroke=\"#444\"/>\n";
  svg += "<text transform=\"translate(" + num(kLeft - 55) + "," + num(p.top + kPanelHeight / 2) +
         ") rotate(-90)\" font-size=\"13\" text-anchor=\"middle\">" + escapeXml(p.y_label) +
         "</text>\n";
}

// Range of an error panel (µs), 0 included. Steps where strataperf fell short of the rate
// measure this host, not the server, and do not stretch the axis; and the 99th percentiles
// may widen it to at most 5x the largest mean or median, so one overloaded step does not
// flatten every other line. Points beyond the range are drawn at its edge.
void errorRange(const std::vector<RunResult>& runs, bool tx, double& lo, double& hi) {
  double centre_lo = 0, centre_hi = 0, tail_lo = 0, tail_hi = 0;
  for (const RunResult& run : runs) {
    for (const StepResult& s : run.steps) {
      if (s.send_shortfall) continue;
      std::vector<const Summary*> sums;
      if (tx) {
        sums = {&s.tx_error_basic, &s.tx_error_interleaved};
      } else {
        sums = {&s.rx_error};
      }
      for (const Summary* sum : sums) {
        if (sum->count == 0) continue;
        for (double v : {sum->mean_ns / 1000, sum->p50_ns / 1000.0}) {
          centre_lo = std::min(centre_lo, v);
          centre_hi = std::max(centre_hi, v);
        }
        tail_lo = std::min(tail_lo, sum->p99_ns / 1000.0);
        tail_hi = std::max(tail_hi, sum->p99_ns / 1000.0);
      }
    }
  }
  double span = std::max({std::fabs(centre_lo), std::fabs(centre_hi), 0.2});
  lo = std::min(centre_lo, std::max(tail_lo, -5 * span));
  hi = std::max(centre_hi, std::min(tail_hi, 5 * span));
  if (hi - lo < 1) hi = lo + 1;
  double pad = (hi - lo) * 0.08;
  std::vector<double> ticks = niceTicks(lo - (lo < 0 ? pad : 0), hi + pad, 6);
  lo = std::min(lo, ticks.front());
  hi = std::max(hi + pad, ticks.back());
}

}  // namespace

std::vector<double> niceTicks(double lo, double hi, int target) {
  if (!(hi > lo) || target < 1) return {lo};
  double raw = (hi - lo) / target;
  double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    if (m * mag >= raw) {
      step = m * mag;
      break;
    }
  }
  std::vector<double> ticks;
  double first = std::ceil(lo / step);
  for (int i = 0; i <= 100; ++i) {
    double t = (first + i) * step;
    if (t > hi + step * 1e-9) break;
    ticks.push_back(std::fabs(t) < step * 1e-9 ? 0.0 : t);
  }
  if (ticks.empty()) ticks.push_back(lo);
  return ticks;
}

std::string rateLabel(double rate) {
  char buf[32];
  if (rate >= 1e6) {
    std::snprintf(buf, sizeof buf, "%gM", rate / 1e6);
  } else if (rate >= 1e3) {
    std::snprintf(buf, sizeof buf, "%gk", rate / 1e3);
  } else {
    std::snprintf(buf, sizeof buf, "%g", rate);
  }
  return buf;
}

std::string renderPlotSvg(const std::vector<RunResult>& runs) {
  double rate_lo = std::numeric_limits<double>::infinity(), rate_hi = 0;
  for (const RunResult& run : runs) {
    for (const StepResult& s : run.steps) {
      rate_lo = std::min(rate_lo, s.rate_per_s);
      rate_hi = std::max(rate_hi, s.rate_per_s);
    }
  }
  if (rate_hi <= 0) {
    rate_lo = 1000;
    rate_hi = 10000;
  }
  Axis ax{std::floor(std::log10(rate_lo) * 4) / 4, std::ceil(std::log10(rate_hi) * 4) / 4};
  if (ax.log_hi - ax.log_lo < 1) ax.log_hi = ax.log_lo + 1;

  Panel loss{kTop, 0, 100, "Lost requests", "lost (%)"};
  Panel tx{kTop + kPanelHeight + kPanelGap, 0, 1,
           "TX timestamp error (our RX stamp \u2212 server transmit)", "error (\u00b5s)"};
  Panel rx{kTop + 2 * (kPanelHeight + kPanelGap), 0, 1,
           "RX timestamp error (server receive \u2212 our TX stamp)", "error (\u00b5s)"};
  errorRange(runs, true, tx.y_lo, tx.y_hi);
  errorRange(runs, false, rx.y_lo, rx.y_hi);
  double height = rx.top + kPanelHeight + 60;

  std::string svg = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  svg += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + num(kWidth) + "\" height=\"" +
         num(height) + "\" viewBox=\"0 0 " + num(kWidth) + " " + num(height) +
         "\" font-family=\"DejaVu Sans, Arial, sans-serif\">\n";
  svg += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  svg += "<text x=\"" + num(kLeft) +
         "\" y=\"28\" font-size=\"18\" font-weight=\"bold\">strataperf: loss and timestamp "
         "errors against offered rate</text>\n";
  for (const Panel* p : {&loss, &tx, &rx}) drawFrame(svg, ax, *p, true);
  svg += "<text x=\"" + num(kLeft + ax.plot_width() / 2) + "\" y=\"" + num(height - 18) +
         "\" font-size=\"13\" text-anchor=\"middle\">offered rate (requests/s, log scale)</text>\n";

  for (size_t i = 0; i < runs.size(); ++i) {
    const RunResult& run = runs[i];
    std::string color = kColors[i % (sizeof kColors / sizeof kColors[0])];
    Series lost{{}, color, "", 'o'};
    Series tx_mean{{}, color, "", 'o'}, tx_p99{{}, color, "2,3", 0};
    Series txi_mean{{}, color, "7,4", 's'}, txi_p99{{}, color, "2,3", 0};
    Series rx_mean{{}, color, "", 'o'}, rx_p99{{}, color, "2,3", 0};
    for (const StepResult& s : run.steps) {
      lost.points.push_back({s.rate_per_s, s.lostPct()});
      auto add = [&](Series& mean, Series& p99, const Summary& sum) {
        bool have = sum.count > 0;
        mean.points.push_back({s.rate_per_s, have ? sum.mean_ns / 1000 : NAN});
        p99.points.push_back({s.rate_per_s, have ? sum.p99_ns / 1000.0 : NAN});
      };
      add(tx_mean, tx_p99, s.tx_error_basic);
      add(txi_mean, txi_p99, s.tx_error_interleaved);
      add(rx_mean, rx_p99, s.rx_error);
    }
    drawSeries(svg, ax, loss, lost);
    for (const Series* s : {&tx_p99, &txi_p99, &tx_mean, &txi_mean}) drawSeries(svg, ax, tx, *s);
    for (const Series* s : {&rx_p99, &rx_mean}) drawSeries(svg, ax, rx, *s);

    // Legend entry: colour, label, and the run's mode and clients.
    double ly = kTop + 10 + static_cast<double>(i) * 44;
    double lx = kWidth - kRight + 20;
    svg += "<line x1=\"" + num(lx) + "\" y1=\"" + num(ly) + "\" x2=\"" + num(lx + 28) + "\" y2=\"" +
           num(ly) + "\" stroke=\"" + color + "\" stroke-width=\"3\"/>\n";
    svg += "<circle cx=\"" + num(lx + 14) + "\" cy=\"" + num(ly) + "\" r=\"3.5\" fill=\"" + color +
           "\"/>\n";
    svg += "<text x=\"" + num(lx + 36) + "\" y=\"" + num(ly + 5) + "\" font-size=\"14\">" +
           escapeXml(run.label.size() > 24 ? run.label.substr(0, 24) : run.label) + "</text>\n";
    svg += "<text x=\"" + num(lx + 36) + "\" y=\"" + num(ly + 22) +
           "\" font-size=\"11\" fill=\"#555\">" + escapeXml(run.mode) + ", " +
           std::to_string(run.clients) + " clients</text>\n";
  }
  // Key of line styles.
  double ky = kTop + 20 + static_cast<double>(std::max<size_t>(runs.size(), 1)) * 44;
  double kx = kWidth - kRight + 20;
  auto key = [&](double y, const char* dash, char marker, const char* text) {
    svg += "<line x1=\"" + num(kx) + "\" y1=\"" + num(y) + "\" x2=\"" + num(kx + 28) + "\" y2=\"" +
           num(y) + "\" stroke=\"#333\" stroke-width=\"2\"" +
           (dash[0] ? std::string(" stroke-dasharray=\"") + dash + "\"" : std::string()) + "/>\n";
    if (marker == 'o') {
      svg +=
          "<circle cx=\"" + num(kx + 14) + "\" cy=\"" + num(y) + "\" r=\"3.5\" fill=\"#333\"/>\n";
    } else if (marker == 's') {
      svg += "<rect x=\"" + num(kx + 10.5) + "\" y=\"" + num(y - 3.5) +
             "\" width=\"7\" height=\"7\" fill=\"white\" stroke=\"#333\" stroke-width=\"1.5\"/>\n";
    }
    svg += "<text x=\"" + num(kx + 36) + "\" y=\"" + num(y + 4) + "\" font-size=\"12\">" + text +
           "</text>\n";
  };
  key(ky, "", 'o', "mean (basic replies)");
  key(ky + 20, "7,4", 's', "mean (interleaved TX)");
  key(ky + 40, "2,3", 0, "99th percentile");
  svg += "<text x=\"" + num(kx) + "\" y=\"" + num(ky + 66) +
         "\" font-size=\"11\" fill=\"#555\">errors include the one-way</text>\n";
  svg += "<text x=\"" + num(kx) + "\" y=\"" + num(ky + 80) +
         "\" font-size=\"11\" fill=\"#555\">kernel path on this host;</text>\n";
  svg += "<text x=\"" + num(kx) + "\" y=\"" + num(ky + 94) +
         "\" font-size=\"11\" fill=\"#555\">points off the scale sit</text>\n";
  svg += "<text x=\"" + num(kx) + "\" y=\"" + num(ky + 108) +
         "\" font-size=\"11\" fill=\"#555\">at its edge</text>\n";
  svg += "</svg>\n";
  return svg;
}

}  // namespace strata::perf
