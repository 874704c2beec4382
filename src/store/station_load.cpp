// The transactional load of one batch of a station dataset: observations, rejects, the station's
// hourly and daily weather, the region temperatures it feeds and the dataset's watermark.
#include <algorithm>
#include <iterator>
#include <map>
#include <set>
#include <span>

#include "alert_derivation.hpp"
#include "meteo/aggregate/sums.hpp"
#include "meteo/core/errors.hpp"
#include "meteo/store/stations.hpp"
#include "region_aggregates.hpp"
#include "station_daily.hpp"
#include "station_support.hpp"
#include "transaction.hpp"

namespace meteo {

namespace {

using store::Binder;

bool same_values(const WeatherObservation& a, const WeatherObservation& b) {
  return a.temperature_c == b.temperature_c && a.humidity_pct == b.humidity_pct &&
         a.pressure_hpa == b.pressure_hpa && a.rain_mm == b.rain_mm &&
         a.rain_intensity_max_mm == b.rain_intensity_max_mm &&
         a.wind_speed_kmh == b.wind_speed_kmh && a.gust_kmh == b.gust_kmh &&
         a.wind_direction_deg == b.wind_direction_deg;
}

// A station_datasets row, to write it only when it changes (updated_at stays otherwise).
struct DatasetRow {
  std::string status;
  std::optional<std::string> reason;
  std::optional<UtcSeconds> read_through, newest_observation;
  bool operator==(const DatasetRow&) const = default;
};

// The hour's wind direction from the sums of the derived table below (east, north: the
// speed-weighted unit vectors; speeds: the speeds of the observations with a direction), as
// migration 0005 fills it: degrees [0, 360), NULL without a direction or when the resultant is
// below 1e-9 of the speeds (cancelling winds, calm; SIN/COS rounding alone leaves ~1e-16).
// + 360 before MOD: an angle rounded just below 0 becomes 360.0, which MOD makes 0, never 360.
constexpr const char* kWindDirection =
    "IF(SQRT(wind_east * wind_east + wind_north * wind_north) > 1e-9 * wind_speeds,"
    " MOD(DEGREES(ATAN2(wind_east, wind_north)) + 360, 360), NULL)";

// The sums kWindDirection reads, over the observations that have both a speed and a direction.
constexpr const char* kWindSums =
    " SUM(wind_speed_kmh * SIN(RADIANS(wind_direction_deg))) AS wind_east,"
    " SUM(wind_speed_kmh * COS(RADIANS(wind_direction_deg))) AS wind_north,"
    " SUM(IF(wind_direction_deg IS NULL, NULL, wind_speed_kmh)) AS wind_speeds,";

// Rebuilds every hour of one station within [from, to) from its stored observations. A row whose
// values do not change keeps its updated_at: ON DUPLICATE KEY UPDATE assigns left to right, so
// updated_at is decided before the values move. Observations are never deleted, so an hour once
// stored always has one: no stale row to remove.
const std::string kRecomputeStationHours =
    std::string(
        "INSERT INTO station_hourly_weather (source, dataset_id, hour, temperature_mean,"
        " temperature_min, temperature_max, humidity_mean, pressure_mean, rain_sum,"
        " wind_mean, gust_max, wind_direction_mean, observations, updated_at)"
        " SELECT source, dataset_id, h, t_mean, t_min, t_max, hum, pres, rain, wind, gust, ") +
    kWindDirection + ", n, UTC_TIMESTAMP(3) FROM (SELECT source, dataset_id, " +
    store::kObservationHour +
    " AS h,"
    " AVG(temperature_c) AS t_mean, MIN(temperature_c) AS t_min, MAX(temperature_c) AS t_max,"
    " AVG(humidity_pct) AS hum, AVG(pressure_hpa) AS pres, SUM(rain_mm) AS rain,"
    " AVG(wind_speed_kmh) AS wind, MAX(gust_kmh) AS gust," +
    kWindSums +
    " COUNT(*) AS n"
    " FROM weather_observations"
    " WHERE source = ? AND dataset_id = ? AND observed_at >= ? AND observed_at < ?"
    " GROUP BY source, dataset_id, h) AS hourly"
    " ON DUPLICATE KEY UPDATE"
    " updated_at = IF(temperature_mean <=> VALUES(temperature_mean)"
    " AND temperature_min <=> VALUES(temperature_min)"
    " AND temperature_max <=> VALUES(temperature_max)"
    " AND humidity_mean <=> VALUES(humidity_mean)"
    " AND pressure_mean <=> VALUES(pressure_mean)"
    " AND rain_sum <=> VALUES(rain_sum)"
    " AND wind_mean <=> VALUES(wind_mean)"
    " AND gust_max <=> VALUES(gust_max)"
    " AND wind_direction_mean <=> VALUES(wind_direction_mean)"
    " AND observations = VALUES(observations), updated_at, VALUES(updated_at)),"
    " temperature_mean = VALUES(temperature_mean),"
    " temperature_min = VALUES(temperature_min),"
    " temperature_max = VALUES(temperature_max),"
    " humidity_mean = VALUES(humidity_mean),"
    " pressure_mean = VALUES(pressure_mean), rain_sum = VALUES(rain_sum),"
    " wind_mean = VALUES(wind_mean), gust_max = VALUES(gust_max),"
    " wind_direction_mean = VALUES(wind_direction_mean),"
    " observations = VALUES(observations)";

// Untouched hours between two touched ones rebuilt along, rather than a statement per range: a
// SYNOP station reports every third hour, and a day of gap costs far less to read than to skip.
constexpr std::chrono::hours kBridgedHours(24);

class StationLoader {
 public:
  // `step` names what the transaction does when it fails: one string for every loader of it.
  StationLoader(sql::Connection& connection, const StationBatch& batch, std::string& step)
      : connection_(connection),
        batch_(batch),
        dataset_(store::dataset_key(batch.dataset_id)),
        step_(step) {}

