#include "tools/strataperf/results.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace strata::perf {

void StepCounters::add(const StepCounters& o) {
  planned += o.planned;
  sent += o.sent;
  send_errors += o.send_errors;
  sender_stalls += o.sender_stalls;
  sender_stall_ns = std::max(sender_stall_ns, o.sender_stall_ns);
  for (size_t i = 0; i < verdicts.size(); ++i) verdicts[i] += o.verdicts[i];
  late += o.late;
  wrong_address += o.wrong_address;
  rx_stamp_missing += o.rx_stamp_missing;
  tx_stamps += o.tx_stamps;
  tx_stamp_mismatch += o.tx_stamp_mismatch;
  low_bit_convention += o.low_bit_convention;
  named_replies += o.named_replies;
  named_interleaved += o.named_interleaved;
}

uint64_t StepCounters::validReplies() const {
  return verdicts[static_cast<size_t>(ReplyVerdict::kBasic)] +
         verdicts[static_cast<size_t>(ReplyVerdict::kInterleaved)];
}

uint64_t StepCounters::invalidReplies() const {
  uint64_t total = 0;
  for (uint64_t v : verdicts) total += v;
  return total - validReplies() + wrong_address;
}

namespace {

double pct(double part, double whole) { return whole > 0 ? 100.0 * part / whole : 0.0; }

}  // namespace

double StepResult::lostPct() const {
  double answered = static_cast<double>(counters.validReplies() + counters.invalidReplies());
  double sent = static_cast<double>(counters.sent);
  return sent > answered ? pct(sent - answered, sent) : 0.0;
}
double StepResult::invalidPct() const {
  return pct(static_cast<double>(counters.invalidReplies()), static_cast<double>(counters.sent));
}
double StepResult::basicPct() const {
  return pct(static_cast<double>(counters.verdicts[static_cast<size_t>(ReplyVerdict::kBasic)]),
             static_cast<double>(counters.validReplies()));
}
double StepResult::interleavedPct() const {
  return pct(
      static_cast<double>(counters.verdicts[static_cast<size_t>(ReplyVerdict::kInterleaved)]),
      static_cast<double>(counters.validReplies()));
}
double StepResult::namedInterleavedPct() const {
  return pct(static_cast<double>(counters.named_interleaved),
             static_cast<double>(counters.named_replies));
}
double StepResult::replyRate() const {
  return duration_s > 0 ? static_cast<double>(counters.validReplies()) / duration_s : 0.0;
}

double highestRateBelowLoss(const RunResult& run, double max_loss_pct) {
  double best = 0;
  for (const StepResult& s : run.steps) {
    if (!s.send_shortfall && s.lostPct() < max_loss_pct && s.rate_per_s > best) best = s.rate_per_s;
  }
  return best;
}

