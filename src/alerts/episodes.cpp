#include "episodes.hpp"

#include <algorithm>
#include <cstdio>

namespace meteo::alerts {
namespace {

bool is_worse(double candidate, double peak, bool lower_is_worse) {
  return lower_is_worse ? candidate < peak : candidate > peak;
}

// The time of the first sample later than `moment`; nothing when there is none.
std::optional<UtcSeconds> first_sample_after(const std::vector<Sample>& samples,
                                             UtcSeconds moment) {
  const auto later =
      std::upper_bound(samples.begin(), samples.end(), moment,
                       [](UtcSeconds value, const Sample& sample) { return value < sample.at; });
  if (later == samples.end()) return std::nullopt;
  return later->at;
}

// The episode of the given triggers (indices into samples, each with a rank).
Episode episode_of(const std::vector<Sample>& samples, const std::vector<std::size_t>& triggers,
                   const LevelScale& scale, const EpisodeTiming& timing) {
  Episode episode;
  episode.kind = scale.kind;
  episode.rule_version = scale.rule_version;
  episode.start = samples[triggers.front()].at;
  episode.peak_value = samples[triggers.front()].value;
  episode.peak_at = episode.start;
  int rank = 0;
  for (std::size_t index : triggers) {
    const Sample& sample = samples[index];
    rank = std::max(rank, sample.level_rank);
    episode.triggers.push_back(sample.at);
    if (is_worse(sample.value, episode.peak_value, scale.lower_is_worse)) {
      episode.peak_value = sample.value;
      episode.peak_at = sample.at;
    }
  }
  episode.level_rank = rank;
  episode.level = scale.names[rank - 1];
  episode.threshold = scale.thresholds[rank - 1];

  const UtcSeconds last_trigger = samples[triggers.back()].at;
  if (samples.back().at < last_trigger + timing.close_after) return episode;  // may still last
  episode.end = timing.trigger_span ? last_trigger + *timing.trigger_span
                                    : first_sample_after(samples, last_trigger);
  return episode;
}

}  // namespace

EpisodeTiming quiet_hours_timing(int quiet_hours) {
  const std::chrono::seconds quiet = std::chrono::hours(std::max(quiet_hours, 0));
  return {quiet, quiet, std::nullopt};
}

std::vector<Episode> group_into_episodes(const std::vector<Sample>& samples,
                                         const LevelScale& scale, const EpisodeTiming& timing) {
  std::vector<Episode> episodes;
  std::size_t next = 0;
  while (next < samples.size()) {
    if (samples[next].level_rank == 0) {
      ++next;
      continue;
    }
    std::vector<std::size_t> triggers{next};
    for (++next; next < samples.size(); ++next) {
      if (samples[next].level_rank == 0) continue;  // calm between triggers: still one episode
      if (samples[next].at - samples[triggers.back()].at >= timing.join_gap) break;
      triggers.push_back(next);
    }
    episodes.push_back(episode_of(samples, triggers, scale, timing));
  }
  return episodes;
}

int rank_at_or_above(double value, double lower, double higher) {
  if (value >= higher) return 2;
  if (value >= lower) return 1;
  return 0;
}

std::string format_number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

}  // namespace meteo::alerts
