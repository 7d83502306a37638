#include "config_generator.h"

#include <cmath>
#include <cstdio>
#include <functional>
#include <vector>

namespace strata::config::testing {

std::string ConfigGenerator::integer(int lo, int hi) {
  std::string s = std::to_string(uniform(lo, hi));
  if (s[0] != '-' && uniform(0, 9) == 0) s = "+" + s;
  return s;
}

std::string ConfigGenerator::seconds(double max_abs, bool allow_negative) {
  char buf[64];
  switch (uniform(0, 4)) {
    case 0:
      std::snprintf(buf, sizeof buf, "%d", uniform(0, static_cast<int>(std::min(max_abs, 1e6))));
      break;
    case 1:  // nanosecond-ish values in exponent form
      std::snprintf(buf, sizeof buf, "%de-%d", uniform(0, 999), uniform(6, 12));
      break;
    case 2:
      std::snprintf(buf, sizeof buf, "%.*f", uniform(1, 9),
                    std::uniform_real_distribution<double>(0, std::min(max_abs, 1e3))(rng_));
      break;
    case 3:
      std::snprintf(buf, sizeof buf, "%.3e",
                    std::uniform_real_distribution<double>(0, std::min(max_abs, 1.0))(rng_));
      break;
    default:
      std::snprintf(buf, sizeof buf, ".%d", uniform(0, 99999));
      break;
  }
  std::string s = buf;
  if (allow_negative && coin()) s = "-" + s;
  return s;
}

std::string ConfigGenerator::real(double lo, double hi) {
  double v = std::uniform_real_distribution<double>(lo, hi)(rng_);
  char buf[64];
  if (coin()) {
    std::snprintf(buf, sizeof buf, "%.17g", v);
  } else {
    std::snprintf(buf, sizeof buf, "%.*f", uniform(0, 6), v);
  }
  double back = std::strtod(buf, nullptr);
  if (back < lo || back > hi) std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

std::string ConfigGenerator::address() {
  char buf[64];
  if (coin()) {
    std::snprintf(buf, sizeof buf, "%d.%d.%d.%d", uniform(0, 255), uniform(0, 255), uniform(0, 255),
                  uniform(0, 255));
  } else {
    std::snprintf(buf, sizeof buf, "2001:db8:%x::%x", uniform(0, 0xffff), uniform(0, 0xffff));
  }
  return buf;
}

std::string ConfigGenerator::subnet() {
  switch (uniform(0, 4)) {
    case 0:
      return address();
    case 1:
      return std::to_string(uniform(0, 255)) + "." + std::to_string(uniform(0, 255));
    case 2:
      return address() + "/" + std::to_string(uniform(0, 32));
    case 3:
      return "2001:db8::/" + std::to_string(uniform(0, 128));
    default:
      return std::to_string(uniform(0, 255));
  }
}

std::string ConfigGenerator::word() {
  static const char* kWords[] = {"/var/lib/strata/drift", "eth0",      "a.example", "x",
                                 "/run/strata/s.sock",    "right/UTC", "_strata",   "interval"};
  return kWords[uniform(0, 7)];
}

std::string ConfigGenerator::sourceLine() {
  static const char* kTypes[] = {"server", "pool", "peer"};
  std::string type = kTypes[uniform(0, 2)];
  std::string line =
      type + " " + (coin() ? address() : "ntp" + std::to_string(uniform(0, 9)) + ".example");
  std::vector<std::function<std::string()>> opts = {
      [&] { return "port " + integer(1, 65535); },
      [&] { return "minpoll " + integer(-7, 24); },
      [&] { return "maxpoll " + integer(-7, 24); },
      [&] { return std::string("iburst"); },
      [&] { return std::string("burst"); },
      [&] { return std::string("prefer"); },
      [&] { return std::string("noselect"); },
      [&] { return std::string("trust"); },
      [&] { return std::string("require"); },
      [&] { return std::string("xleave"); },
      [&] { return std::string("offline"); },
      [&] { return std::string("auto_offline"); },
      [&] { return std::string("copy"); },
      [&] { return std::string("nts"); },
      [&] { return "key " + integer(1, 2000000000); },
      [&] { return "ntsport " + integer(1, 65535); },
      [&] { return "certset " + integer(0, 100); },
      [&] { return "maxdelay " + seconds(1000, false); },
      [&] { return "maxdelayratio " + real(0, 100); },
      [&] { return "maxdelaydevratio " + real(0, 100); },
      [&] { return "maxdelayquant " + real(0.05, 0.95); },
      [&] { return "mindelay " + seconds(1000, false); },
      [&] { return "asymmetry " + real(-0.5, 0.5); },
      [&] { return "offset " + seconds(1000, true); },
      [&] { return "filter " + integer(0, 1024); },
      [&] { return "minsamples " + integer(0, 1024); },
      [&] { return "maxsamples " + integer(0, 1024); },
      [&] { return "polltarget " + integer(1, 1000); },
      [&] { return "presend " + integer(-7, 24); },
      [&] { return "minstratum " + integer(0, 15); },
      [&] { return "version " + integer(1, 4); },
      [&] { return std::string("extfield F323"); },
      [&] { return "maxsources " + integer(1, 16); },
  };
  int n = uniform(0, 8);
  for (int i = 0; i < n; ++i)
    line += " " + opts[static_cast<size_t>(uniform(0, static_cast<int>(opts.size()) - 1))]();
  return line;
}

std::string ConfigGenerator::refclockLine() {
  std::string line;
  switch (uniform(0, 3)) {
    case 0: {
      line = "refclock PHC /dev/ptp" + std::to_string(uniform(0, 3));
      if (coin()) line += ":nocrossts";
      if (coin()) line += ":extpps";
      if (coin()) line += ":pin=" + integer(-1, 255);
      if (coin()) line += ":channel=" + integer(0, 255);
      if (coin()) line += ":clear";
      break;
    }
    case 1:
      line = std::string("refclock PPS /dev/pps0") + (coin() ? ":clear" : "");
      break;
    case 2:
      line = "refclock SHM " + std::to_string(uniform(0, 3));
      if (coin())
        line += ":perm=0" + std::to_string(uniform(0, 7)) + std::to_string(uniform(0, 7)) + "4";
      break;
    default:
      line = "refclock SOCK /run/chrony.ttyS0.sock";
      break;
  }
  std::vector<std::function<std::string()>> opts = {
      [&] { return "poll " + integer(-7, 24); },
      [&] { return "dpoll " + integer(-7, 24); },
      [&] { return std::string("refid GPS") + std::to_string(uniform(0, 9)); },
      [&] { return std::string("lock PPS"); },
      [&] { return "rate " + integer(1, 100); },
      [&] { return "offset " + seconds(100, true); },
      [&] { return "delay " + seconds(1000, false); },
      [&] { return "precision " + seconds(1, false); },
      [&] { return "maxdispersion " + seconds(1000, false); },
      [&] { return "maxlockage " + integer(0, 1000); },
      [&] { return "filter " + integer(1, 1024); },
      [&] { return std::string("prefer"); },
      [&] { return std::string("noselect"); },
      [&] { return std::string("trust"); },
      [&] { return std::string("require"); },
      [&] { return std::string("pps"); },
      [&] { return std::string("tai"); },
      [&] { return std::string("local"); },
      [&] { return "width " + seconds(1, false); },
      [&] { return "stratum " + integer(0, 15); },
      [&] { return "minsamples " + integer(0, 1024); },
      [&] { return "maxsamples " + integer(0, 1024); },
  };
  int n = uniform(0, 6);
  for (int i = 0; i < n; ++i)
    line += " " + opts[static_cast<size_t>(uniform(0, static_cast<int>(opts.size()) - 1))]();
  return line;
}

std::string ConfigGenerator::line() {
  static const char* kLogs[] = {"measurements", "rawmeasurements", "selection",
                                "statistics",   "tracking",        "rtc",
                                "refclocks",    "tempcomp"};
  static const char* kRx[] = {"all", "ntp", "ptp", "none"};
  static const char* kLeap[] = {"system", "step", "slew", "ignore"};
  std::vector<std::function<std::string()>> lines = {
      [&] { return "port " + integer(0, 65535); },
      [&] { return "bindaddress " + address(); },
      [&] { return "binddevice " + word(); },
      [&] { return "dscp " + integer(0, 63); },
      [&] {
        std::string l = "local";
        if (coin()) l += " stratum " + integer(1, 15);
        if (coin()) l += " distance " + seconds(100, false);
        if (coin()) l += " orphan";
        if (coin()) l += " activate " + seconds(10, false);
        if (coin()) l += " waitsynced " + seconds(1000, false);
        if (coin()) l += " waitunsynced " + seconds(1000, false);
        return l;
      },
      [&] { return "workers " + integer(0, 1024); },
      [&] { return "workerbatch " + integer(1, 1024); },
      [&] {
        int a = uniform(0, 64);
        return "workercpus " + std::to_string(a) + "-" + std::to_string(a + uniform(0, 8)) + "," +
               std::to_string(uniform(0, 4095));
      },
      [&] { return std::string("txstampcal ") + (coin() ? "on" : "off"); },
      [&] { return std::string("txstampshed ") + (coin() ? "off" : integer(1, 100)); },
      [&] { return "metricsport " + integer(0, 65535); },
      [&] { return "bindmetricsaddress " + address(); },
      [&] {
        static const char* kDirs[] = {"allow", "deny", "cmdallow", "cmddeny"};
        std::string l = kDirs[uniform(0, 3)];
        if (coin()) l += " all";
        if (coin()) l += " " + subnet();
        return l;
      },
      [&] { return sourceLine(); },
      [&] { return "acquisitionport " + integer(0, 65535); },
      [&] {
        return "initstepslew " + seconds(100, false) + (coin() ? " a.example b.example" : "");
      },
      [&] { return refclockLine(); },
      [&] {
        std::string l =
            "hwtimestamp " + std::string(coin() ? "*" : "eth" + std::to_string(uniform(0, 3)));
        if (coin()) l += " minpoll " + integer(-6, 24);
        if (coin()) l += " maxpoll " + integer(-6, 24);
        if (coin()) l += " minsamples " + integer(1, 1024);
        if (coin()) l += " maxsamples " + integer(1, 1024);
        if (coin()) l += " precision " + seconds(1, false);
        if (coin()) l += " txcomp " + seconds(1, true);
        if (coin()) l += " rxcomp " + seconds(1, true);
        if (coin()) l += " nocrossts";
        if (coin()) l += std::string(" rxfilter ") + kRx[uniform(0, 3)];
        return l;
      },
      [&] { return "driftfile " + word() + (coin() ? " interval " + integer(1, 100000) : ""); },
      [&] { return "makestep " + seconds(1000, false) + " " + integer(-5, 10); },
      [&] { return std::string("rtcsync"); },
      [&] { return "minsources " + integer(1, 256); },
      [&] { return "maxdistance " + seconds(1000, false); },
      [&] { return "maxjitter " + seconds(1000, false); },
      [&] { return "maxupdateskew " + real(0, 1e6); },
      [&] { return "maxslewrate " + real(0, 1e6); },
      [&] {
        return "maxchange " + seconds(1000, false) + " " + integer(0, 10) + " " + integer(-1, 5);
      },
      [&] { return "maxdrift " + real(0, 1e6); },
      [&] { return "maxclockerror " + real(0, 100); },
      [&] { return "corrtimeratio " + real(0, 100); },
      [&] { return "combinelimit " + real(0, 100); },
      [&] { return "reselectdist " + seconds(1, false); },
      [&] { return "stratumweight " + seconds(1, false); },
      [&] { return "leapsectz " + word(); },
      [&] { return std::string("leapsecmode ") + kLeap[uniform(0, 3)]; },
      [&] { return "smoothtime " + real(0, 1e5) + " " + real(0, 1) + (coin() ? " leaponly" : ""); },
      [&] {
        int a = uniform(0, 30);
        return "fallbackdrift " + std::to_string(a) + " " + std::to_string(uniform(a, 30));
      },
      [&] { return std::string("manual"); },
      [&] { return "logdir " + word(); },
      [&] {
        std::string l = "log";
        int n = uniform(0, 3);
        for (int i = 0; i < n; ++i) l += std::string(" ") + kLogs[uniform(0, 7)];
        return l;
      },
      [&] {
        return "bindcmdaddress " + (coin() ? address() : std::string("/run/strata/cmd.sock"));
      },
      [&] { return "cmdport " + integer(0, 65535); },
      [&] {
        static const char* kDirs[] = {"ratelimit", "ntsratelimit", "cmdratelimit"};
        int which = uniform(0, 2);
        std::string l = kDirs[which];
        if (coin()) l += " interval " + integer(-19, 12);
        if (coin()) l += " burst " + integer(1, 255);
        if (coin()) l += " leak " + integer(1, 4);
        if (which == 0 && coin()) l += " kod " + integer(0, 4);
        return l;
      },
      [&] { return "clientloglimit " + integer(0, 2000000000); },
      [&] { return std::string("noclientlog"); },
      [&] { return "keyfile " + word(); },
      [&] { return "ntsserverkey " + word(); },
      [&] { return "ntsservercert " + word(); },
      [&] { return "ntsport " + integer(0, 65535); },
      [&] { return "ntsrotate " + integer(0, 2000000000); },
      [&] { return "ntsdumpdir " + word(); },
      [&] { return "pidfile " + word(); },
      [&] { return "user " + word(); },
      [&] { return "sched_priority " + integer(0, 100); },
      [&] { return std::string("lock_all"); },
      [&] { return "dumpdir " + word(); },
  };
  return lines[static_cast<size_t>(uniform(0, static_cast<int>(lines.size()) - 1))]();
}

std::string ConfigGenerator::config(int max_lines) {
  std::string text;
  int n = uniform(0, max_lines);
  for (int i = 0; i < n; ++i) text += line() + "\n";
  return text;
}

}  // namespace strata::config::testing
