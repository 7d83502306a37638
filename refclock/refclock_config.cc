#include "refclock/refclock_config.h"

#include <charconv>
#include <cmath>
#include <string>

#include "proto/refid.h"

namespace strata::refclock {

namespace {

using common::makeError;

bool toInt(std::string_view s, int& out, int base = 10) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out, base);
  return ec == std::errc() && p == s.data() + s.size();
}

bool toDouble(std::string_view s, double& out) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size() && std::isfinite(out);
}

common::Error bad(std::string_view what, std::string_view word) {
  return makeError(std::string(what) + " '" + std::string(word) + "'");
}

common::Result<void> driverOptions(RefclockConfig& c, std::string_view spec) {
  // spec = PARAMETER[:OPTION]...
  size_t colon = spec.find(':');
  c.parameter = std::string(spec.substr(0, colon));
  if (c.parameter.empty()) return makeError("refclock: missing driver parameter");
  while (colon != std::string_view::npos) {
    spec.remove_prefix(colon + 1);
    colon = spec.find(':');
    std::string_view opt = spec.substr(0, colon);
    std::string_view name = opt.substr(0, opt.find('='));
    std::string_view value = opt.find('=') == std::string_view::npos
                                 ? std::string_view()
                                 : opt.substr(opt.find('=') + 1);
    switch (c.driver) {
      case RefclockDriverKind::kShm:
        if (name == "perm" && toInt(value, c.shm.perm, 8) && c.shm.perm >= 0 &&
            c.shm.perm <= 0777) {
          continue;
        }
        break;
      case RefclockDriverKind::kPps:
        if (opt == "clear") {
          c.pps.clear = true;
          continue;
        }
        break;
      case RefclockDriverKind::kPhc:
        if (opt == "nocrossts") {
          c.phc.nocrossts = true;
          continue;
        }
        if (opt == "extpps") {
          c.phc.extpps = true;
          continue;
        }
        if (opt == "clear") {
          c.phc.clear = true;
          continue;
        }
        if (name == "pin" && toInt(value, c.phc.pin) && c.phc.pin >= -1) continue;
        if (name == "channel" && toInt(value, c.phc.channel) && c.phc.channel >= 0) continue;
        break;
      case RefclockDriverKind::kSock:
        break;
    }
    return bad("refclock: invalid driver option", opt);
  }
  return {};
}

}  // namespace