  void validate() const;
  RunCounts load();  // within the caller's transaction

 private:
  void lock_dataset();
  void read_existing();
  void read_existing_chunk(std::size_t first, std::size_t end);
  void classify();
  void upsert_observations();
  void insert_rejects();
  void recompute_station_hours();
  void rebuild_station_days();
  std::vector<std::optional<std::string>> station_region_codes();
  void update_region_aggregates();
  void add_new_observations(std::size_t set, const std::string& code,
                            const std::map<UtcSeconds, TemperatureSum>& sums);
  void update_dataset();
  void derive_alerts();
  RunCounts counts() const;

  sql::Connection& connection_;
  const StationBatch& batch_;
  const std::string dataset_;  // the stored form of batch_.dataset_id
  std::string& step_;
  std::optional<DatasetRow> dataset_row_;
  std::map<UtcSeconds, WeatherObservation> stored_;  // by observed_at
  std::vector<Change> changes_;                      // per observation
  std::set<UtcSeconds> touched_hours_;               // of new and corrected observations
  std::set<UtcSeconds> touched_moments_;             // their observed_at, for the local days
  std::set<UtcSeconds> corrected_hours_;  // recomputed; new observations elsewhere are added
};

void StationLoader::validate() const {
  const std::string what = "load_station_batch of " + batch_.source + " " + batch_.dataset_id;
  if (dataset_.empty()) throw Error(ExitCode::software, what + ": no dataset id");
  for (const auto* set : batch_.region_sets) {
    if (set == nullptr) throw Error(ExitCode::software, what + ": a null region set");
  }
  std::set<UtcSeconds> times;
  for (const auto& observation : batch_.observations) {
    if (store::dataset_key(observation.dataset_id) != dataset_) {
      throw Error(ExitCode::software,
                  what + ": an observation of dataset " + observation.dataset_id);
    }
    if (!times.insert(observation.observed_at).second) {
      throw Error(ExitCode::software,
                  what + ": two observations at " + to_iso8601(observation.observed_at));
    }
  }
}

// Serialises the loads of one dataset (the source lock already does; this one is the database's
// own guarantee) and reads the row to decide later whether it changes.
void StationLoader::lock_dataset() {
  step_ = "reading the dataset's state";
  auto statement = store::prepare(
      connection_,
      "SELECT status, reason, CAST(read_through AS CHAR), CAST(newest_observation AS CHAR)"
      " FROM station_datasets WHERE source = ? AND dataset_id = ? FOR UPDATE");
  Binder(*statement).text(batch_.source).text(dataset_);
  auto row = store::run_query(*statement);
  if (!row->next()) return;
  dataset_row_ = DatasetRow{store::text(*row, 1), store::optional_text(*row, 2),
                            store::optional_datetime(*row, 3), store::optional_datetime(*row, 4)};
}

void StationLoader::read_existing_chunk(std::size_t first, std::size_t end) {
  auto statement = store::prepare(
      connection_,
      "SELECT CAST(observed_at AS CHAR), temperature_c, humidity_pct, pressure_hpa, rain_mm,"
      " rain_intensity_max_mm, wind_speed_kmh, gust_kmh, wind_direction_deg"
      " FROM weather_observations WHERE source = ? AND dataset_id = ? AND observed_at IN (" +
          store::placeholders(end - first) + ") FOR UPDATE");
  Binder binder(*statement);
  binder.text(batch_.source).text(dataset_);
  for (std::size_t i = first; i < end; ++i) binder.datetime(batch_.observations[i].observed_at);
  auto row = store::run_query(*statement);
  while (row->next()) {
    WeatherObservation stored;
    stored.observed_at = parse_sql_datetime(store::text(*row, 1));
    std::optional<double>* values[] = {
        &stored.temperature_c, &stored.humidity_pct,          &stored.pressure_hpa,
        &stored.rain_mm,       &stored.rain_intensity_max_mm, &stored.wind_speed_kmh,
        &stored.gust_kmh,      &stored.wind_direction_deg};
    for (unsigned i = 0; i < std::size(values); ++i) *values[i] = store::optional_real(*row, 2 + i);
    stored_[stored.observed_at] = std::move(stored);
  }
}

void StationLoader::read_existing() {
  step_ = "reading the stored observations";
  store::for_each_lookup_chunk(
      batch_.observations.size(),
      [this](std::size_t first, std::size_t end) { read_existing_chunk(first, end); });
}

// New, unchanged or corrected; the hours of new and corrected observations are recomputed.
void StationLoader::classify() {
  for (const auto& observation : batch_.observations) {
    const auto stored = stored_.find(observation.observed_at);
    if (stored != stored_.end() && same_values(observation, stored->second)) {
      changes_.push_back(Change::unchanged);
      continue;
    }
    changes_.push_back(stored == stored_.end() ? Change::fresh : Change::corrected);
    touched_hours_.insert(floor_to_hour(observation.observed_at));
    touched_moments_.insert(observation.observed_at);
    if (changes_.back() == Change::corrected) {
      corrected_hours_.insert(floor_to_hour(observation.observed_at));
    }
  }
}

void StationLoader::upsert_observations() {
  step_ = "storing the observations";
  const auto rows = store::changed_items(changes_);
  // first_run_id is never updated: it names the run that first stored the observation.
  const store::MultiRowInsert insert{
      "INSERT INTO weather_observations (source, dataset_id, observed_at, temperature_c,"
      " humidity_pct, pressure_hpa, rain_mm, rain_intensity_max_mm, wind_speed_kmh, gust_kmh,"
      " wind_direction_deg, first_run_id, last_run_id)",
      "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      "ON DUPLICATE KEY UPDATE temperature_c = VALUES(temperature_c),"
      " humidity_pct = VALUES(humidity_pct), pressure_hpa = VALUES(pressure_hpa),"
      " rain_mm = VALUES(rain_mm), rain_intensity_max_mm = VALUES(rain_intensity_max_mm),"
      " wind_speed_kmh = VALUES(wind_speed_kmh), gust_kmh = VALUES(gust_kmh),"
      " wind_direction_deg = VALUES(wind_direction_deg), last_run_id = VALUES(last_run_id)"};
  store::insert_rows(connection_, insert, rows.size(), [&](Binder& binder, std::size_t row) {
    const auto& observation = batch_.observations[rows[row]];
    binder.text(batch_.source).text(dataset_).datetime(observation.observed_at);
    for (const auto* value :
         {&observation.temperature_c, &observation.humidity_pct, &observation.pressure_hpa,
          &observation.rain_mm, &observation.rain_intensity_max_mm, &observation.wind_speed_kmh,
          &observation.gust_kmh, &observation.wind_direction_deg}) {
      store::bind_measurement(binder, *value);
    }
    binder.int64(batch_.run_id).int64(batch_.run_id);
  });
}

void StationLoader::insert_rejects() {
  step_ = "storing the rejected records";
  // rejected_records has no dataset column: the reason names it.
  store::insert_rejects(connection_, batch_.source, batch_.run_id, batch_.run_hour, batch_.rejected,
                        "dataset " + dataset_ + ": ");
}

void StationLoader::recompute_station_hours() {
  auto statement = store::prepare(connection_, kRecomputeStationHours);
  for (const auto& [from, to] : store::hour_ranges(touched_hours_, kBridgedHours)) {
    step_ = "recomputing the station's hourly weather from " + to_sql_datetime(from) + " to " +
            to_sql_datetime(to);
    Binder(*statement).text(batch_.source).text(dataset_).datetime(from).datetime(to);
    statement->executeUpdate();
  }
}

void StationLoader::rebuild_station_days() {
  store::rebuild_station_days(connection_, batch_.source, dataset_, batch_.daily, touched_moments_,
                              step_);
}

// The station's region in each set (same order as the batch's), nothing when outside it.
std::vector<std::optional<std::string>> StationLoader::station_region_codes() {
  auto select = store::prepare(connection_,
                               "SELECT region_set, region_code FROM station_regions"
                               " WHERE source = ? AND dataset_id = ?");
  Binder(*select).text(batch_.source).text(dataset_);
  std::map<std::string, std::optional<std::string>> by_set;
  auto row = store::run_query(*select);
  while (row->next()) by_set[store::text(*row, 1)] = store::optional_text(*row, 2);
  std::vector<std::optional<std::string>> codes;
  for (const auto* set : batch_.region_sets) {
    const auto found = by_set.find(set->name);
    codes.push_back(found == by_set.end() ? std::nullopt : found->second);
  }
  return codes;
}

// Hours with a correction are recomputed from what is stored; the others only gain new
// observations, whose exact sums are added to their rows (a backfill's month reads no other
// station's observations back).
void StationLoader::update_region_aggregates() {
  store::recompute_region_hours(connection_, batch_.region_sets, corrected_hours_, step_);
  step_ = "reading the station's regions";
  const auto codes = station_region_codes();
  // A station in no region adds nothing anywhere.
  if (std::none_of(codes.begin(), codes.end(), [](const auto& code) { return code.has_value(); })) {
    return;
  }
  const auto sums =
      aggregate::fresh_observation_hours(batch_.observations, changes_, corrected_hours_);
  for (std::size_t set = 0; set < codes.size(); ++set) {
    if (codes[set]) add_new_observations(set, *codes[set], sums);
  }
}

void StationLoader::add_new_observations(std::size_t set, const std::string& code,
                                         const std::map<UtcSeconds, TemperatureSum>& sums) {
  if (sums.empty()) return;
  const RegionSet& region_set = *batch_.region_sets[set];
  const auto region = std::find_if(region_set.regions.begin(), region_set.regions.end(),
                                   [&](const Region& candidate) { return candidate.code == code; });
  std::set<UtcSeconds> hours;
  for (const auto& [hour, sum] : sums) hours.insert(hour);
  step_ = "adding the new observations to the aggregates of set " + region_set.name;
  if (region != region_set.regions.end() &&
      store::add_to_region_hours(connection_, region_set.name,
                                 aggregate::hour_totals(*region, sums))) {
    return;
  }
  // A code the loaded set does not have, or rows that predate the sums: from what is stored.
  step_ = "recomputing the aggregates of set " + region_set.name;
  store::recompute_region_hours(connection_, region_set.name, hours);
}

// Active, the watermark moved forward only, the newest observation as stored.
void StationLoader::update_dataset() {
  if (!batch_.dataset_state) return;
  step_ = "advancing the dataset's watermark";
  auto newest = store::prepare(connection_,
                               "SELECT CAST(MAX(observed_at) AS CHAR) FROM weather_observations"
                               " WHERE source = ? AND dataset_id = ?");
  Binder(*newest).text(batch_.source).text(dataset_);
  auto row = store::run_query(*newest);
  row->next();
  DatasetRow next{"active", std::nullopt, dataset_row_ ? dataset_row_->read_through : std::nullopt,
                  store::optional_datetime(*row, 1)};
  if (batch_.watermark && (!next.read_through || *next.read_through < *batch_.watermark)) {
    next.read_through = batch_.watermark;
  }
  if (dataset_row_ == next) return;
  auto upsert = store::prepare(
      connection_,
      "INSERT INTO station_datasets (source, dataset_id, status, reason, read_through,"
      " newest_observation, updated_at) VALUES (?, ?, 'active', NULL, ?, ?, UTC_TIMESTAMP(3))"
      " ON DUPLICATE KEY UPDATE status = VALUES(status), reason = VALUES(reason),"
      " read_through = VALUES(read_through), newest_observation = VALUES(newest_observation),"
      " updated_at = VALUES(updated_at)");
  Binder binder(*upsert);
  binder.text(batch_.source).text(dataset_);
  store::bind_optional_datetime(binder, next.read_through);
  store::bind_optional_datetime(binder, next.newest_observation);
  upsert->executeUpdate();
}

// Only when the batch changed something: an unchanged re-run leaves the alerts as they are.
void StationLoader::derive_alerts() {
  if (batch_.alerts == nullptr || touched_hours_.empty()) return;
  step_ = "re-detecting the station's alerts";
  store::derive_station_alerts(connection_, {"station", batch_.source, dataset_},
                               *touched_hours_.begin(),
                               {*batch_.alerts, batch_.run_id, batch_.now});
}

RunCounts StationLoader::counts() const {
  RunCounts counts;
  counts.fetched = batch_.fetched;
  counts.rejected = batch_.rejected.size();
  store::count_changes(changes_, counts);
  counts.hours_recomputed = touched_hours_.size();
  return counts;
}

RunCounts StationLoader::load() {
  lock_dataset();
  read_existing();
  classify();
  upsert_observations();
  insert_rejects();
  recompute_station_hours();
  rebuild_station_days();
  update_region_aggregates();
  derive_alerts();
  update_dataset();
  return counts();
}

// The region sets of every batch, each once: locked before any batch loads.
std::vector<const RegionSet*> region_sets_of(std::span<const StationBatch> batches) {
  std::vector<const RegionSet*> sets;
  for (const auto& batch : batches) {
    for (const auto* set : batch.region_sets) {
      if (std::find(sets.begin(), sets.end(), set) == sets.end()) sets.push_back(set);
    }
  }
  return sets;
}

std::string purpose_of(std::span<const StationBatch> batches) {
  const auto& first = batches.front();
  const std::string what = batches.size() == 1
                               ? "dataset " + first.dataset_id
                               : std::to_string(batches.size()) + " datasets (" + first.dataset_id +
                                     " to " + batches.back().dataset_id + ")";
  return "loading " + what + " of " + first.source + " (run " + std::to_string(first.run_id) + ")";
}

}  // namespace

RunCounts load_station_batches(Database& db, std::span<const StationBatch> batches) {
  if (batches.empty()) return {};
  std::string step = "checking the batches";
  for (const auto& batch : batches) StationLoader(db.connection(), batch, step).validate();
  const auto region_sets = region_sets_of(batches);
  const std::string purpose = purpose_of(batches);
  // Fresh loaders per attempt: nothing a rolled-back attempt read may leak into the next. The
  // transaction has rolled back when run_load throws.
  return store::with_transaction_retries(db.transaction_retry(), [&] {
    step = "starting the transaction";
    return store::run_load(db, region_sets, purpose, step, [&] {
      RunCounts counts;
      for (const auto& batch : batches)
        counts += StationLoader(db.connection(), batch, step).load();
      return counts;
    });
  });
}

RunCounts load_station_batch(Database& db, const StationBatch& batch) {
  return load_station_batches(db, std::span(&batch, 1));
}

}  // namespace meteo
