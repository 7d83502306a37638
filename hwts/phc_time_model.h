#pragma once
// PhcTimeModel: a robust linear model of system time against PHC time, fed with PHC
// readings (PhcSample, one per poll), that yields the PhcConversion workers apply.
//
// Fit. Over the last max_samples readings, a weighted least-squares line of
// offset = system - PHC against PHC time; each reading is weighted by 1/(delay/2 +
// precision)^2, so narrow readings dominate. With 4 or more readings, those whose residual
// exceeds max(3 robust sigmas, their own uncertainty) are left out and the line refitted
// (robust sigma = 1.4826 * median |residual|).
//
// Jumps. A new reading whose residual against the current line exceeds its tolerance
//   3 * precision + delay/2 + 4 * max(fit sigma, precision) + 3 * slope error * distance
// is a suspect, and conversions are suspended (valid = 0) at once so that no worker applies a
// model that may be wrong. If the next reading fits the old line again, the suspects were
// outliers and are dropped. If jump_confirm_samples consecutive suspects lie on a line of
// their own, the PHC or the system clock jumped (step), or the system clock's rate changed
// (slew): the model restarts from the suspects (new generation). When the suspects sit at a
// constant distance from the old line (a step: the rates did not change), the restarted fit
// keeps the old frequency as a prior, weighted like the old window, until the window is full
// again; so conversions are accurate from the restart on. A reading more than
// max_extrapolation after the previous one restarts the model too (stale).
// Known system-clock steps (the daemon made them) can be applied without a restart:
// applySystemStep().
//
// Readings with values beyond ±2^62 ns (device garbage) are rejected, so all arithmetic
// stays in range. Pure: no clock reads, no syscalls. Not thread-safe: one owner thread;
// publish conversion() to workers through common::SeqLock.

#include <cstdint>
#include <vector>

#include "common/ntp_time.h"
#include "hwts/hwtstamp_options.h"
#include "hwts/phc_conversion.h"
#include "hwts/phc_reader.h"

namespace strata::hwts {

struct PhcModelOptions {
  int min_samples = 2;           // readings needed before conversions are offered
  int max_samples = 16;          // readings the fit uses
  common::Nanos precision{100};  // assumed precision of one reading
  int jump_confirm_samples = 3;  // consecutive consistent suspects that prove a jump
  common::Nanos max_extrapolation{8'000'000'000};  // conversions this far past the newest reading
};

// From the hwtimestamp options: samples and precision as given; max_extrapolation = four
// polling intervals at maxpoll (at least 1 s).
PhcModelOptions phcModelOptions(const HwTimestampOptions& options);

enum class PhcSampleVerdict : uint8_t {
  kAccepted,  // fits the model (or the model is still learning)
  kSuspect,   // off the model: conversions suspended until it is explained
  kReset,     // confirmed a jump: the model restarted from the suspects
  kGapReset,  // came too long after the previous reading: the model restarted
  kInvalid,   // rejected (values out of range, negative delay)
};

struct PhcModelUpdate {
  PhcSampleVerdict verdict = PhcSampleVerdict::kAccepted;
  common::Nanos residual{0};   // against the model before this reading (0 if none)
  common::Nanos tolerance{0};  // the residual allowed for this reading (0 if no model)
};

struct PhcModelStats {
  uint64_t accepted = 0;
  uint64_t suspects = 0;
  uint64_t outliers = 0;  // suspects later found to be isolated outliers
  uint64_t resets = 0;    // jumps confirmed
  uint64_t gap_resets = 0;
  uint64_t invalid = 0;
};

class PhcTimeModel {
 public:
  explicit PhcTimeModel(const PhcModelOptions& options);

  PhcModelUpdate addSample(const PhcSample& sample);
  // The daemon stepped the system clock by `step` (new - old): shift the model instead of
  // treating the next readings as a jump.
  void applySystemStep(common::Nanos step);
  // Forget everything (e.g. the PHC was reopened).
  void reset();

  // The conversion to publish; valid once min_samples readings fit and no jump is pending.
  PhcConversion conversion() const { return conversion_; }

  size_t sampleCount() const { return window_.size(); }
  double frequency() const { return fit_.freq; }  // d(system - PHC)/d(PHC)
  common::Nanos fitSigma() const;                 // RMS residual of the last fit
  const PhcModelStats& stats() const { return stats_; }

 private:
  struct Point {
    int64_t phc_ns;
    int64_t offset_ns;  // system - PHC
    int64_t delay_ns;
  };
  struct Fit {
    bool valid = false;
    int64_t ref_phc_ns = 0;     // newest reading's PHC time
    int64_t ref_offset_ns = 0;  // newest reading's offset (fit values are relative to it)
    double intercept_ns = 0.0;  // fitted offset at ref_phc, relative to ref_offset
    double freq = 0.0;
    double sigma_ns = 0.0;
    double slope_error = 0.0;      // standard error of freq
    double weighted_spread = 0.0;  // sum of w (x - mean x)^2 over the points used
  };

  // Fits a line through `points`; robust when there are enough of them. With `use_prior`,
  // the slope is pulled towards prior_freq_ with weight prior_weight_.
  Fit fitLine(const std::vector<Point>& points, bool use_prior) const;
  double predictRelative(const Fit& fit, const Point& p) const;  // fitted offset - ref
  double tolerance(const Point& p) const;
  bool suspectsConsistent() const;
  bool suspectsAreAStep() const;
  void restartWith(std::vector<Point> points);
  void publish();

  PhcModelOptions options_;
  std::vector<Point> window_;    // oldest first
  std::vector<Point> suspects_;  // readings off the model, oldest first
  Fit fit_;
  double prior_freq_ = 0.0;
  double prior_weight_ = 0.0;  // 0: no prior
  uint32_t generation_ = 0;
  int64_t generation_start_phc_ns_ = 0;
  PhcConversion conversion_;
  PhcModelStats stats_;
};

}  // namespace strata::hwts
