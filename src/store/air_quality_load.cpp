// The transactional load of one air-quality batch: stations and their regions, measurements
// (the validated-wins upsert rule), rejects, the derived figures and the layer's watermark.
#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "air_quality_derived.hpp"
#include "air_quality_pairs.hpp"
#include "alert_derivation.hpp"
#include "meteo/core/errors.hpp"
#include "meteo/store/air_quality.hpp"
#include "station_support.hpp"
#include "transaction.hpp"

namespace meteo {

namespace {

using store::Binder;

// A measurement's key within a source.
using MeasurementKey = std::tuple<std::string, std::string, UtcSeconds>;

MeasurementKey key_of(const AirQualityMeasurement& measurement) {
  return {measurement.station_code, measurement.pollutant, measurement.measured_at};
}

struct StoredValue {
  double value_ugm3 = 0;
  bool validated = false;
};

// The upsert rule: a validated value is replaced only by a different validated value; a
// provisional one by any different value (a provisional value that validates the same figure is
// a correction of its status).
Change classify_against(const AirQualityMeasurement& incoming, const StoredValue& stored) {
  if (stored.validated && !incoming.validated) return Change::unchanged;
  if (stored.value_ugm3 == incoming.value_ugm3 && stored.validated == incoming.validated) {
    return Change::unchanged;
  }
  return Change::corrected;
}

UtcSeconds day_of(UtcSeconds moment) {
  return std::chrono::floor<std::chrono::days>(moment);
}

// The layer's row, to write it only when it changes (updated_at stays otherwise).
struct LayerRow {
  std::optional<UtcSeconds> read_through, newest_measurement;
  bool operator==(const LayerRow&) const = default;
};

// The statement keeps the rule even if called with a refused value: updated_at and last_run_id
// are decided first (ON DUPLICATE KEY UPDATE assigns left to right), the value before the status.
constexpr const char* kUpsertMeasurementsTail =
    "ON DUPLICATE KEY UPDATE"
    " updated_at = IF((validated = 1 AND VALUES(validated) = 0)"
    " OR (value_ugm3 = VALUES(value_ugm3) AND validated = VALUES(validated)),"
    " updated_at, VALUES(updated_at)),"
    " last_run_id = IF(validated = 1 AND VALUES(validated) = 0, last_run_id, VALUES(last_run_id)),"
    " value_ugm3 = IF(validated = 1 AND VALUES(validated) = 0, value_ugm3, VALUES(value_ugm3)),"
    " validated = GREATEST(validated, VALUES(validated))";

// updated_at moves only when a described attribute changes; first_run_id is never updated.
constexpr const char* kUpsertStationsTail =
    "ON DUPLICATE KEY UPDATE"
    " updated_at = IF(name = VALUES(name) AND commune = VALUES(commune)"
    " AND insee = VALUES(insee) AND department = VALUES(department)"
    " AND typology = VALUES(typology) AND influence = VALUES(influence)"
    " AND latitude = VALUES(latitude) AND longitude = VALUES(longitude),"
    " updated_at, VALUES(updated_at)),"
    " name = VALUES(name), commune = VALUES(commune), insee = VALUES(insee),"
    " department = VALUES(department), typology = VALUES(typology),"
    " influence = VALUES(influence), latitude = VALUES(latitude),"
    " longitude = VALUES(longitude), last_run_id = VALUES(last_run_id)";

class AirQualityLoader {
 public:
  AirQualityLoader(Database& db, const AirQualityBatch& batch)
      : db_(db), connection_(db.connection()), batch_(batch) {}

  void validate() const;
  RunCounts load();

 private:
  void lock_layer();
  void upsert_stations();
  void upsert_station_regions();
  void read_existing();
  void classify();
  void upsert_measurements();
  void insert_rejects();
  void update_layer();
  void derive_alerts();
  RunCounts counts() const;

