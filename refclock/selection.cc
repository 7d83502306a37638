#include "refclock/selection.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace strata::refclock {

namespace {

struct Region {
  double lo, hi;
};

// Marzullo's sweep over closed intervals: the regions where the most intervals overlap.
// Returns the maximal overlap count; `regions` gets the regions reaching it.
int maxOverlap(const std::vector<Region>& intervals, std::vector<Region>& regions) {
  std::vector<std::pair<double, int>> edges;  // (value, +1 start / -1 end)
  edges.reserve(intervals.size() * 2);
  for (const auto& iv : intervals) {
    edges.emplace_back(iv.lo, +1);
    edges.emplace_back(iv.hi, -1);
  }
  // Starts before ends at the same value: touching intervals overlap.
  std::sort(edges.begin(), edges.end(), [](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first < b.first;
    return a.second > b.second;
  });
  int count = 0, best = 0;
  regions.clear();
  for (size_t i = 0; i < edges.size(); ++i) {
    count += edges[i].second;
    if (edges[i].second > 0 && count >= best) {
      // The region runs from here to the next edge.
      double end = i + 1 < edges.size() ? edges[i + 1].first : edges[i].first;
      if (count > best) {
        best = count;
        regions.clear();
      }
      regions.push_back({edges[i].first, end});
    }
  }
  return best;
}

bool overlapsAny(const Region& iv, const std::vector<Region>& regions) {
  for (const auto& r : regions) {
    if (iv.lo <= r.hi && iv.hi >= r.lo) return true;
  }
  return false;
}

}  // namespace

char selectStatusLetter(SelectStatus s) {
  switch (s) {
    case SelectStatus::kSelected:
      return '*';
    case SelectStatus::kCombined:
      return '+';
    case SelectStatus::kNotCombined:
      return 'D';
    case SelectStatus::kNotPreferred:
      return 'P';
    case SelectStatus::kWaiting:
      return 'W';
    case SelectStatus::kFalseticker:
      return 'x';
    case SelectStatus::kUntrusted:
      return 'T';
    case SelectStatus::kJittery:
      return '~';
    case SelectStatus::kDistance:
      return 'd';
    case SelectStatus::kUnsynced:
      return 's';
    case SelectStatus::kTooFewSamples:
      return 'M';
    case SelectStatus::kNoSelect:
      return 'N';
    case SelectStatus::kUnreachable:
      return '?';
    case SelectStatus::kNoMajority:
      return '?';
  }
  return '?';
}

char sourcesStateChar(SelectStatus s) {
  switch (s) {
    case SelectStatus::kSelected:
      return '*';
    case SelectStatus::kCombined:
      return '+';
    case SelectStatus::kNotCombined:
    case SelectStatus::kNotPreferred:
    case SelectStatus::kWaiting:
      return '-';
    case SelectStatus::kFalseticker:
    case SelectStatus::kUntrusted:
      return 'x';
    case SelectStatus::kJittery:
      return '~';
    default:
      return '?';
  }
}

const char* selectionOutcomeName(SelectionOutcome o) {
  switch (o) {
    case SelectionOutcome::kSelected:
      return "selected";
    case SelectionOutcome::kNoCandidates:
      return "no selectable sources";
    case SelectionOutcome::kNoMajority:
      return "no majority";
    case SelectionOutcome::kMinSources:
      return "fewer sources than minsources";
    case SelectionOutcome::kRequireMissing:
      return "no required source selectable";
  }
  return "?";
}

