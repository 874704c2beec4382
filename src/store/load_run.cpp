// The transactional load of one run: readings, their regions, rejects, aggregates, ledger.
#include <map>
#include <set>
#include <unordered_map>

#include "meteo/errors.hpp"
#include "meteo/store.hpp"
#include "region_aggregates.hpp"
#include "sql_support.hpp"

namespace meteo {

namespace {

using store::Binder;

constexpr std::size_t kLookupChunk = 500;

struct StoredReading {
  UtcSeconds hour;
  double latitude = 0;
  double longitude = 0;
  double temperature = 0;
  std::optional<std::string> observed_at;
  std::optional<std::string> country;
};

using RegionCodes = std::map<std::string, std::optional<std::string>>;  // by region set

enum class Change { fresh, unchanged, corrected };

bool same_values(const SensorReading& reading, const StoredReading& stored) {
  return reading.latitude == stored.latitude && reading.longitude == stored.longitude &&
         reading.temperature == stored.temperature && reading.timestamp == stored.observed_at &&
         reading.country == stored.country;
}

class RunLoader {
 public:
  RunLoader(sql::Connection& connection, const RunBatch& batch)
      : connection_(connection), batch_(batch) {}

  void validate() const;
  RunCounts load();
  const std::string& step() const { return step_; }

 private:
  std::optional<std::string> planned_code(const MatchedReading& reading, std::size_t set) const;
  void lock_region_sets();
  void read_existing();
  void read_existing_chunk(std::size_t first, std::size_t end);
  void classify();
  void classify_values(std::size_t reading, const StoredReading* previous);
  void plan_matches(std::size_t reading, const std::string& key, const StoredReading* previous);
  void upsert_readings();
  void upsert_reading_regions();
  void insert_rejects();
  void recompute_aggregates();
  RunCounts record_success();

