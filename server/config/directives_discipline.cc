// driftfile, makestep, rtcsync, minsources, max* limits, corrtimeratio, combinelimit,
// reselectdist, stratumweight, leapsectz, leapsecmode, smoothtime, fallbackdrift, manual.
#include <limits>

#include "server/config/diagnostics.h"
#include "server/config/directives.h"
#include "server/config/option_list.h"
#include "server/config/tokenizer.h"

namespace strata::config {

namespace {

constexpr int64_t kIntMin = std::numeric_limits<int>::min();
constexpr int64_t kIntMax = std::numeric_limits<int>::max();
constexpr common::Nanos kZero(0);
constexpr common::Nanos kMillionSeconds = secondsToNanos(1'000'000);
constexpr common::Nanos kBillionSeconds = secondsToNanos(1'000'000'000);

DisciplineConfig& discipline(DirectiveContext& ctx) { return ctx.config().discipline; }

void driftFile(DirectiveContext& ctx) {
  if (ctx.args().empty()) {
    ctx.expectArgCount(1, 1, "FILE [interval SECONDS]");
    return;
  }
  DriftFileConfig drift;
  drift.path = std::string(ctx.args()[0]);
  OptionList options;
  options.custom("interval", [&drift](DirectiveContext& c, std::string_view v) {
    auto s = intValue(c, "interval", v, 1, kIntMax);
    if (s) drift.interval = std::chrono::seconds(*s);
    return s.has_value();
  });
  if (options.run(ctx, ctx.args().subspan(1))) discipline(ctx).driftfile = std::move(drift);
}

void makeStep(DirectiveContext& ctx) {
  if (!ctx.expectArgCount(2, 2, "THRESHOLD LIMIT")) return;
  auto threshold = secondsValue(ctx, "THRESHOLD", ctx.args()[0], kZero, kBillionSeconds);
  if (!threshold) return;
  auto limit = intValue(ctx, "LIMIT", ctx.args()[1], kIntMin, kIntMax);
  if (!limit) return;
  discipline(ctx).makestep = MakeStepConfig{*threshold, static_cast<int>(*limit)};
}

void maxChange(DirectiveContext& ctx) {
  if (!ctx.expectArgCount(3, 3, "OFFSET START IGNORE")) return;
  auto offset = secondsValue(ctx, "OFFSET", ctx.args()[0], kZero, kBillionSeconds);
  if (!offset) return;
  auto start = intValue(ctx, "START", ctx.args()[1], 0, kIntMax);
  if (!start) return;
  auto ignore = intValue(ctx, "IGNORE", ctx.args()[2], kIntMin, kIntMax);
  if (!ignore) return;
  discipline(ctx).maxchange =
      MaxChangeConfig{*offset, static_cast<int>(*start), static_cast<int>(*ignore)};
}

void smoothTime(DirectiveContext& ctx) {
  if (!ctx.expectArgCount(2, 3, "MAXFREQ MAXWANDER [leaponly]")) return;
  SmoothTimeConfig smooth;
  auto freq = realValue(ctx, "MAXFREQ", ctx.args()[0], 0, 1e6);
  if (!freq) return;
  auto wander = realValue(ctx, "MAXWANDER", ctx.args()[1], 0, 1e6);
  if (!wander) return;
  smooth.max_freq_ppm = *freq;
  smooth.max_wander_ppm_per_s = *wander;
  if (ctx.args().size() == 3) {
    if (toLower(ctx.args()[2]) != "leaponly") {
      ctx.error("the third argument must be leaponly, got " + quote(ctx.args()[2]));
      return;
    }
    smooth.leap_only = true;
  }
  discipline(ctx).smoothtime = smooth;
}

void fallbackDrift(DirectiveContext& ctx) {
  if (!ctx.expectArgCount(2, 2, "MIN-INTERVAL MAX-INTERVAL")) return;
  auto lo = intValue(ctx, "MIN-INTERVAL", ctx.args()[0], 0, 30);
  if (!lo) return;
  auto hi = intValue(ctx, "MAX-INTERVAL", ctx.args()[1], 0, 30);
  if (!hi) return;
  if (*lo != 0 && *hi != 0 && *lo > *hi) {
    ctx.error("MIN-INTERVAL must not exceed MAX-INTERVAL, got " + ctx.quotedArgs());
    return;
  }
  discipline(ctx).fallback_drift_min_log2 = static_cast<int>(*lo);
  discipline(ctx).fallback_drift_max_log2 = static_cast<int>(*hi);
}

void leapSecMode(DirectiveContext& ctx) {
  if (!ctx.expectArgCount(1, 1, "system|step|slew|ignore")) return;
  std::string mode = toLower(ctx.args()[0]);
  LeapSecMode value;
  if (mode == "system") {
    value = LeapSecMode::kSystem;
  } else if (mode == "step") {
    value = LeapSecMode::kStep;
  } else if (mode == "slew") {
    value = LeapSecMode::kSlew;
  } else if (mode == "ignore") {
    value = LeapSecMode::kIgnore;
  } else {
    ctx.error("MODE must be system, step, slew or ignore, got " + quote(ctx.args()[0]));
    return;
  }
  discipline(ctx).leapsecmode = value;
}

void leapSecTz(DirectiveContext& ctx) { oneWord(ctx, "TIMEZONE", discipline(ctx).leapsectz); }
void rtcSync(DirectiveContext& ctx) { noArguments(ctx, discipline(ctx).rtcsync); }
void manual(DirectiveContext& ctx) { noArguments(ctx, discipline(ctx).manual); }
void minSources(DirectiveContext& ctx) {
  oneInteger(ctx, "SOURCES", 1, 256, discipline(ctx).min_sources);
}
void maxDistance(DirectiveContext& ctx) {
  oneSeconds(ctx, "DISTANCE", kZero, kMillionSeconds, discipline(ctx).max_distance);
}
void maxJitter(DirectiveContext& ctx) {
  oneSeconds(ctx, "JITTER", kZero, kMillionSeconds, discipline(ctx).max_jitter);
}
void reselectDist(DirectiveContext& ctx) {
  oneSeconds(ctx, "DISTANCE", kZero, kMillionSeconds, discipline(ctx).reselect_distance);
}
void stratumWeight(DirectiveContext& ctx) {
  oneSeconds(ctx, "DISTANCE", kZero, kMillionSeconds, discipline(ctx).stratum_weight);
}
void maxUpdateSkew(DirectiveContext& ctx) {
  oneReal(ctx, "SKEW-IN-PPM", 0, 1e6, discipline(ctx).max_update_skew_ppm);
}
void maxSlewRate(DirectiveContext& ctx) {
  oneReal(ctx, "RATE-IN-PPM", 0, 1e6, discipline(ctx).max_slew_rate_ppm);
}
void maxDrift(DirectiveContext& ctx) {
  oneReal(ctx, "DRIFT-IN-PPM", 0, 1e6, discipline(ctx).max_drift_ppm);
}
void maxClockError(DirectiveContext& ctx) {
  oneReal(ctx, "ERROR-IN-PPM", 0, 1e6, discipline(ctx).max_clock_error_ppm);
}
void corrTimeRatio(DirectiveContext& ctx) {
  oneReal(ctx, "RATIO", 0, 1e6, discipline(ctx).corr_time_ratio);
}
void combineLimit(DirectiveContext& ctx) {
  oneReal(ctx, "LIMIT", 0, 1e6, discipline(ctx).combine_limit);
}

constexpr DirectiveDef kDirectives[] = {
    {"driftfile", driftFile},
    {"makestep", makeStep},
    {"rtcsync", rtcSync},
    {"minsources", minSources},
    {"maxdistance", maxDistance},
    {"maxjitter", maxJitter},
    {"maxupdateskew", maxUpdateSkew},
    {"maxslewrate", maxSlewRate},
    {"maxchange", maxChange},
    {"maxdrift", maxDrift},
    {"maxclockerror", maxClockError},
    {"corrtimeratio", corrTimeRatio},
    {"combinelimit", combineLimit},
    {"reselectdist", reselectDist},
    {"stratumweight", stratumWeight},
    {"leapsectz", leapSecTz},
    {"leapsecmode", leapSecMode},
    {"smoothtime", smoothTime},
    {"fallbackdrift", fallbackDrift},
    {"manual", manual},
};

}  // namespace

std::span<const DirectiveDef> disciplineDirectives() { return kDirectives; }

}  // namespace strata::config