SelectionResult selectSources(std::span<const Candidate> candidates,
                              const SelectionOptions& options) {
  SelectionResult result;
  const size_t n = candidates.size();
  result.status.assign(n, SelectStatus::kUnreachable);

  // 1. Eligibility.
  std::vector<size_t> eligible;
  for (size_t i = 0; i < n; ++i) {
    const Candidate& c = candidates[i];
    SelectStatus& st = result.status[i];
    if (c.noselect) {
      st = SelectStatus::kNoSelect;
    } else if (!c.reachable) {
      st = SelectStatus::kUnreachable;
    } else if (c.leap == proto::LeapIndicator::kUnsynchronized) {
      st = SelectStatus::kUnsynced;
    } else if (!c.enough_samples) {
      st = SelectStatus::kTooFewSamples;
    } else if (!(c.root_distance_s <= options.max_distance_s)) {
      st = SelectStatus::kDistance;
    } else if (!(c.jitter_s <= options.max_jitter_s)) {
      st = SelectStatus::kJittery;
    } else {
      st = SelectStatus::kNoMajority;  // provisional
      eligible.push_back(i);
    }
  }
  if (eligible.empty()) {
    result.outcome = SelectionOutcome::kNoCandidates;
    return result;
  }

  auto interval = [&](size_t i) {
    const Candidate& c = candidates[i];
    return Region{c.offset_s - c.root_distance_s, c.offset_s + c.root_distance_s};
  };

  // 2. Intersection: of the trusted sources if there are any, else of all eligible ones.
  std::vector<size_t> voters;
  for (size_t i : eligible) {
    if (candidates[i].trust) voters.push_back(i);
  }
  const bool trusted_mode = !voters.empty();
  if (!trusted_mode) voters = eligible;
  std::vector<Region> intervals;
  for (size_t i : voters) intervals.push_back(interval(i));
  std::vector<Region> regions;
  int overlap = maxOverlap(intervals, regions);
  if (2 * overlap <= static_cast<int>(voters.size())) {
    result.outcome = SelectionOutcome::kNoMajority;
    return result;  // every eligible source stays kNoMajority
  }
  result.intersection_lo_s = regions.front().lo;
  result.intersection_hi_s = regions.back().hi;

  std::vector<size_t> survivors;
  for (size_t i : eligible) {
    if (overlapsAny(interval(i), regions)) {
      survivors.push_back(i);
    } else {
      result.status[i] = (trusted_mode && !candidates[i].trust) ? SelectStatus::kUntrusted
                                                                : SelectStatus::kFalseticker;
    }
  }

  // 3. require / minsources.
  bool any_require = false, required_survived = false;
  for (size_t i = 0; i < n; ++i) any_require = any_require || candidates[i].require;
  for (size_t i : survivors) required_survived = required_survived || candidates[i].require;
  SelectionOutcome blocked = SelectionOutcome::kSelected;
  if (static_cast<int>(survivors.size()) < options.min_sources) {
    blocked = SelectionOutcome::kMinSources;
  } else if (any_require && !required_survived) {
    blocked = SelectionOutcome::kRequireMissing;
  }
  if (blocked != SelectionOutcome::kSelected) {
    for (size_t i : survivors) result.status[i] = SelectStatus::kWaiting;
    result.outcome = blocked;
    return result;
  }

  // 4. Best survivor.
  bool any_prefer = false;
  for (size_t i : survivors) any_prefer = any_prefer || candidates[i].prefer;
  auto score = [&](size_t i) {
    const Candidate& c = candidates[i];
    return c.root_distance_s + c.stratum * options.stratum_weight_s +
           (c.currently_selected ? 0.0 : options.reselect_distance_s);
  };
  std::optional<size_t> best;
  for (size_t i : survivors) {
    if (any_prefer && !candidates[i].prefer) continue;
    if (!best || score(i) < score(*best)) best = i;
  }
  result.selected = best;
  result.status[*best] = SelectStatus::kSelected;
  result.combined.push_back(*best);

  // 5. Combining.
  const Candidate& b = candidates[*best];
  for (size_t i : survivors) {
    if (i == *best) continue;
    const Candidate& c = candidates[i];
    if (any_prefer && !c.prefer) {
      result.status[i] = SelectStatus::kNotPreferred;
      continue;
    }
    bool near = c.root_distance_s < options.combine_limit * b.root_distance_s;
    bool same_freq = std::fabs(c.freq - b.freq) <= options.combine_limit * (c.skew + b.skew);
    if (options.combine_limit > 0 && near && same_freq) {
      result.status[i] = SelectStatus::kCombined;
      result.combined.push_back(i);
    } else {
      result.status[i] = SelectStatus::kNotCombined;
    }
  }
  result.outcome = SelectionOutcome::kSelected;
  return result;
}

}  // namespace strata::refclock
