// Peaks and alerts: episodes detected in a station's records by the rules of settings.hpp, and
// their reconciliation with the alerts already stored. Pure computation on what the caller read:
// the same records always give the same episodes, so re-runs and backfills change nothing.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "meteo/alerts/settings.hpp"
#include "meteo/core/time.hpp"

namespace meteo::alerts {

inline constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

enum class Kind { strong_wind, severe_cold, heat_wave, heavy_rain, pollution };
const char* kind_text(Kind kind);
std::optional<Kind> parse_kind(std::string_view text);

// One stored weather record of a station (weather_observations), NaN where not measured.
struct Observation {
  UtcSeconds observed_at;
  double temperature_c = kMissing;
  double wind_speed_kmh = kMissing;
  double gust_kmh = kMissing;
  double rain_mm = kMissing;  // fallen since the previous record
};

// One measured run above a threshold (air_quality_exceedances) at one air-quality station.
struct Exceedance {
  std::string pollutant;
  std::string level;            // "information" or "alert"
  UtcSeconds start_at, end_at;  // end exclusive
  double peak_ugm3 = 0;
  UtcSeconds peak_at;
  double threshold_ugm3 = 0;
};

// An alert as the rules see it: one kind at one place, from its first triggering value to the
// moment the condition was seen to stop.
struct Episode {
  Kind kind = Kind::strong_wind;
  std::string subject;  // the pollutant for pollution alerts, empty otherwise
  std::string level;    // the rule's name for it: "yellow", "orange", "grand_froid", ...
  int level_rank = 1;   // 1 for the lower level, 2 for the higher
  UtcSeconds start;
  std::optional<UtcSeconds> end;  // nothing: open, the condition may still last
  double peak_value = 0;          // the extreme value (the lowest wind chill for the cold)
  UtcSeconds peak_at;
  double threshold = 0;      // the threshold of `level`
  std::string rule_version;  // the rule and its thresholds, e.g. "strong_wind/1 80,100 km/h"
  // The times of the records (hours for rain, days for the heat wave) that met a threshold.
  std::vector<UtcSeconds> triggers;
};

// Episodes of every enabled weather rule in a station's records (sorted by time, any span).
// data_end is the newest record's time: an episode still within quiet_hours of it is open.
std::vector<Episode> detect_weather_episodes(const std::vector<Observation>& records,
                                             const AlertSettings& settings);

// Episodes from an air-quality station's exceedances: the information and alert runs of one
// pollutant that overlap or touch form one episode (an alert run inside escalates it). A run
// ending at or after data_end (the station's newest hour + 1 h) is still open.
std::vector<Episode> pollution_episodes(const std::vector<Exceedance>& exceedances,
                                        UtcSeconds data_end);

// An alert already stored, as reconciliation needs it.
struct StoredAlert {
  std::int64_t id = 0;
  Episode episode;
  bool withdrawn = false;
};

enum class Change { opened, escalated, closed, withdrawn };
const char* change_text(Change change);

// What to write: an insert (id empty) or an update of a stored alert, with the changes to notify.
struct AlertWrite {
  std::optional<std::int64_t> id;
  Episode episode;
  std::vector<Change> changes;  // at most one of each; extensions alone notify nothing
};

struct Reconciliation {
  std::vector<AlertWrite> writes;       // new or changed alerts only: an unchanged one is absent
  std::vector<std::int64_t> withdrawn;  // stored alerts no episode supports any more
};

// Matches derived episodes (of one place, from records starting at or before the earliest
// stored alert's start) to the stored alerts of that place: same kind and subject, overlapping
// in time. A stored alert no episode matches is withdrawn (never deleted); a withdrawn one that
// an episode matches again comes back (opened again).
Reconciliation reconcile(const std::vector<StoredAlert>& stored,
                         const std::vector<Episode>& derived);

}  // namespace meteo::alerts
