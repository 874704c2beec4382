// Series of records for the alerts' tests, and episodes written out so that a failure shows
// every field at once.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "meteo/alerts/alerts.hpp"
#include "meteo/core/time.hpp"

namespace meteo::alerts::fixtures {

using namespace std::chrono_literals;

// 2026-01-15 00:00 UTC: every series starts on that day unless it says otherwise.
inline UtcSeconds day_zero() {
  return std::chrono::sys_days{std::chrono::year{2026} / 1 / 15};
}

inline UtcSeconds at(std::chrono::seconds since_day_zero) {
  return day_zero() + since_day_zero;
}

// A calm, mild record: nothing in it meets any rule.
inline Observation calm_record(UtcSeconds observed_at) {
  Observation record;
  record.observed_at = observed_at;
  record.temperature_c = 8;
  record.wind_speed_kmh = 10;
  record.gust_kmh = 25;
  record.rain_mm = 0;
  return record;
}

// Calm records every `step` over [from, to).
inline std::vector<Observation> calm_records(UtcSeconds from, UtcSeconds to,
                                             std::chrono::seconds step = 15min) {
  std::vector<Observation> records;
  for (UtcSeconds moment = from; moment < to; moment += step) {
    records.push_back(calm_record(moment));
  }
  return records;
}

// The record at `moment` (which must exist).
inline Observation& record_at(std::vector<Observation>& records, UtcSeconds moment) {
  for (Observation& record : records) {
    if (record.observed_at == moment) return record;
  }
  throw std::logic_error("no record at " + to_iso8601(moment));
}

// The records before `end`.
inline std::vector<Observation> records_before(const std::vector<Observation>& records,
                                               UtcSeconds end) {
  std::vector<Observation> kept;
  for (const Observation& record : records) {
    if (record.observed_at < end) kept.push_back(record);
  }
  return kept;
}

inline std::string number_text(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", value);
  return text;
}

// One line with every field of an episode.
inline std::string describe(const Episode& episode) {
  std::string text =
      std::string(kind_text(episode.kind)) + " " + episode.subject + "|" + episode.level + "/" +
      std::to_string(episode.level_rank) + "|" + to_iso8601(episode.start) + ".." +
      (episode.end ? to_iso8601(*episode.end) : std::string("open")) + "|peak " +
      number_text(episode.peak_value) + " at " + to_iso8601(episode.peak_at) + "|threshold " +
      number_text(episode.threshold) + "|" + episode.rule_version + "|triggers";
  for (UtcSeconds trigger : episode.triggers) text += " " + to_iso8601(trigger);
  return text;
}

inline std::vector<std::string> describe(const std::vector<Episode>& episodes) {
  std::vector<std::string> lines;
  for (const Episode& episode : episodes) lines.push_back(describe(episode));
  return lines;
}

struct DayTemperatures {
  double minimum;
  double maximum;
};

// Hourly records from day 0 00:00 to day 7 00:00. Day d is cool (15/28 °C) unless `hot_days`
// names it. A day's maximum holds from 06:00 to 18:00, its minimum over the night before it
// (18:00 the day before to 06:00), so each climatological day sees exactly its own extremes.
inline std::vector<Observation> summer_week(const std::map<int, DayTemperatures>& hot_days) {
  const auto temperatures = [&](int day) {
    const auto found = hot_days.find(day);
    return found == hot_days.end() ? DayTemperatures{15, 28} : found->second;
  };
  std::vector<Observation> records = calm_records(at(0h), at(std::chrono::days(7)), 1h);
  for (Observation& record : records) {
    const auto since = record.observed_at - day_zero();
    const int day = static_cast<int>(std::chrono::floor<std::chrono::days>(since).count());
    const auto hour =
        std::chrono::floor<std::chrono::hours>(since - std::chrono::days(day)).count();
    if (hour < 6) {
      record.temperature_c = temperatures(day).minimum;
    } else if (hour < 18) {
      record.temperature_c = temperatures(day).maximum;
    } else {
      record.temperature_c = temperatures(day + 1).minimum;
    }
  }
  return records;
}

// The alerts table as reconcile's caller keeps it: ids given in insertion order, writes and
// withdrawals applied, every notified change kept.
class MemoryAlertStore {
 public:
  Reconciliation apply(const std::vector<Episode>& derived) {
    Reconciliation result = reconcile(alerts_, derived);
    for (const AlertWrite& write : result.writes) {
      std::int64_t id = write.id ? *write.id : next_id_++;
      if (write.id) {
        StoredAlert& alert = find(id);
        alert.episode = write.episode;
        alert.withdrawn = false;
      } else {
        alerts_.push_back({id, write.episode, false});
      }
      for (Change change : write.changes) notified_.emplace_back(id, change);
    }
    for (std::int64_t id : result.withdrawn) {
      find(id).withdrawn = true;
      notified_.emplace_back(id, Change::withdrawn);
    }
    return result;
  }

  const std::vector<StoredAlert>& alerts() const { return alerts_; }
  const std::vector<std::pair<std::int64_t, Change>>& notified() const { return notified_; }

  // The alerts in force, written out.
  std::vector<std::string> live() const {
    std::vector<std::string> lines;
    for (const StoredAlert& alert : alerts_) {
      if (!alert.withdrawn) lines.push_back(describe(alert.episode));
    }
    return lines;
  }

 private:
  StoredAlert& find(std::int64_t id) {
    for (StoredAlert& alert : alerts_) {
      if (alert.id == id) return alert;
    }
    throw std::logic_error("no alert " + std::to_string(id));
  }

  std::vector<StoredAlert> alerts_;
  std::int64_t next_id_ = 1;
  std::vector<std::pair<std::int64_t, Change>> notified_;
};

}  // namespace meteo::alerts::fixtures
