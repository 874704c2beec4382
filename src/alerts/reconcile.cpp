// Derived episodes against the stored alerts: which to insert, which to update and what changed,
// which to withdraw. Writing nothing when nothing differs is what makes a re-run a no-op.
#include <algorithm>
#include <tuple>

#include "meteo/alerts/alerts.hpp"

namespace meteo::alerts {
namespace {

enum class Match { none, kept, merged };  // merged: the episode joined it into an earlier alert

UtcSeconds end_or_never(const Episode& episode) {
  return episode.end.value_or(UtcSeconds::max());
}

bool overlaps(const Episode& left, const Episode& right) {
  return left.start < end_or_never(right) && right.start < end_or_never(left);
}

bool same_place_and_kind(const Episode& left, const Episode& right) {
  return left.kind == right.kind && left.subject == right.subject;
}

// Doubles are compared exactly: the store must give back what it was given (DOUBLE columns do).
bool same_alert(const Episode& left, const Episode& right) {
  return same_place_and_kind(left, right) && left.level == right.level &&
         left.level_rank == right.level_rank && left.start == right.start &&
         left.end == right.end && left.peak_value == right.peak_value &&
         left.peak_at == right.peak_at && left.threshold == right.threshold &&
         left.rule_version == right.rule_version && left.triggers == right.triggers;
}

bool earlier_episode(const Episode& left, const Episode& right) {
  return std::tie(left.start, left.kind, left.subject) <
         std::tie(right.start, right.kind, right.subject);
}

std::vector<Change> changes_of_new(const Episode& episode) {
  std::vector<Change> changes{Change::opened};
  if (episode.end) changes.push_back(Change::closed);  // a backfill: seen once it was over
  return changes;
}

// Extensions, corrections and de-escalations are written but notify nothing.
std::vector<Change> changes_of_update(const StoredAlert& stored, const Episode& episode) {
  if (stored.withdrawn) return changes_of_new(episode);
  std::vector<Change> changes;
  if (episode.level_rank > stored.episode.level_rank) changes.push_back(Change::escalated);
  if (!stored.episode.end && episode.end) changes.push_back(Change::closed);
  return changes;
}

// The stored alerts (indices) an episode overlaps and no earlier episode took, earliest first.
std::vector<std::size_t> candidates_for(const Episode& episode,
                                        const std::vector<StoredAlert>& stored,
                                        const std::vector<Match>& matches) {
  std::vector<std::size_t> candidates;
  for (std::size_t index = 0; index < stored.size(); ++index) {
    const Episode& alert = stored[index].episode;
    if (matches[index] == Match::none && same_place_and_kind(alert, episode) &&
        overlaps(alert, episode)) {
      candidates.push_back(index);
    }
  }
  std::sort(candidates.begin(), candidates.end(), [&](std::size_t left, std::size_t right) {
    return std::tie(stored[left].episode.start, stored[left].id) <
           std::tie(stored[right].episode.start, stored[right].id);
  });
  return candidates;
}

std::vector<std::int64_t> withdrawals(const std::vector<StoredAlert>& stored,
                                      const std::vector<Match>& matches) {
  std::vector<std::size_t> withdrawn;
  for (std::size_t index = 0; index < stored.size(); ++index) {
    if (matches[index] != Match::kept && !stored[index].withdrawn) withdrawn.push_back(index);
  }
  std::sort(withdrawn.begin(), withdrawn.end(), [&](std::size_t left, std::size_t right) {
    if (earlier_episode(stored[left].episode, stored[right].episode)) return true;
    if (earlier_episode(stored[right].episode, stored[left].episode)) return false;
    return stored[left].id < stored[right].id;
  });
  std::vector<std::int64_t> ids;
  for (std::size_t index : withdrawn) ids.push_back(stored[index].id);
  return ids;
}

}  // namespace

Reconciliation reconcile(const std::vector<StoredAlert>& stored,
                         const std::vector<Episode>& derived) {
  std::vector<Episode> episodes = derived;
  std::stable_sort(episodes.begin(), episodes.end(), earlier_episode);
  std::vector<Match> matches(stored.size(), Match::none);
  Reconciliation result;
  for (const Episode& episode : episodes) {
    const std::vector<std::size_t> candidates = candidates_for(episode, stored, matches);
    if (candidates.empty()) {
      result.writes.push_back({std::nullopt, episode, changes_of_new(episode)});
      continue;
    }
    const StoredAlert& kept = stored[candidates.front()];
    matches[candidates.front()] = Match::kept;
    for (std::size_t other = 1; other < candidates.size(); ++other) {
      matches[candidates[other]] = Match::merged;
    }
    if (kept.withdrawn || !same_alert(kept.episode, episode)) {
      result.writes.push_back({kept.id, episode, changes_of_update(kept, episode)});
    }
  }
  result.withdrawn = withdrawals(stored, matches);
  return result;
}

}  // namespace meteo::alerts
