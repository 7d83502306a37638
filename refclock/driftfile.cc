#include "refclock/driftfile.h"

#include <spdlog/spdlog.h>

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

namespace strata::refclock {

namespace {

constexpr double kMaxFreqPpm = 500000;

bool parseDouble(std::string_view& text, double& out) {
  size_t i = 0;
  while (i < text.size() &&
         (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
    ++i;
  text.remove_prefix(i);
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (ec != std::errc() || ptr == text.data()) return false;
  text.remove_prefix(static_cast<size_t>(ptr - text.data()));
  return true;
}

}  // namespace

common::Result<Drift> parseDriftfile(std::string_view text) {
  Drift d;
  if (!parseDouble(text, d.freq_ppm) || !parseDouble(text, d.skew_ppm)) {
    return common::makeError("expected two numbers: frequency and skew in ppm");
  }
  for (char c : text) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
      return common::makeError("unexpected text after frequency and skew");
    }
  }
  if (!std::isfinite(d.freq_ppm) || std::fabs(d.freq_ppm) > kMaxFreqPpm) {
    return common::makeError("frequency out of range");
  }
  if (!std::isfinite(d.skew_ppm) || d.skew_ppm < 0) return common::makeError("bad skew");
  return d;
}

std::string formatDriftfile(const Drift& d) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%20.6f %20.6f\n", d.freq_ppm, d.skew_ppm);
  return buf;
}

common::Result<Drift> readDriftfile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return common::makeError("cannot open driftfile " + path + ": " + std::strerror(errno));
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  if (text.size() > 4096) return common::makeError("driftfile " + path + " is too long");
  auto d = parseDriftfile(text);
  if (!d) return common::makeError("driftfile " + path + ": " + d.error().message);
  return d;
}

common::Result<void> writeDriftfile(const std::string& path, const Drift& d) {
  std::string tmp = path + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "w");
  if (f == nullptr) return common::makeError("cannot write " + tmp + ": " + std::strerror(errno));
  std::string line = formatDriftfile(d);
  bool ok = std::fputs(line.c_str(), f) >= 0;
  ok = (std::fclose(f) == 0) && ok;
  if (!ok) {
    std::remove(tmp.c_str());
    return common::makeError("cannot write " + tmp);
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return common::makeError("cannot rename " + tmp + " to " + path + ": " + std::strerror(errno));
  }
  return {};
}

void DriftfileWriter::onFrequency(SysTime served_now, double freq_ppm, double skew_ppm) {
  last_ = Drift{freq_ppm, skew_ppm};
  if (!last_write_) last_write_ = served_now;  // first write after one interval
  if (common::toSeconds(served_now - *last_write_) >= interval_s_) {
    write();
    last_write_ = served_now;
  }
}

void DriftfileWriter::flush() {
  if (last_) write();
}

void DriftfileWriter::write() {
  auto r = writeDriftfile(path_, *last_);
  if (!r && !logged_error_) {
    spdlog::error("{} (further driftfile errors are not logged)", r.error().message);
    logged_error_ = true;
  }
}

}  // namespace strata::refclock