  sql::Connection& connection_;
  const RunBatch& batch_;
  std::string step_ = "starting the transaction";
  std::unordered_map<std::string, StoredReading> stored_;       // by reading id
  std::unordered_map<std::string, RegionCodes> stored_codes_;   // by reading id
  std::vector<Change> changes_;                                 // per reading
  std::vector<std::pair<std::size_t, std::size_t>> new_codes_;  // (reading, set) to upsert
  std::set<UtcSeconds> touched_hours_;
};

void RunLoader::validate() const {
  std::set<std::string> keys;
  for (const auto* set : batch_.region_sets) {
    if (set == nullptr) throw Error(ExitCode::software, "load_run: a null region set");
  }
  for (const auto& matched : batch_.readings) {
    if (!keys.insert(matched.reading.id).second) {
      throw Error(ExitCode::software,
                  "load_run: reading id '" + matched.reading.id + "' appears twice in the batch");
    }
    if (matched.region_index.size() != batch_.region_sets.size()) {
      throw Error(ExitCode::software, "load_run: reading '" + matched.reading.id +
                                          "' is not matched against every region set");
    }
    for (std::size_t set = 0; set < matched.region_index.size(); ++set) {
      const auto& index = matched.region_index[set];
      if (index && *index >= batch_.region_sets[set]->regions.size()) {
        throw Error(ExitCode::software, "load_run: reading '" + matched.reading.id +
                                            "' refers to a region its set does not have");
      }
    }
  }
}

std::optional<std::string> RunLoader::planned_code(const MatchedReading& reading,
                                                   std::size_t set) const {
  const auto& index = reading.region_index[set];
  if (!index) return std::nullopt;
  return batch_.region_sets[set]->regions[*index].code;
}

// Serialises the loads that feed the same aggregates (several sources may share a set), so two
// runs never recompute the same hour concurrently; rows are locked in one order: no deadlock.
void RunLoader::lock_region_sets() {
  step_ = "locking the region sets";
  if (batch_.region_sets.empty()) return;
  auto statement = store::prepare(connection_, "SELECT name FROM region_sets WHERE name IN (" +
                                                   store::placeholders(batch_.region_sets.size()) +
                                                   ") ORDER BY name FOR UPDATE");
  Binder binder(*statement);
  for (const auto* set : batch_.region_sets) binder.text(set->name);
  auto rows = store::run_query(*statement);
  while (rows->next()) {
  }
}

void RunLoader::read_existing_chunk(std::size_t first, std::size_t end) {
  const std::string ids = "(" + store::placeholders(end - first) + ")";
  auto readings = store::prepare(
      connection_,
      "SELECT reading_id, CAST(hour AS CHAR), latitude, longitude, temperature, observed_at,"
      " country FROM sensor_readings WHERE source = ? AND reading_id IN " +
          ids + " FOR UPDATE");
  auto codes = store::prepare(connection_,
                              "SELECT reading_id, region_set, region_code FROM reading_regions"
                              " WHERE source = ? AND reading_id IN " +
                                  ids + " FOR UPDATE");
  for (auto* statement : {readings.get(), codes.get()}) {
    Binder binder(*statement);
    binder.text(batch_.source);
    for (std::size_t i = first; i < end; ++i) binder.text(batch_.readings[i].reading.id);
  }
  auto row = store::run_query(*readings);
  while (row->next()) {
    stored_[store::text(*row, 1)] = {parse_sql_datetime(store::text(*row, 2)),
                                             static_cast<double>(row->getDouble(3)),
                                             static_cast<double>(row->getDouble(4)),
                                             static_cast<double>(row->getDouble(5)),
                                             store::optional_text(*row, 6),
                                             store::optional_text(*row, 7)};
  }
  row = store::run_query(*codes);
  while (row->next()) {
    stored_codes_[store::text(*row, 1)][store::text(*row, 2)] =
        store::optional_text(*row, 3);
  }
}

void RunLoader::read_existing() {
  step_ = "reading the stored readings";
  for (std::size_t first = 0; first < batch_.readings.size(); first += kLookupChunk) {
    read_existing_chunk(first, std::min(first + kLookupChunk, batch_.readings.size()));
  }
}

// New, unchanged or corrected; which (reading, set) matches to write; which hours to recompute.
void RunLoader::classify() {
  touched_hours_.insert(batch_.hour);
  for (std::size_t i = 0; i < batch_.readings.size(); ++i) {
    const auto key = batch_.readings[i].reading.id;
    const auto stored = stored_.find(key);
    const StoredReading* previous = stored == stored_.end() ? nullptr : &stored->second;
    classify_values(i, previous);
    plan_matches(i, key, previous);
  }
}

void RunLoader::classify_values(std::size_t reading, const StoredReading* previous) {
  if (previous == nullptr) {
    changes_.push_back(Change::fresh);
  } else if (same_values(batch_.readings[reading].reading, *previous)) {
    changes_.push_back(Change::unchanged);
  } else {
    changes_.push_back(Change::corrected);
    touched_hours_.insert(previous->hour);  // a correction belongs to the reading's first hour
  }
}

// Every (reading, set) whose stored match is missing or different is written; unchanged readings
// included, as a set may have been added to the source or reloaded since.
void RunLoader::plan_matches(std::size_t reading, const std::string& key,
                             const StoredReading* previous) {
  const auto codes = stored_codes_.find(key);
  for (std::size_t set = 0; set < batch_.region_sets.size(); ++set) {
    const auto& set_name = batch_.region_sets[set]->name;
    const bool known = codes != stored_codes_.end() && codes->second.contains(set_name);
    if (known && codes->second.at(set_name) == planned_code(batch_.readings[reading], set)) {
      continue;
    }
    new_codes_.emplace_back(reading, set);
    // A stored reading matched anew moves between the aggregates of its own hour.
    if (previous != nullptr) touched_hours_.insert(previous->hour);
  }
}

void RunLoader::upsert_readings() {
  step_ = "storing the readings";
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < changes_.size(); ++i) {
    if (changes_[i] != Change::unchanged) rows.push_back(i);
  }
  // `hour` and first_run_id are never updated: a reading stays in the hour that first saw it.
  const store::MultiRowInsert insert{
      "INSERT INTO sensor_readings (source, reading_id, hour, latitude, longitude, temperature,"
      " observed_at, country, first_run_id, last_run_id)",
      "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      "ON DUPLICATE KEY UPDATE latitude = VALUES(latitude), longitude = VALUES(longitude),"
      " temperature = VALUES(temperature), observed_at = VALUES(observed_at),"
      " country = VALUES(country), last_run_id = VALUES(last_run_id)"};
  store::insert_rows(connection_, insert, rows.size(), [&](Binder& binder, std::size_t row) {
    const auto& reading = batch_.readings[rows[row]].reading;
    binder.text(batch_.source)
        .text(reading.id)
        .datetime(batch_.hour)
        .real(reading.latitude)
        .real(reading.longitude)
        .real(reading.temperature)
        .optional_text(reading.timestamp)
        .optional_text(reading.country)
        .int64(batch_.run_id)
        .int64(batch_.run_id);
  });
}

void RunLoader::upsert_reading_regions() {
  step_ = "storing the readings' regions";
  const store::MultiRowInsert insert{
      "INSERT INTO reading_regions (source, reading_id, region_set, region_code)", "(?, ?, ?, ?)",
      "ON DUPLICATE KEY UPDATE region_code = VALUES(region_code)"};
  store::insert_rows(connection_, insert, new_codes_.size(), [&](Binder& binder, std::size_t row) {
    const auto [reading, set] = new_codes_[row];
    const auto& matched = batch_.readings[reading];
    binder.text(batch_.source)
        .text(matched.reading.id)
        .text(batch_.region_sets[set]->name)
        .optional_text(planned_code(matched, set));
  });
}

void RunLoader::insert_rejects() {
  step_ = "storing the rejected records";
  // The unique key (source, hour, record_sha) keeps a record rejected again in the same hour once.
  const store::MultiRowInsert insert{
      "INSERT INTO rejected_records (source, run_id, hour, position, reason, record, record_sha,"
      " created_at)",
      "(?, ?, ?, ?, ?, ?, SHA2(?, 256), UTC_TIMESTAMP(3))", "ON DUPLICATE KEY UPDATE id = id", 200};
  const auto& rejected = batch_.rejected;
  store::insert_rows(
      connection_, insert, rejected.size(),
      [&](Binder& binder, std::size_t row) {
        const auto& record = rejected[row];
        binder.text(batch_.source)
            .int64(batch_.run_id)
            .datetime(batch_.hour)
            .count(record.position)
            .text(record.reason)
            .text(record.record_json)
            .text(record.record_json);
      },
      [&](std::size_t row) {
        return 2 * rejected[row].record_json.size() + rejected[row].reason.size();
      });
}

// From the stored measurements of every source, so the result depends only on what is stored.
void RunLoader::recompute_aggregates() {
  for (const auto* set : batch_.region_sets) {
    for (const auto hour : touched_hours_) {
      step_ = "recomputing the aggregates of set " + set->name + " for " + to_sql_datetime(hour);
      store::recompute_region_hour(connection_, set->name, hour);
    }
  }
}

RunCounts RunLoader::record_success() {
  step_ = "marking the run succeeded";
  RunCounts counts = batch_.counts;
  counts.stored = counts.corrections = counts.unchanged = 0;
  for (const auto change : changes_) {
    ++(change == Change::fresh       ? counts.stored
       : change == Change::corrected ? counts.corrections
                                     : counts.unchanged);
  }
  auto update = store::prepare(
      connection_,
      "UPDATE etl_runs SET status = 'succeeded', finished_at = UTC_TIMESTAMP(3), fetched = ?,"
      " rejected = ?, duplicates = ?, outside = ?, disagreements = ?, `stored` = ?,"
      " corrections = ?, unchanged = ? WHERE id = ? AND source = ? AND status = 'running'");
  Binder(*update)
      .count(counts.fetched)
      .count(counts.rejected)
      .count(counts.duplicates)
      .count(counts.outside)
      .count(counts.disagreements)
      .count(counts.stored)
      .count(counts.corrections)
      .count(counts.unchanged)
      .int64(batch_.run_id)
      .text(batch_.source);
  if (update->executeUpdate() != 1) {
    throw Error(ExitCode::software, "run " + std::to_string(batch_.run_id) + " of source " +
                                        batch_.source + " is not a running run of the ledger");
  }
  return counts;
}

RunCounts RunLoader::load() {
  // READ COMMITTED: the aggregates' INSERT ... SELECT then reads without share-locking other
  // sources' readings of the hour (which could deadlock with their loads); the region set locks
  // already order the loads that share aggregates.
  store::Transaction transaction(connection_, store::Transaction::Isolation::read_committed);
  lock_region_sets();
  read_existing();
  classify();
  upsert_readings();
  upsert_reading_regions();
  insert_rejects();
  recompute_aggregates();
  const auto counts = record_success();
  step_ = "committing";
  transaction.commit();
  return counts;
}

}  // namespace

RunCounts load_run(Database& db, const RunBatch& batch) {
  RunLoader loader(db.connection(), batch);
  loader.validate();
  try {
    return loader.load();  // the transaction has rolled back when this throws
  } catch (const sql::SQLException& error) {
    store::throw_error(error, "loading run " + std::to_string(batch.run_id) + " of " +
                                  batch.source + " for " + to_sql_datetime(batch.hour) + ": " +
                                  loader.step());
  }
}

}  // namespace meteo
