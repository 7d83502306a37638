// The one-line formatters of formatter.h: sources, refclocks, hwtimestamp, access rules,
// rate limits.
#include <cstdio>

#include "server/config/formatter.h"
#include "server/config/numbers.h"

namespace strata::config {

namespace {

// Appends " name value" pairs and flags.
class Words {
 public:
  explicit Words(std::string first) : text_(std::move(first)) {}
  Words& word(std::string_view w) {
    text_ += ' ';
    text_ += w;
    return *this;
  }
  Words& flag(std::string_view name, bool on) { return on ? word(name) : *this; }
  Words& num(std::string_view name, int64_t v) { return word(name).word(std::to_string(v)); }
  Words& sec(std::string_view name, common::Nanos v) { return word(name).word(formatSeconds(v)); }
  Words& real(std::string_view name, double v) { return word(name).word(formatReal(v)); }
  template <class T>
  Words& opt(std::string_view name, const std::optional<T>& v) {
    if (!v) return *this;
    if constexpr (std::is_same_v<T, common::Nanos>) {
      return sec(name, *v);
    } else if constexpr (std::is_same_v<T, double>) {
      return real(name, *v);
    } else {
      return num(name, *v);
    }
  }
  std::string str() && { return std::move(text_); }

 private:
  std::string text_;
};

std::string_view sourceDirective(NtpSourceType type) {
  switch (type) {
    case NtpSourceType::kServer:
      return "server";
    case NtpSourceType::kPool:
      return "pool";
    case NtpSourceType::kPeer:
      return "peer";
  }
  return "server";
}

std::string_view rxFilterName(HwRxFilter f) {
  switch (f) {
    case HwRxFilter::kAll:
      return "all";
    case HwRxFilter::kNtp:
      return "ntp";
    case HwRxFilter::kPtp:
      return "ptp";
    case HwRxFilter::kNone:
      return "none";
    case HwRxFilter::kAuto:
      break;
  }
  return "";
}

}  // namespace

std::string formatNtpSource(const NtpSourceConfig& s) {
  const bool peer = s.type == NtpSourceType::kPeer;
  Words w(std::string(sourceDirective(s.type)));
  w.word(s.address)
      .num("port", s.port)
      .num("minpoll", s.minpoll_log2)
      .num("maxpoll", s.maxpoll_log2);
  if (!peer) w.flag("iburst", s.iburst).flag("burst", s.burst);
  w.flag("prefer", s.prefer)
      .flag("noselect", s.noselect)
      .flag("trust", s.trust)
      .flag("require", s.require)
      .flag("xleave", s.xleave)
      .flag("offline", s.offline)
      .flag("auto_offline", s.auto_offline);
  if (!peer) w.flag("copy", s.copy).flag("nts", s.nts);
  if (s.key_id != 0) w.num("key", s.key_id);
  w.num("ntsport", s.nts_port)
      .num("certset", s.cert_set)
      .sec("maxdelay", s.max_delay)
      .real("maxdelayratio", s.max_delay_ratio)
      .real("maxdelaydevratio", s.max_delay_dev_ratio)
      .opt("maxdelayquant", s.max_delay_quant)
      .opt("mindelay", s.min_delay)
      .opt("asymmetry", s.asymmetry)
      .sec("offset", s.offset)
      .num("filter", s.filter_polls)
      .opt("minsamples", s.min_samples)
      .opt("maxsamples", s.max_samples)
      .num("polltarget", s.poll_target);
  if (!peer) w.opt("presend", s.presend_log2);
  w.num("minstratum", s.min_stratum).opt("version", s.version);
  for (uint16_t type : s.ext_fields) {
    char hex[8];
    std::snprintf(hex, sizeof hex, "%04X", type);
    w.word("extfield").word(hex);
  }
  if (s.type == NtpSourceType::kPool) w.num("maxsources", s.max_sources);
  return std::move(w).str();
}

std::string formatRefclock(const RefclockConfig& r) {
  std::string param = r.device;
  switch (r.driver) {
    case RefclockDriver::kPhc:
      if (r.phc_nocrossts) param += ":nocrossts";
      if (r.phc_extpps) param += ":extpps";
      param += ":pin=" + std::to_string(r.phc_pin);
      param += ":channel=" + std::to_string(r.phc_channel);
      if (r.clear) param += ":clear";
      break;
    case RefclockDriver::kPps:
      if (r.clear) param += ":clear";
      break;
    case RefclockDriver::kShm: {
      char perm[16];
      std::snprintf(perm, sizeof perm, ":perm=0%o", static_cast<unsigned>(r.shm_perm));
      param += perm;
      break;
    }
    case RefclockDriver::kSock:
      break;
  }
  Words w("refclock");
  w.word(refclockDriverName(r.driver))
      .word(param)
      .num("poll", r.poll_log2)
      .num("dpoll", r.dpoll_log2);
  if (!r.refid.empty()) w.word("refid").word(r.refid);
  if (!r.lock_refid.empty()) w.word("lock").word(r.lock_refid);
  w.num("rate", r.rate_hz)
      .sec("offset", r.offset)
      .sec("delay", r.delay)
      .opt("precision", r.precision)
      .opt("maxdispersion", r.max_dispersion)
      .num("maxlockage", r.max_lock_age)
      .num("filter", r.filter_length)
      .flag("prefer", r.prefer)
      .flag("noselect", r.noselect)
      .flag("trust", r.trust)
      .flag("require", r.require)
      .flag("pps", r.pps)
      .flag("tai", r.tai)
      .flag("local", r.local)
      .sec("width", r.width)
      .num("stratum", r.stratum)
      .opt("minsamples", r.min_samples)
      .opt("maxsamples", r.max_samples);
  return std::move(w).str();
}

std::string formatHwTimestamp(const HwTimestampConfig& h) {
  Words w("hwtimestamp");
  w.word(h.interface)
      .num("minpoll", h.minpoll_log2)
      .opt("maxpoll", h.maxpoll_log2)
      .num("minsamples", h.min_samples)
      .num("maxsamples", h.max_samples)
      .sec("precision", h.precision)
      .sec("txcomp", h.tx_comp)
      .sec("rxcomp", h.rx_comp)
      .flag("nocrossts", h.nocrossts);
  if (h.rx_filter != HwRxFilter::kAuto) w.word("rxfilter").word(rxFilterName(h.rx_filter));
  return std::move(w).str();
}

std::string formatAccessRule(std::string_view allow_directive, const AccessRule& rule) {
  std::string directive(allow_directive);
  if (rule.action == AccessRule::Action::kDeny) {
    directive = directive == "cmdallow" ? "cmddeny" : "deny";
  }
  Words w(directive);
  w.flag("all", rule.all);
  if (rule.subnet) w.word(rule.subnet->toString());
  return std::move(w).str();
}

std::string formatRateLimit(std::string_view directive, const RateLimitConfig& limit) {
  Words w{std::string(directive)};
  w.num("interval", limit.interval_log2).num("burst", limit.burst).num("leak", limit.leak);
  if (directive == "ratelimit") w.num("kod", limit.kod);
  return std::move(w).str();
}

}  // namespace strata::config
