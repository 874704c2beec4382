// Air quality in the database: stations found in the records, hourly measurements, and the
// figures derived from them (daily means and maxima, the indicative index, exceedances).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "meteo/alerts/settings.hpp"
#include "meteo/core/time.hpp"
#include "meteo/model/air_quality.hpp"
#include "meteo/model/records.hpp"
#include "meteo/model/run_counts.hpp"
#include "meteo/store/database.hpp"

namespace meteo {

// A station with its region in each of the batch's region sets (same order; nullopt: outside).
struct MatchedAirQualityStation {
  AirQualityStation station;
  std::vector<std::optional<std::size_t>> region_index;
};

struct AirQualityBatch {
  std::int64_t run_id = 0;
  std::string source;
  std::string layer;                          // the partition: "<service>/<layer id>" or "file"
  UtcSeconds run_hour;                        // for rejected_records.hour
  std::vector<const RegionSet*> region_sets;  // the source's sets, for the station regions
  std::vector<MatchedAirQualityStation> stations;
  std::vector<AirQualityMeasurement> measurements;  // one per (station, pollutant, hour)
  std::vector<RejectedRecord> rejected;
  // Before each reject's reason (rejected_records has no layer column): "file <name>: " for a
  // file; empty: "layer <layer>: ".
  std::string reason_prefix;
  std::size_t fetched = 0;
  std::optional<UtcSeconds> watermark;  // advance to this (never backwards) in the same transaction
  // The station network whose stations the batch's stations are paired with (none: no pairing),
  // and the greatest distance of a pair.
  std::optional<std::string> weather_source;
  double max_pair_distance_km = 0;
  // When set (and its pollution rule on), the touched stations' pollution alerts follow their
  // rebuilt exceedances in the same transaction (alerts/alerts.hpp).
  const alerts::AlertSettings* alerts = nullptr;
  UtcSeconds now;  // the run's clock: whether an alert's change is recent enough to notify
};

// One transaction (re-run after a deadlock): upserts the stations, their regions and their pairs
// with the nearest weather station of `weather_source` (when given); upserts the
// measurements keyed by (source, station, pollutant, hour): a provisional value is replaced by
// any different value, a validated one only by a different validated value (a provisional value
// over a validated one writes nothing and counts as unchanged); stores rejects once per (source,
// run hour, record); rebuilds the daily figures, sub-indices, index and exceedances of the
// (station, pollutant, day)s whose values changed; advances the layer's watermark. Fills fetched,
// rejected, stored, corrections, unchanged and hours_recomputed (the daily rows rebuilt).
RunCounts load_air_quality_batch(Database& db, const AirQualityBatch& batch);

// The watermark of a layer: the time up to which it has been read, if ever.
std::optional<UtcSeconds> read_air_quality_watermark(Database& db, const std::string& source,
                                                     const std::string& layer);

}  // namespace meteo