namespace {

std::string fmt(const char* format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

// Four error columns (mean, p50, p99, stddev) in ns, or dashes without samples.
std::string errorColumns(const Summary& s) {
  if (s.count == 0) return "      -       -       -      -";
  return fmt(" %+6.0f", s.mean_ns) + fmt("  %+6.0f", static_cast<double>(s.p50_ns)) +
         fmt("  %+6.0f", static_cast<double>(s.p99_ns)) + fmt(" %6.0f", s.stddev_ns);
}

}  // namespace

std::string tableHeader(const std::string& mode) {
  bool xl = mode != "basic";
  std::string l1 =
      "                                                   |  RX error (ns)               |  TX "
      "error basic (ns)         ";
  std::string l2 =
      "    rate/s    sent/s   lost%  inval%  basic% xleav% |   mean     p50     p99  stdev |   "
      "mean     p50     p99  stdev";
  if (xl) {
    l1 += "|  TX error interleaved (ns)";
    l2 += " |   mean     p50     p99  stdev";
  }
  return l1 + "\n" + l2 + "\n";
}

std::string tableRow(const StepResult& s, const std::string& mode) {
  std::string row = fmt("%10.0f", s.rate_per_s) + fmt("%10.0f", s.sent_per_s) +
                    fmt("%8.2f", s.lostPct()) + fmt("%8.2f", s.invalidPct()) +
                    fmt("%8.2f", s.basicPct()) + fmt("%7.2f", s.interleavedPct()) + " |" +
                    errorColumns(s.rx_error) + " |" + errorColumns(s.tx_error_basic);
  if (mode != "basic") row += " |" + errorColumns(s.tx_error_interleaved);
  if (s.send_shortfall) {
    row += "  ! sent below the asked rate";
  } else if (s.counters.sender_stall_ns >= 1'000'000) {
    row += fmt("  (sender held up %.0f ms)", static_cast<double>(s.counters.sender_stall_ns) / 1e6);
  }
  return row + "\n";
}

namespace {

const char* const kSummaryFields[] = {"count", "min", "mean", "max", "stddev", "p50", "p99"};

std::vector<double> summaryValues(const Summary& s) {
  return {static_cast<double>(s.count),
          static_cast<double>(s.min_ns),
          s.mean_ns,
          static_cast<double>(s.max_ns),
          s.stddev_ns,
          static_cast<double>(s.p50_ns),
          static_cast<double>(s.p99_ns)};
}

std::string csvEscape(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string csvHeader() {
  std::string h =
      "label,server,mode,clients,rate,duration_s,sent,sent_per_s,send_shortfall,send_errors,"
      "replies_valid,replies_basic,replies_interleaved,replies_invalid,lost_pct,invalid_pct,"
      "basic_pct,interleaved_pct,reply_rate,kod,late,tx_stamps,named_replies,named_interleaved_pct";
  for (const char* prefix : {"rx_error_ns", "tx_error_basic_ns", "tx_error_interleaved_ns"}) {
    for (const char* f : kSummaryFields) h += std::string(",") + prefix + "_" + f;
  }
  return h + "\n";
}

std::string csvRow(const RunResult& run, const StepResult& s) {
  const StepCounters& c = s.counters;
  std::string row = csvEscape(run.label) + "," + csvEscape(run.server) + "," + run.mode + "," +
                    std::to_string(run.clients);
  auto num = [&](double v) { row += "," + jsonNumber(v); };
  num(s.rate_per_s);
  num(s.duration_s);
  num(static_cast<double>(c.sent));
  num(s.sent_per_s);
  row += s.send_shortfall ? ",1" : ",0";
  num(static_cast<double>(c.send_errors));
  num(static_cast<double>(c.validReplies()));
  num(static_cast<double>(c.verdicts[static_cast<size_t>(ReplyVerdict::kBasic)]));
  num(static_cast<double>(c.verdicts[static_cast<size_t>(ReplyVerdict::kInterleaved)]));
  num(static_cast<double>(c.invalidReplies()));
  num(std::round(s.lostPct() * 1000) / 1000);
  num(std::round(s.invalidPct() * 1000) / 1000);
  num(std::round(s.basicPct() * 1000) / 1000);
  num(std::round(s.interleavedPct() * 1000) / 1000);
  num(std::round(s.replyRate()));
  num(static_cast<double>(c.verdicts[static_cast<size_t>(ReplyVerdict::kKissOfDeath)]));
  num(static_cast<double>(c.late));
  num(static_cast<double>(c.tx_stamps));
  num(static_cast<double>(c.named_replies));
  num(std::round(s.namedInterleavedPct() * 1000) / 1000);
  for (const Summary* sum : {&s.rx_error, &s.tx_error_basic, &s.tx_error_interleaved}) {
    for (double v : summaryValues(*sum)) num(sum->count == 0 ? NAN : std::round(v * 10) / 10);
  }
  return row + "\n";
}

namespace {

std::string summaryJson(const Summary& s) {
  std::string out = "{";
  std::vector<double> values = summaryValues(s);
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) out += ", ";
    double v = (s.count == 0 && i > 0) ? NAN : std::round(values[i] * 10) / 10;
    out += jsonQuote(kSummaryFields[i]) + ": " + jsonNumber(v);
  }
  out += std::string(", \"exact_percentiles\": ") + (s.exact_percentiles ? "true" : "false");
  return out + "}";
}

// A JSON number as nanoseconds: clamped to +-1e18 (30 years), NaN as 0, so a hostile file
// cannot make the conversion undefined.
int64_t nanosFrom(const JsonValue& v) {
  double d = v.asNumber();
  if (!(d == d)) return 0;
  return static_cast<int64_t>(std::clamp(d, -1e18, 1e18));
}

uint64_t countFrom(const JsonValue& v);

Summary summaryFromJson(const JsonValue& v) {
  Summary s;
  s.count = countFrom(v["count"]);
  s.min_ns = nanosFrom(v["min"]);
  s.mean_ns = v["mean"].asNumber();
  s.max_ns = nanosFrom(v["max"]);
  s.stddev_ns = v["stddev"].asNumber();
  s.p50_ns = nanosFrom(v["p50"]);
  s.p99_ns = nanosFrom(v["p99"]);
  s.exact_percentiles = v["exact_percentiles"].asBool(true);
  return s;
}

uint64_t countFrom(const JsonValue& v) {
  double d = v.asNumber();
  if (!(d > 0)) return 0;
  if (d > 1e18) return static_cast<uint64_t>(1e18);
  return static_cast<uint64_t>(d);
}

}  // namespace

std::string toJson(const RunResult& run) {
  std::string o = "{\n";
  o += "  \"tool\": \"strataperf\",\n";
  o += "  \"label\": " + jsonQuote(run.label) + ",\n";
  o += "  \"server\": " + jsonQuote(run.server) + ",\n";
  o += "  \"mode\": " + jsonQuote(run.mode) + ",\n";
  o += "  \"clients\": " + jsonNumber(static_cast<double>(run.clients)) + ",\n";
  o += "  \"source\": " + jsonQuote(run.source) + ",\n";
  o += "  \"sockets\": " + jsonNumber(run.sockets) + ",\n";
  o += "  \"threads\": " + jsonNumber(run.threads) + ",\n";
  o += "  \"step_time_s\": " + jsonNumber(run.step_time_s) + ",\n";
  o += "  \"timestamps\": " + jsonQuote(run.timestamps) + ",\n";
  o += "  \"opt_id_counting\": " + jsonQuote(run.opt_id_counting) + ",\n";
  o += "  \"tx_sample\": " + jsonNumber(run.tx_sample) + ",\n";
  o += "  \"started_utc\": " + jsonQuote(run.started_utc) + ",\n";
  o += "  \"command\": " + jsonQuote(run.command) + ",\n";
  o += "  \"stop_reason\": " + jsonQuote(run.stop_reason) + ",\n";
  o += "  \"steps\": [";
  for (size_t i = 0; i < run.steps.size(); ++i) {
    const StepResult& s = run.steps[i];
    const StepCounters& c = s.counters;
    o += i ? ",\n    {" : "\n    {";
    o += "\"rate\": " + jsonNumber(s.rate_per_s);
    o += ", \"duration_s\": " + jsonNumber(s.duration_s);
    o += ", \"planned\": " + jsonNumber(static_cast<double>(c.planned));
    o += ", \"sent\": " + jsonNumber(static_cast<double>(c.sent));
    o += ", \"sent_per_s\": " + jsonNumber(std::round(s.sent_per_s));
    o += std::string(", \"send_shortfall\": ") + (s.send_shortfall ? "true" : "false");
    o += ", \"send_errors\": " + jsonNumber(static_cast<double>(c.send_errors));
    o += ", \"sender_stalls\": " + jsonNumber(static_cast<double>(c.sender_stalls));
    o += ", \"sender_stall_ms\": " + jsonNumber(std::round(c.sender_stall_ns / 1e3) / 1e3);
    o += ", \"replies\": {";
    for (size_t v = 0; v < kReplyVerdictCount; ++v) {
      if (v) o += ", ";
      o += jsonQuote(replyVerdictName(static_cast<ReplyVerdict>(v))) + ": " +
           jsonNumber(static_cast<double>(c.verdicts[v]));
    }
    o += "}";
    o += ", \"late\": " + jsonNumber(static_cast<double>(c.late));
    o += ", \"wrong_address\": " + jsonNumber(static_cast<double>(c.wrong_address));
    o += ", \"rx_stamp_missing\": " + jsonNumber(static_cast<double>(c.rx_stamp_missing));
    o += ", \"tx_stamps\": " + jsonNumber(static_cast<double>(c.tx_stamps));
    o += ", \"tx_stamp_mismatch\": " + jsonNumber(static_cast<double>(c.tx_stamp_mismatch));
    o += ", \"low_bit_convention\": " + jsonNumber(static_cast<double>(c.low_bit_convention));
    o += ", \"named_replies\": " + jsonNumber(static_cast<double>(c.named_replies));
    o += ", \"named_interleaved\": " + jsonNumber(static_cast<double>(c.named_interleaved));
    o += ", \"lost_pct\": " + jsonNumber(std::round(s.lostPct() * 1000) / 1000);
    o += ", \"invalid_pct\": " + jsonNumber(std::round(s.invalidPct() * 1000) / 1000);
    o += ", \"basic_pct\": " + jsonNumber(std::round(s.basicPct() * 1000) / 1000);
    o += ", \"interleaved_pct\": " + jsonNumber(std::round(s.interleavedPct() * 1000) / 1000);
    o += ", \"named_interleaved_pct\": " +
         jsonNumber(std::round(s.namedInterleavedPct() * 1000) / 1000);
    o += ", \"reply_rate\": " + jsonNumber(std::round(s.replyRate()));
    o += ",\n     \"rx_error_ns\": " + summaryJson(s.rx_error);
    o += ",\n     \"tx_error_basic_ns\": " + summaryJson(s.tx_error_basic);
    o += ",\n     \"tx_error_interleaved_ns\": " + summaryJson(s.tx_error_interleaved) + "}";
  }
  o += "\n  ]\n}\n";
  return o;
}

common::Result<RunResult> runFromJson(const JsonValue& doc) {
  if (!doc.isObject() || doc["tool"].asString() != "strataperf" || !doc["steps"].isArray()) {
    return common::makeError("not a strataperf result (needs \"tool\": \"strataperf\" and steps)");
  }
  RunResult run;
  run.label = doc["label"].asString();
  run.server = doc["server"].asString();
  run.mode = doc["mode"].asString();
  run.clients = countFrom(doc["clients"]);
  run.source = doc["source"].asString();
  run.sockets = static_cast<int>(countFrom(doc["sockets"]));
  run.threads = static_cast<int>(countFrom(doc["threads"]));
  run.step_time_s = doc["step_time_s"].asNumber();
  run.timestamps = doc["timestamps"].asString();
  run.opt_id_counting = doc["opt_id_counting"].asString();
  run.tx_sample = static_cast<int>(countFrom(doc["tx_sample"]));
  run.started_utc = doc["started_utc"].asString();
  run.command = doc["command"].asString();
  run.stop_reason = doc["stop_reason"].asString();
  if (run.label.empty()) run.label = run.server;
  for (const JsonValue& j : doc["steps"].items()) {
    StepResult s;
    s.rate_per_s = j["rate"].asNumber();
    if (!std::isfinite(s.rate_per_s) || s.rate_per_s <= 0) {
      return common::makeError("a step has no positive \"rate\"");
    }
    s.duration_s = j["duration_s"].asNumber();
    s.sent_per_s = j["sent_per_s"].asNumber();
    s.send_shortfall = j["send_shortfall"].asBool();
    StepCounters& c = s.counters;
    c.planned = countFrom(j["planned"]);
    c.sent = countFrom(j["sent"]);
    c.send_errors = countFrom(j["send_errors"]);
    c.sender_stalls = countFrom(j["sender_stalls"]);
    c.sender_stall_ns = countFrom(JsonValue::makeNumber(j["sender_stall_ms"].asNumber() * 1e6));
    for (size_t v = 0; v < kReplyVerdictCount; ++v) {
      c.verdicts[v] = countFrom(j["replies"][replyVerdictName(static_cast<ReplyVerdict>(v))]);
    }
    c.late = countFrom(j["late"]);
    c.wrong_address = countFrom(j["wrong_address"]);
    c.rx_stamp_missing = countFrom(j["rx_stamp_missing"]);
    c.tx_stamps = countFrom(j["tx_stamps"]);
    c.tx_stamp_mismatch = countFrom(j["tx_stamp_mismatch"]);
    c.low_bit_convention = countFrom(j["low_bit_convention"]);
    c.named_replies = countFrom(j["named_replies"]);
    c.named_interleaved = countFrom(j["named_interleaved"]);
    s.rx_error = summaryFromJson(j["rx_error_ns"]);
    s.tx_error_basic = summaryFromJson(j["tx_error_basic_ns"]);
    s.tx_error_interleaved = summaryFromJson(j["tx_error_interleaved_ns"]);
    run.steps.push_back(s);
  }
  return run;
}

}  // namespace strata::perf