  Database& db_;
  sql::Connection& connection_;
  const AirQualityBatch& batch_;
  std::string step_ = "starting the transaction";
  std::optional<LayerRow> layer_row_;
  std::map<MeasurementKey, StoredValue> stored_;
  std::vector<Change> changes_;  // per measurement
  store::TouchedDays touched_;   // the days of new and corrected measurements
};

void AirQualityLoader::validate() const {
  const std::string what = "load_air_quality_batch of " + batch_.source + " " + batch_.layer;
  if (batch_.layer.empty()) throw Error(ExitCode::software, what + ": no layer");
  for (const auto* set : batch_.region_sets) {
    if (set == nullptr) throw Error(ExitCode::software, what + ": a null region set");
  }
  for (const auto& matched : batch_.stations) {
    if (matched.station.code.empty()) throw Error(ExitCode::software, what + ": a station code");
    if (matched.region_index.size() != batch_.region_sets.size()) {
      throw Error(ExitCode::software,
                  what + ": station " + matched.station.code + " not matched with every set");
    }
  }
  std::set<MeasurementKey> keys;
  for (const auto& measurement : batch_.measurements) {
    if (!keys.insert(key_of(measurement)).second) {
      throw Error(ExitCode::software, what + ": two values of " + measurement.station_code + " " +
                                          measurement.pollutant + " at " +
                                          to_iso8601(measurement.measured_at));
    }
  }
}

// Serialises the loads of one layer and reads its row to decide later whether it changes.
void AirQualityLoader::lock_layer() {
  step_ = "reading the layer's state";
  auto statement = store::prepare(connection_,
                                  "SELECT CAST(read_through AS CHAR),"
                                  " CAST(newest_measurement AS CHAR) FROM air_quality_layers"
                                  " WHERE source = ? AND layer = ? FOR UPDATE");
  Binder(*statement).text(batch_.source).text(batch_.layer);
  auto row = store::run_query(*statement);
  if (!row->next()) return;
  layer_row_ = LayerRow{store::optional_datetime(*row, 1), store::optional_datetime(*row, 2)};
}

void AirQualityLoader::upsert_stations() {
  step_ = "storing the stations";
  const store::MultiRowInsert insert{
      "INSERT INTO air_quality_stations (source, station_code, name, commune, insee, department,"
      " typology, influence, latitude, longitude, first_run_id, last_run_id, updated_at)",
      "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(3))", kUpsertStationsTail};
  store::insert_rows(
      connection_, insert, batch_.stations.size(), [&](Binder& binder, std::size_t row) {
        const auto& station = batch_.stations[row].station;
        binder.text(batch_.source).text(station.code).text(station.name).text(station.commune);
        binder.text(station.insee).text(station.department).text(station.typology);
        binder.text(station.influence).real(station.latitude).real(station.longitude);
        binder.int64(batch_.run_id).int64(batch_.run_id);
      });
  upsert_station_regions();
}

void AirQualityLoader::upsert_station_regions() {
  step_ = "storing the stations' regions";
  const std::size_t sets = batch_.region_sets.size();
  const store::MultiRowInsert insert{
      "INSERT INTO air_quality_station_regions (source, station_code, region_set, region_code)",
      "(?, ?, ?, ?)", "ON DUPLICATE KEY UPDATE region_code = VALUES(region_code)"};
  store::insert_rows(
      connection_, insert, batch_.stations.size() * sets, [&](Binder& binder, std::size_t row) {
        const auto& matched = batch_.stations[row / sets];
        const RegionSet& set = *batch_.region_sets[row % sets];
        const auto& index = matched.region_index[row % sets];
        binder.text(batch_.source).text(matched.station.code).text(set.name);
        binder.optional_text(index ? std::optional(set.regions.at(*index).code) : std::nullopt);
      });
}

// One range read over the batch's stations, pollutants and hours (a range of the primary key:
// a list of key tuples is not range-optimised alike by both servers). It locks the batch's series
// over its span, a superset of its keys; rows the batch does not name are never looked up.
void AirQualityLoader::read_existing() {
  if (batch_.measurements.empty()) return;
  step_ = "reading the stored measurements";
  std::set<std::string> stations, pollutants;
  auto first = batch_.measurements.front().measured_at;
  auto last = first;
  for (const auto& measurement : batch_.measurements) {
    stations.insert(measurement.station_code);
    pollutants.insert(measurement.pollutant);
    first = std::min(first, measurement.measured_at);
    last = std::max(last, measurement.measured_at);
  }
  auto statement = store::prepare(
      connection_,
      "SELECT station_code, pollutant, CAST(measured_at AS CHAR), value_ugm3, validated"
      " FROM air_quality_measurements WHERE source = ? AND station_code IN (" +
          store::placeholders(stations.size()) + ") AND pollutant IN (" +
          store::placeholders(pollutants.size()) +
          ") AND measured_at >= ? AND measured_at <= ? FOR UPDATE");
  Binder binder(*statement);
  binder.text(batch_.source);
  for (const auto& station : stations) binder.text(station);
  for (const auto& pollutant : pollutants) binder.text(pollutant);
  binder.datetime(first).datetime(last);
  auto row = store::run_query(*statement);
  while (row->next()) {
    const MeasurementKey key{store::text(*row, 1), store::text(*row, 2),
                             parse_sql_datetime(store::text(*row, 3))};
    stored_[key] = StoredValue{*store::optional_real(*row, 4), store::text(*row, 5) == "1"};
  }
}

// New, unchanged or corrected; the days of new and corrected values are rebuilt.
void AirQualityLoader::classify() {
  for (const auto& measurement : batch_.measurements) {
    const auto stored = stored_.find(key_of(measurement));
    changes_.push_back(stored == stored_.end() ? Change::fresh
                                               : classify_against(measurement, stored->second));
    if (changes_.back() == Change::unchanged) continue;
    touched_[{measurement.station_code, measurement.pollutant}].insert(
        day_of(measurement.measured_at));
  }
}

void AirQualityLoader::upsert_measurements() {
  step_ = "storing the measurements";
  const auto rows = store::changed_items(changes_);
  const store::MultiRowInsert insert{
      "INSERT INTO air_quality_measurements (source, station_code, pollutant, measured_at,"
      " value_ugm3, validated, first_run_id, last_run_id, updated_at)",
      "(?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(3))", kUpsertMeasurementsTail};
  store::insert_rows(connection_, insert, rows.size(), [&](Binder& binder, std::size_t row) {
    const auto& measurement = batch_.measurements[rows[row]];
    binder.text(batch_.source).text(measurement.station_code).text(measurement.pollutant);
    binder.datetime(measurement.measured_at).real(measurement.value_ugm3);
    binder.int64(measurement.validated ? 1 : 0).int64(batch_.run_id).int64(batch_.run_id);
  });
}

void AirQualityLoader::insert_rejects() {
  step_ = "storing the rejected records";
  // rejected_records has no layer column: the reason names it.
  const std::string prefix =
      batch_.reason_prefix.empty() ? "layer " + batch_.layer + ": " : batch_.reason_prefix;
  store::insert_rejects(connection_, batch_.source, batch_.run_id, batch_.run_hour, batch_.rejected,
                        prefix);
}

// The watermark moved forward only; the newest measurement as stored for the source.
// The pollutants each touched station changed, their alerts re-derived from the exceedances.
void AirQualityLoader::derive_alerts() {
  if (batch_.alerts == nullptr || !batch_.alerts->pollution || touched_.empty()) return;
  step_ = "re-deriving the stations' pollution alerts";
  std::map<std::string, std::vector<std::string>> pollutants_by_station;
  for (const auto& [series, days] : touched_) {
    pollutants_by_station[series.station_code].push_back(series.pollutant);
  }
  for (const auto& [station, pollutants] : pollutants_by_station) {
    store::derive_pollution_alerts(connection_, {"air_quality_station", batch_.source, station},
                                   pollutants, {*batch_.alerts, batch_.run_id, batch_.now});
  }
}

void AirQualityLoader::update_layer() {
  step_ = "advancing the layer's watermark";
  auto newest = store::prepare(connection_,
                               "SELECT CAST(MAX(measured_at) AS CHAR) FROM air_quality_measurements"
                               " WHERE source = ?");
  Binder(*newest).text(batch_.source);
  auto row = store::run_query(*newest);
  row->next();
  LayerRow next{layer_row_ ? layer_row_->read_through : std::nullopt,
                store::optional_datetime(*row, 1)};
  if (batch_.watermark && (!next.read_through || *next.read_through < *batch_.watermark)) {
    next.read_through = batch_.watermark;
  }
  if (layer_row_ == next) return;
  auto upsert = store::prepare(
      connection_,
      "INSERT INTO air_quality_layers (source, layer, read_through, newest_measurement,"
      " updated_at) VALUES (?, ?, ?, ?, UTC_TIMESTAMP(3))"
      " ON DUPLICATE KEY UPDATE read_through = VALUES(read_through),"
      " newest_measurement = VALUES(newest_measurement), updated_at = VALUES(updated_at)");
  Binder binder(*upsert);
  binder.text(batch_.source).text(batch_.layer);
  store::bind_optional_datetime(binder, next.read_through);
  store::bind_optional_datetime(binder, next.newest_measurement);
  upsert->executeUpdate();
}

RunCounts AirQualityLoader::counts() const {
  RunCounts counts;
  counts.fetched = batch_.fetched;
  counts.rejected = batch_.rejected.size();
  store::count_changes(changes_, counts);
  for (const auto& [series, days] : touched_) counts.hours_recomputed += days.size();
  return counts;
}

RunCounts AirQualityLoader::load() {
  const std::string purpose = "loading layer " + batch_.layer + " of " + batch_.source + " (run " +
                              std::to_string(batch_.run_id) + ")";
  // No region aggregate is written: no region set lock to take.
  return store::run_load(db_, {}, purpose, step_, [this] {
    lock_layer();
    upsert_stations();
    if (batch_.weather_source) {
      store::pair_air_quality_stations(connection_, batch_.source, batch_.stations,
                                       *batch_.weather_source, batch_.max_pair_distance_km, step_);
    }
    read_existing();
    classify();
    upsert_measurements();
    insert_rejects();
    store::rebuild_air_quality_figures(connection_, batch_.source, touched_, step_);
    derive_alerts();
    update_layer();
    return counts();
  });
}

}  // namespace

RunCounts load_air_quality_batch(Database& db, const AirQualityBatch& batch) {
  AirQualityLoader(db, batch).validate();
  // A fresh loader per attempt: nothing a rolled-back attempt read may leak into the next.
  return store::with_transaction_retries(db.transaction_retry(),
                                         [&] { return AirQualityLoader(db, batch).load(); });
}

std::optional<UtcSeconds> read_air_quality_watermark(Database& db, const std::string& source,
                                                     const std::string& layer) {
  return store::guarded("reading the watermark of layer " + layer + " of " + source, [&] {
    auto statement = store::prepare(db.connection(),
                                    "SELECT CAST(read_through AS CHAR) FROM air_quality_layers"
                                    " WHERE source = ? AND layer = ?");
    Binder(*statement).text(source).text(layer);
    auto row = store::run_query(*statement);
    return row->next() ? store::optional_datetime(*row, 1) : std::nullopt;
  });
}

}  // namespace meteo
