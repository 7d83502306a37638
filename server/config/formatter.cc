#include "server/config/formatter.h"

#include "server/config/cpu_list.h"
#include "server/config/numbers.h"

namespace strata::config {

namespace {

class Out {
 public:
  void line(std::string_view text) {
    text_ += text;
    text_ += '\n';
  }
  void section(std::string_view title) {
    if (!text_.empty()) text_ += '\n';
    text_ += "# ";
    text_ += title;
    text_ += '\n';
  }
  // "name value", or "# name (comment)" when the value is empty.
  void word(std::string_view name, const std::string& value, std::string_view unset_comment) {
    if (value.empty()) {
      off(name, unset_comment);
    } else {
      line(std::string(name) + " " + value);
    }
  }
  void off(std::string_view name, std::string_view comment) {
    line("# " + std::string(name) + " (" + std::string(comment) + ")");
  }
  void flag(std::string_view name, bool on, std::string_view off_comment) {
    if (on) {
      line(name);
    } else {
      off(name, off_comment);
    }
  }
  void num(std::string_view name, int64_t v) { line(std::string(name) + " " + std::to_string(v)); }
  void sec(std::string_view name, common::Nanos v) {
    line(std::string(name) + " " + formatSeconds(v));
  }
  void real(std::string_view name, double v) { line(std::string(name) + " " + formatReal(v)); }
  std::string take() { return std::move(text_); }