common::Result<RefclockConfig> parseRefclockDirective(std::span<const std::string_view> words,
                                                      int index) {
  if (words.size() < 2) return makeError("refclock: expected DRIVER PARAMETER [OPTIONS]");
  RefclockConfig c;
  std::string_view driver = words[0];
  std::string prefix;
  if (driver == "PHC") {
    c.driver = RefclockDriverKind::kPhc;
  } else if (driver == "PPS") {
    c.driver = RefclockDriverKind::kPps;
    c.source.pps = true;
  } else if (driver == "SHM") {
    c.driver = RefclockDriverKind::kShm;
  } else if (driver == "SOCK") {
    c.driver = RefclockDriverKind::kSock;
  } else {
    return bad("refclock: unknown driver", driver);
  }
  if (auto r = driverOptions(c, words[1]); !r) return r.error();
  if (c.driver == RefclockDriverKind::kShm) {
    if (!toInt(c.parameter, c.shm.unit) || c.shm.unit < 0 || c.shm.unit > 0xffff) {
      return bad("refclock SHM: invalid unit", c.parameter);
    }
  }
  if (c.driver == RefclockDriverKind::kSock) c.sock.path = c.parameter;
  if (c.driver == RefclockDriverKind::kPhc && c.phc.extpps) c.source.pps = true;

  std::string refid_text = std::string(driver.substr(0, 3)) + std::to_string(index);
  SourceOptions& s = c.source;
  for (size_t i = 2; i < words.size(); ++i) {
    std::string_view w = words[i];
    // Flags.
    if (w == "prefer") {
      s.prefer = true;
      continue;
    }
    if (w == "noselect") {
      s.noselect = true;
      continue;
    }
    if (w == "trust") {
      s.trust = true;
      continue;
    }
    if (w == "require") {
      s.require = true;
      continue;
    }
    if (w == "pps") {
      s.pps = true;
      continue;
    }
    if (w == "tai") {
      s.tai = true;
      continue;
    }
    if (w == "local") return makeError("refclock: option 'local' is not supported");
    // Options with a value.
    if (i + 1 >= words.size()) return bad("refclock: missing value or unknown option", w);
    std::string_view v = words[++i];
    int n = 0;
    double d = 0;
    if (w == "poll" && toInt(v, n) && n >= -7 && n <= 24) {
      s.poll_log2 = n;
    } else if (w == "dpoll" && toInt(v, n) && n >= -7 && n <= 24) {
      c.dpoll_log2 = n;
    } else if (w == "refid" && !v.empty() && v.size() <= 4) {
      refid_text = std::string(v);
    } else if (w == "lock" && !v.empty() && v.size() <= 4) {
      s.lock_refid = proto::refIdFromText(v);
    } else if (w == "rate" && toInt(v, n) && n >= 1 && n <= 10000) {
      s.rate_hz = n;
    } else if (w == "maxlockage" && toInt(v, n) && n >= 1 && n <= 10000) {
      s.max_lock_age = n;
    } else if (w == "width" && toDouble(v, d) && d >= 0 && d < 1) {
      s.width_s = d;
    } else if (w == "offset" && toDouble(v, d) && std::fabs(d) < 1e6) {
      s.offset = common::nanosFromSeconds(d);
    } else if (w == "delay" && toDouble(v, d) && d >= 0 && d < 1e3) {
      s.delay = common::nanosFromSeconds(d);
    } else if (w == "stratum" && toInt(v, n) && n >= 0 && n <= 15) {
      s.stratum = n;
    } else if (w == "precision" && toDouble(v, d) && d > 0 && d < 1) {
      s.precision = common::nanosFromSeconds(d);
    } else if (w == "maxdispersion" && toDouble(v, d) && d >= 0 && d < 1e3) {
      s.max_dispersion = common::nanosFromSeconds(d);
    } else if (w == "filter" && toInt(v, n) && n >= 1 && n <= 4096) {
      s.filter_length = n;
    } else if (w == "minsamples" && toInt(v, n) && n >= 2 && n <= 4096) {
      s.min_samples = n;
    } else if (w == "maxsamples" && toInt(v, n) && n >= 2 && n <= 4096) {
      s.max_samples = n;
    } else {
      return makeError("refclock: invalid option '" + std::string(w) + " " + std::string(v) + "'");
    }
  }
  s.name = refid_text;
  s.refid = proto::refIdFromText(refid_text);
  s.kind = SourceKind::kRefclock;
  c.pps.rate_hz = s.rate_hz;
  c.phc.rate_hz = s.rate_hz;
  if (s.lock_refid != 0 && s.lock_refid == s.refid) {
    return makeError("refclock " + refid_text + ": cannot lock to itself");
  }
  return c;
}

common::Result<std::unique_ptr<RefclockDriver>> createRefclockDriver(
    const RefclockConfig& c, const PhcReaderFactory& phc_factory) {
  switch (c.driver) {
    case RefclockDriverKind::kShm:
      return std::unique_ptr<RefclockDriver>(std::make_unique<ShmDriver>(c.shm));
    case RefclockDriverKind::kSock: {
      auto d = SockDriver::open(c.sock);
      if (!d) return d.error();
      return std::unique_ptr<RefclockDriver>(std::move(*d));
    }
    case RefclockDriverKind::kPps: {
      auto dev = LinuxPpsDevice::open(c.parameter, c.pps.clear);
      if (!dev) return dev.error();
      return std::unique_ptr<RefclockDriver>(std::make_unique<PpsDriver>(std::move(*dev), c.pps));
    }
    case RefclockDriverKind::kPhc: {
      if (!phc_factory) return makeError("refclock PHC: no PHC access in this build");
      auto reader = phc_factory(c.parameter, c.phc);
      if (!reader) return reader.error();
      return std::unique_ptr<RefclockDriver>(
          std::make_unique<PhcDriver>(std::move(*reader), c.phc));
    }
  }
  return makeError("refclock: unknown driver");
}

}  // namespace strata::refclock
