// Weather stations in the database: the station table, per-dataset watermarks, observations and
// their hourly and daily aggregates, and the commune temperatures they feed.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "meteo/aggregate/settings.hpp"
#include "meteo/alerts/settings.hpp"
#include "meteo/core/time.hpp"
#include "meteo/model/records.hpp"
#include "meteo/model/run_counts.hpp"
#include "meteo/store/database.hpp"

namespace meteo {

// Upserts stations by (source, dataset_id) and their area matches, in one transaction.
void sync_stations(Database& db, const std::string& source,
                   const std::vector<const RegionSet*>& region_sets,
                   const std::vector<MatchedStation>& stations);

// Records a dataset the source skips (another schema) with the reason, for `status`.
void record_skipped_dataset(Database& db, const std::string& source, const std::string& dataset_id,
                            const std::string& reason);

// The watermark: the time up to which the portal has been read for this dataset, if ever.
std::optional<UtcSeconds> read_watermark(Database& db, const std::string& source,
                                         const std::string& dataset_id);

struct StationBatch {
  std::int64_t run_id = 0;
  std::string source;
  // The station key: the dataset id, or the station field's value in a dataset holding many
  // stations (SYNOP's "07630"); for that dataset's own batch (its rejects, its watermark), the
  // dataset id.
  std::string dataset_id;
  UtcSeconds run_hour;                        // for rejected_records.hour
  std::vector<const RegionSet*> region_sets;  // the source's sets, for commune aggregates
  std::vector<WeatherObservation> observations;
  std::vector<RejectedRecord> rejected;
  std::size_t fetched = 0;
  std::optional<UtcSeconds> watermark;  // advance to this (never backwards) in the same transaction
  // False for a batch that is no dataset's (the rejects of a file of many stations): no
  // station_datasets row is written for it.
  bool dataset_state = true;
  // When set, the station's alerts are re-detected from its stored records in the same
  // transaction, from the earliest hour the batch changed (alerts/alerts.hpp).
  const alerts::AlertSettings* alerts = nullptr;
  UtcSeconds now;  // the run's clock: whether an alert's change is recent enough to notify
  aggregate::DailySettings daily;  // the source's local days, for station_daily_weather
};

// One transaction: upserts observations keyed by (source, dataset_id, observed_at) (a changed
// value is a correction), stores rejects once per (source, run hour, record), recomputes
// station_hourly_weather for every measurement hour touched and station_daily_weather for every
// local day touched (batch.daily), recomputes region_hourly_temperature
// for those hours in every region set of the batch, re-detects the station's alerts (when
// batch.alerts is set) and advances the watermark. Fills fetched,
// rejected, stored, corrections, unchanged and hours_recomputed.
RunCounts load_station_batch(Database& db, const StationBatch& batch);

// The batches of one unit (a dataset of many stations: a batch per station, then the dataset's
// own) loaded as above, in order, in one transaction: all of them or none. Fills the counts
// summed over the batches.
RunCounts load_station_batches(Database& db, std::span<const StationBatch> batches);

// Closes a ledger row that spanned several batches (station sources commit per dataset).
void finish_run(Database& db, std::int64_t run_id, const RunCounts& counts);

// ---- reading it back --------------------------------------------------------------------------

// One row of station_hourly_weather with its station (DatasetState, the per-dataset state shown
// by `status`, is in store.hpp beside StatusReport).
struct StationHourlyRow {
  std::string source, dataset_id;
  std::string station_number, commune;  // empty when the station list never named the dataset
  UtcSeconds hour;
  std::optional<double> temperature_mean, temperature_min, temperature_max;
  std::optional<double> humidity_mean, pressure_mean, rain_sum;
  std::optional<double> wind_mean, gust_max;
  std::size_t observations = 0;
};

// Rows of station_hourly_weather, newest hour first, then source and dataset.
std::vector<StationHourlyRow> query_station_hourly(Database& db, std::size_t limit = 1000);

// A station with days in station_daily_weather and its commune (empty when the station list
// never named the dataset), by source then dataset.
struct DailyStation {
  std::string source, dataset_id, commune;
  std::string name;  // the source's own; empty when it gives none
};
std::vector<DailyStation> query_daily_stations(Database& db);

// One station's figures over the local days [from_day, to_day) ("2023-03-01") of
// station_daily_weather: the mean of the daily means, the extremes of the days' extremes, the
// rain total, the heavy-rain days and the days with a row. Values NULL when no day has one.
struct StationPeriodFigures {
  std::optional<double> temperature_mean, temperature_min, temperature_max;
  std::optional<double> pressure_mean, wind_mean, gust_max, rain_sum;
  std::size_t heavy_rain_days = 0, days_observed = 0;
};
StationPeriodFigures query_station_period(Database& db, const DailyStation& station,
                                          const std::string& from_day, const std::string& to_day);

// One row of station_daily_weather, for the dashboard's period view: the local day
// ("2023-03-01") and its figures as stored.
struct StationDayRow {
  std::string dataset_id, day;
  std::optional<double> temperature_mean, temperature_min, temperature_max;
  std::optional<double> pressure_mean, wind_mean, gust_max, rain_sum;
  unsigned hours_observed = 0;
  std::optional<bool> heavy_rain;
};

// The days of `source` in station_daily_weather within the `span_days` days that end with its
// newest day (both included), by dataset then day; empty when the source has no day.
std::vector<StationDayRow> query_recent_station_days(Database& db, const std::string& source,
                                                     unsigned span_days);

}  // namespace meteo
