// Pollution episodes from the measured exceedances: runs of one pollutant that overlap or touch
// are one episode, at the highest level among them.
#include <algorithm>
#include <iterator>
#include <map>
#include <optional>

#include "meteo/alerts/alerts.hpp"

namespace meteo::alerts {
namespace {

constexpr const char* kPollutionRule = "pollution/1 measured information,alert exceedances";

std::optional<int> level_rank_of(const std::string& level) {
  if (level == "information") return 1;
  if (level == "alert") return 2;
  return std::nullopt;  // no level of ours: not an alert
}

Episode start_episode(const Exceedance& run, int rank) {
  Episode episode;
  episode.kind = Kind::pollution;
  episode.subject = run.pollutant;
  episode.level = run.level;
  episode.level_rank = rank;
  episode.start = run.start_at;
  episode.end = run.end_at;
  episode.peak_value = run.peak_ugm3;
  episode.peak_at = run.peak_at;
  episode.threshold = run.threshold_ugm3;
  episode.rule_version = kPollutionRule;
  episode.triggers.push_back(run.start_at);
  return episode;
}

void absorb(Episode& episode, const Exceedance& run, int rank) {
  episode.end = std::max(*episode.end, run.end_at);
  if (rank > episode.level_rank) {
    episode.level = run.level;
    episode.level_rank = rank;
    episode.threshold = run.threshold_ugm3;
  }
  if (run.peak_ugm3 > episode.peak_value) {
    episode.peak_value = run.peak_ugm3;
    episode.peak_at = run.peak_at;
  }
  episode.triggers.push_back(run.start_at);
}

// The episodes of one pollutant's runs, sorted by start.
std::vector<Episode> merge_runs(const std::vector<Exceedance>& runs, UtcSeconds data_end) {
  std::vector<Episode> episodes;
  std::optional<Episode> current;
  for (const Exceedance& run : runs) {
    const std::optional<int> rank = level_rank_of(run.level);
    if (!rank) continue;
    if (current && run.start_at <= *current->end) {
      absorb(*current, run, *rank);
      continue;
    }
    if (current) episodes.push_back(std::move(*current));
    current = start_episode(run, *rank);
  }
  if (current) episodes.push_back(std::move(*current));
  for (Episode& episode : episodes) {
    std::sort(episode.triggers.begin(), episode.triggers.end());
    episode.triggers.erase(std::unique(episode.triggers.begin(), episode.triggers.end()),
                           episode.triggers.end());
    if (episode.end && *episode.end >= data_end) episode.end.reset();  // may still last
  }
  return episodes;
}

}  // namespace

std::vector<Episode> pollution_episodes(const std::vector<Exceedance>& exceedances,
                                        UtcSeconds data_end) {
  std::map<std::string, std::vector<Exceedance>> by_pollutant;
  for (const Exceedance& run : exceedances) by_pollutant[run.pollutant].push_back(run);
  std::vector<Episode> episodes;
  for (auto& [pollutant, runs] : by_pollutant) {
    std::sort(runs.begin(), runs.end(), [](const Exceedance& left, const Exceedance& right) {
      if (left.start_at != right.start_at) return left.start_at < right.start_at;
      return left.end_at < right.end_at;
    });
    std::vector<Episode> of_pollutant = merge_runs(runs, data_end);
    std::move(of_pollutant.begin(), of_pollutant.end(), std::back_inserter(episodes));
  }
  std::stable_sort(episodes.begin(), episodes.end(), [](const Episode& left, const Episode& right) {
    if (left.start != right.start) return left.start < right.start;
    return left.subject < right.subject;
  });
  return episodes;
}

}  // namespace meteo::alerts