 private:
  std::string text_;
};

std::string_view leapSecModeName(LeapSecMode m) {
  switch (m) {
    case LeapSecMode::kSystem:
      return "system";
    case LeapSecMode::kStep:
      return "step";
    case LeapSecMode::kSlew:
      return "slew";
    case LeapSecMode::kIgnore:
      return "ignore";
  }
  return "system";
}

void serving(Out& out, const Config& c) {
  const ServingConfig& s = c.serving;
  out.section("Serving");
  out.num("port", s.port);
  if (s.bind_addresses.empty()) out.off("bindaddress", "none: every local address");
  for (const auto& ip : s.bind_addresses) out.line("bindaddress " + ip.toString());
  out.word("binddevice", s.bind_device, "none");
  out.num("dscp", s.dscp);
  out.num("workers", s.workers);
  out.num("workerbatch", s.worker_batch);
  if (s.worker_cpus.empty()) {
    out.off("workercpus", "none: workers are not pinned");
  } else {
    out.line("workercpus " + formatCpuList(s.worker_cpus));
  }
  out.line(std::string("txstampcal ") + (s.tx_stamp_calibration ? "on" : "off"));
  if (s.tx_stamp_shed_after) {
    out.real("txstampshed", static_cast<double>(s.tx_stamp_shed_after->count()) / 1e6);
  } else {
    out.line("txstampshed off");
  }
  out.num("metricsport", s.metrics_port);
  out.line("bindmetricsaddress " + s.metrics_bind_address.toString());
  const LocalReferenceConfig& l = s.local;
  if (l.enabled) {
    std::string local =
        "local stratum " + std::to_string(l.stratum) + " distance " + formatSeconds(l.distance);
    if (l.orphan) local += " orphan";
    local +=
        " activate " + formatSeconds(l.activate) + " waitsynced " + formatSeconds(l.wait_synced);
    if (l.wait_unsynced) local += " waitunsynced " + formatSeconds(*l.wait_unsynced);
    out.line(local);
  } else {
    out.off("local", "off: the local clock is never served as a reference");
  }
}

void access(Out& out, const Config& c) {
  out.section("NTP client access, rate limiting and client log");
  if (c.access.rules.empty()) out.off("allow", "none: no NTP client is served");
  for (const AccessRule& r : c.access.rules) out.line(formatAccessRule("allow", r));
  if (c.ratelimit.enabled) {
    out.line(formatRateLimit("ratelimit", c.ratelimit));
  } else {
    out.off("ratelimit", "off: responses are not rate limited");
  }
  out.num("clientloglimit", static_cast<int64_t>(c.client_log.limit_bytes));
  out.flag("noclientlog", !c.client_log.enabled, "off: client accesses are logged");
}

void sources(Out& out, const Config& c) {
  const SourcesConfig& s = c.sources;
  out.section("Time sources");
  if (s.ntp.empty()) out.off("server", "none");
  for (const NtpSourceConfig& src : s.ntp) out.line(formatNtpSource(src));
  for (const auto& dirs : s.source_dirs) {
    std::string line = "sourcedir";
    for (const std::string& d : dirs) line += " " + d;
    out.line(line);
  }
  for (const NtpSourceConfig& src : s.dir_sources) {
    out.line("#   from sourcedir: " + formatNtpSource(src));
  }
  if (s.acquisition_port) {
    out.num("acquisitionport", *s.acquisition_port);
  } else {
    out.off("acquisitionport", "none: a new random source port per request");
  }
  if (s.initstepslew) {
    std::string line = "initstepslew " + formatSeconds(s.initstepslew->threshold);
    for (const std::string& h : s.initstepslew->hosts) line += " " + h;
    out.line(line);
  } else {
    out.off("initstepslew", "none");
  }
  out.section("Reference clocks");
  if (c.refclocks.empty()) out.off("refclock", "none");
  for (const RefclockConfig& r : c.refclocks) out.line(formatRefclock(r));
  out.section("Hardware timestamping");
  if (c.hwtimestamps.empty()) out.off("hwtimestamp", "none");
  for (const HwTimestampConfig& h : c.hwtimestamps) out.line(formatHwTimestamp(h));
}

void discipline(Out& out, const Config& c) {
  const DisciplineConfig& d = c.discipline;
  out.section("Clock discipline and source selection");
  if (d.driftfile) {
    out.line("driftfile " + d.driftfile->path + " interval " +
             std::to_string(d.driftfile->interval.count()));
  } else {
    out.off("driftfile", "none");
  }
  if (d.makestep) {
    out.line("makestep " + formatSeconds(d.makestep->threshold) + " " +
             std::to_string(d.makestep->limit));
  } else {
    out.off("makestep", "none: the clock is only slewed");
  }
  out.flag("rtcsync", d.rtcsync, "off");
  out.num("minsources", d.min_sources);
  out.sec("maxdistance", d.max_distance);
  out.sec("maxjitter", d.max_jitter);
  out.real("maxupdateskew", d.max_update_skew_ppm);
  out.real("maxslewrate", d.max_slew_rate_ppm);
  out.real("maxdrift", d.max_drift_ppm);
  out.real("maxclockerror", d.max_clock_error_ppm);
  if (d.maxchange) {
    out.line("maxchange " + formatSeconds(d.maxchange->offset) + " " +
             std::to_string(d.maxchange->start) + " " + std::to_string(d.maxchange->ignore));
  } else {
    out.off("maxchange", "none: no limit");
  }
  out.real("corrtimeratio", d.corr_time_ratio);
  out.real("combinelimit", d.combine_limit);
  out.sec("reselectdist", d.reselect_distance);
  out.sec("stratumweight", d.stratum_weight);
  out.word("leapsectz", d.leapsectz, "none");
  out.line("leapsecmode " + std::string(leapSecModeName(d.leapsecmode)));
  if (d.smoothtime) {
    std::string line = "smoothtime " + formatReal(d.smoothtime->max_freq_ppm) + " " +
                       formatReal(d.smoothtime->max_wander_ppm_per_s);
    if (d.smoothtime->leap_only) line += " leaponly";
    out.line(line);
  } else {
    out.off("smoothtime", "off");
  }
  out.line("fallbackdrift " + std::to_string(d.fallback_drift_min_log2) + " " +
           std::to_string(d.fallback_drift_max_log2));
  out.flag("manual", d.manual, "off");
}

void logging(Out& out, const Config& c) {
  const LoggingConfig& l = c.logging;
  out.section("Logging");
  out.word("logdir", l.logdir, "none: no log files");
  std::string log;
  auto add = [&log](bool on, std::string_view name) {
    if (on) log += " " + std::string(name);
  };
  add(l.log.measurements, "measurements");
  add(l.log.raw_measurements, "rawmeasurements");
  add(l.log.selection, "selection");
  add(l.log.statistics, "statistics");
  add(l.log.tracking, "tracking");
  add(l.log.rtc, "rtc");
  add(l.log.refclocks, "refclocks");
  add(l.log.tempcomp, "tempcomp");
  if (log.empty()) {
    out.off("log", "nothing selected");
  } else {
    out.line("log" + log);
  }
}

void control(Out& out, const Config& c) {
  const ControlConfig& k = c.control;
  out.section("Command and monitoring access");
  if (k.socket_path) {
    out.line("bindcmdaddress " + *k.socket_path);
  } else {
    out.off("bindcmdaddress", "unix socket at stratad's default path");
  }
  out.line("bindcmdaddress " + k.bind_v4.toString());
  out.line("bindcmdaddress " + k.bind_v6.toString());
  out.num("cmdport", k.port);
  if (k.access.rules.empty()) out.off("cmdallow", "none: localhost only");
  for (const AccessRule& r : k.access.rules) out.line(formatAccessRule("cmdallow", r));
  if (k.ratelimit.enabled) {
    out.line(formatRateLimit("cmdratelimit", k.ratelimit));
  } else {
    out.off("cmdratelimit", "off");
  }
}

void auth(Out& out, const Config& c) {
  const AuthConfig& a = c.auth;
  out.section("Keys and NTS");
  out.word("keyfile", a.keyfile, "none");
  if (a.nts_server_keys.empty()) out.off("ntsserverkey", "none");
  for (const std::string& k : a.nts_server_keys) out.line("ntsserverkey " + k);
  if (a.nts_server_certs.empty()) out.off("ntsservercert", "none");
  for (const std::string& k : a.nts_server_certs) out.line("ntsservercert " + k);
  out.num("ntsport", a.nts_port);
  out.num("ntsrotate", a.nts_rotate.count());
  out.word("ntsdumpdir", a.nts_dumpdir, "none");
  if (a.nts_ratelimit.enabled) {
    out.line(formatRateLimit("ntsratelimit", a.nts_ratelimit));
  } else {
    out.off("ntsratelimit", "off");
  }
}

void deployment(Out& out, const Config& c) {
  const DeploymentConfig& d = c.deployment;
  out.section("Process");
  out.word("pidfile", d.pidfile, "none");
  out.word("user", d.user, "none: keep the user stratad was started as");
  out.num("sched_priority", d.sched_priority);
  out.flag("lock_all", d.lock_all, "off");
  out.word("dumpdir", d.dumpdir, "none");
}

}  // namespace

std::string formatConfig(const Config& config) {
  Out out;
  out.line("# Effective Strata configuration: every default is written out; settings that are");
  out.line("# off or unset are shown as comments.");
  serving(out, config);
  access(out, config);
  sources(out, config);
  discipline(out, config);
  logging(out, config);
  control(out, config);
  auth(out, config);
  deployment(out, config);
  return out.take();
}

}  // namespace strata::config
