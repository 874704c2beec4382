// Grouping the points a rule judged into episodes: the part every rule shares (when an episode
// starts, what joins it, when it is closed, its level and its peak).
#pragma once

#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "meteo/alerts/alerts.hpp"

namespace meteo::alerts {

// One point a rule judged: a record, an hour or a day whose value was known (a point whose value
// is missing is no sample: it neither triggers nor closes).
struct Sample {
  UtcSeconds at;
  int level_rank = 0;  // 0: the condition does not hold; 1 or 2: the level reached
  double value = 0;    // what the rule's thresholds apply to
};

// How a rule names its levels, and what is extreme.
struct LevelScale {
  Kind kind = Kind::strong_wind;
  std::array<std::string, 2> names;  // of ranks 1 and 2
  std::array<double, 2> thresholds;  // of ranks 1 and 2
  std::string rule_version;
  bool lower_is_worse = false;  // the cold: the peak is the lowest value
};

struct EpisodeTiming {
  std::chrono::seconds join_gap;     // consecutive triggers closer than this are one episode
  std::chrono::seconds close_after;  // closed once the samples reach this long after the last one
  // Set: the episode ends this long after its last trigger (the heat wave's day); unset: it ends
  // at the first sample after its last trigger (the first record seen without the condition).
  std::optional<std::chrono::seconds> trigger_span;
};

// Timing of the rules judging records or hours: quiet_hours both joins and closes.
EpisodeTiming quiet_hours_timing(int quiet_hours);

// Episodes of samples sorted by time; the newest sample is where the rule's data stop.
std::vector<Episode> group_into_episodes(const std::vector<Sample>& samples,
                                         const LevelScale& scale, const EpisodeTiming& timing);

// The rank of a value against two rising thresholds (0, 1 or 2).
int rank_at_or_above(double value, double lower, double higher);

// A threshold as rule_version prints it: "80", "-10", "20.5".
std::string format_number(double value);

}  // namespace meteo::alerts
