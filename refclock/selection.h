#pragma once
// Source selection (RFC 5905 section 11.2.1 "clock select", chrony's rules): which sources
// may discipline the clock, which of them are falsetickers, which one is the system peer
// and which others are combined with it.
//
//  1. Each candidate must be reachable, have enough measurements, not be `noselect`, not be
//     unsynchronised, and be within maxdistance and maxjitter.
//  2. Correctness intervals [offset - root distance, offset + root distance] are intersected
//     (Marzullo's sweep). A majority (more than half) of the eligible sources must share a
//     point; sources whose interval misses every point of maximal overlap are falsetickers.
//     If any eligible source has `trust`, the intersection of the trusted sources decides
//     instead and the others must overlap it.
//  3. `require`: if some source has it, at least one of those must have survived.
//     `minsources`: at least this many survivors.
//  4. The best survivor has the smallest root distance + stratum * stratumweight (+
//     reselectdist for anyone but the current system peer); if any survivor has `prefer`,
//     only `prefer` survivors are considered.
//  5. Survivors whose distance is below combinelimit x the best's and whose frequency agrees
//     with it are combined (+); the rest stay selectable but unused (-).
//
// Pure function of its inputs; thread-compatible.

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "proto/ntp_packet.h"

namespace strata::refclock {

// Why a source is (not) used; the letters are chrony's `selectdata` state column.
enum class SelectStatus : uint8_t {
  kSelected,       // '*' best source
  kCombined,       // '+' combined with the best source
  kNotCombined,    // 'D' selectable, too far (combinelimit) or frequency disagrees
  kNotPreferred,   // 'P' selectable, another survivor has `prefer`
  kWaiting,        // 'W' selectable, but minsources/require not met: nothing is used
  kFalseticker,    // 'x' does not agree with the majority
  kUntrusted,      // 'T' does not agree with the trusted sources
  kJittery,        // '~' jitter above maxjitter
  kDistance,       // 'd' root distance above maxdistance
  kUnsynced,       // 's' source says it is not synchronised
  kTooFewSamples,  // 'M' not enough measurements yet
  kNoSelect,       // 'N' has `noselect`
  kUnreachable,    // '?' no recent measurement
  kNoMajority,     // '?' eligible but no majority exists
};
char selectStatusLetter(SelectStatus s);
// The `sources` state column (chronyc): '*', '+', '-', 'x', '~' or '?'.
char sourcesStateChar(SelectStatus s);

struct SelectionOptions {
  int min_sources = 1;
  double max_distance_s = 3.0;
  double max_jitter_s = 1.0;
  double combine_limit = 3.0;
  double reselect_distance_s = 100e-6;
  double stratum_weight_s = 1e-3;
};

struct Candidate {
  bool reachable = false;
  bool enough_samples = false;
  proto::LeapIndicator leap = proto::LeapIndicator::kNone;
  double offset_s = 0;         // reference - served, now (estimated)
  double root_distance_s = 0;  // error bound of offset_s: root delay/2 + root dispersion
  double jitter_s = 0;         // standard deviation of the source's measurements
  double freq = 0;             // estimated frequency (statistics slope), dimensionless
  double skew = 0;             // its error bound
  uint8_t stratum = 0;
  bool prefer = false;
  bool noselect = false;
  bool trust = false;
  bool require = false;
  bool currently_selected = false;
};

enum class SelectionOutcome : uint8_t {
  kSelected,
  kNoCandidates,    // nothing eligible
  kNoMajority,      // eligible sources disagree
  kMinSources,      // fewer survivors than minsources
  kRequireMissing,  // no required source survived
};
const char* selectionOutcomeName(SelectionOutcome o);

struct SelectionResult {
  SelectionOutcome outcome = SelectionOutcome::kNoCandidates;
  std::vector<SelectStatus> status;  // one per candidate
  std::optional<size_t> selected;    // index of the best source
  std::vector<size_t> combined;      // selected first, then the other combined ones
  double intersection_lo_s = 0;      // the agreed interval (for logs)
  double intersection_hi_s = 0;
};

SelectionResult selectSources(std::span<const Candidate> candidates,
                              const SelectionOptions& options);

}  // namespace strata::refclock
