// The transactional load of one run: readings, their regions, rejects, aggregates, ledger.
#include <map>
#include <set>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "meteo/errors.hpp"
#include "meteo/store.hpp"
#include "transaction.hpp"

namespace meteo {

namespace {

using store::Binder;
using store::Change;

struct StoredReading {
  UtcSeconds hour;
  UtcMicros fetched_at;  // the payload its values come from
  double latitude = 0;
  double longitude = 0;
  double temperature = 0;
  std::optional<std::string> observed_at;
  std::optional<std::string> country;
};

using RegionCodes = std::map<std::string, std::optional<std::string>>;  // by region set

bool same_place(const SensorReading& reading, const StoredReading& stored) {
  return reading.latitude == stored.latitude && reading.longitude == stored.longitude;
}

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

 private:
  std::optional<std::string> planned_code(const MatchedReading& reading, std::size_t set) const;
  void read_existing();
  void read_existing_chunk(std::size_t first, std::size_t end);
  void classify();
  void classify_values(std::size_t reading, const StoredReading* previous);
  void plan_matches(std::size_t reading, const std::string& key, const StoredReading* previous);
  bool older_than_stored(const StoredReading& stored) const {
    return batch_.fetched_at < stored.fetched_at;
  }
  void upsert_readings();
  void upsert_reading_regions();
  void insert_rejects();
  RunCounts record_success();

  sql::Connection& connection_;
  const RunBatch& batch_;
  std::string step_ = "starting the transaction";
  std::unordered_map<std::string, StoredReading> stored_;      // by reading id
  std::unordered_map<std::string, RegionCodes> stored_codes_;  // by reading id
  std::vector<Change> changes_;                                // per reading
  std::vector<std::size_t> rewrites_;  // readings to upsert: new, corrected, or newer or earlier
  std::vector<std::pair<std::size_t, std::size_t>> new_codes_;  // (reading, set) to upsert
  std::set<UtcSeconds> touched_hours_;
};

void RunLoader::validate() const {
  // Views of the batch's own ids: no copy of a million strings just to check they differ.
  std::unordered_set<std::string_view> keys;
  keys.reserve(batch_.readings.size());
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

void RunLoader::read_existing_chunk(std::size_t first, std::size_t end) {
  const std::string ids = "(" + store::placeholders(end - first) + ")";
  auto readings = store::prepare(
      connection_,
      "SELECT reading_id, CAST(hour AS CHAR), latitude, longitude, temperature, observed_at,"
      " country, TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', fetched_at)"
      " FROM sensor_readings WHERE source = ? AND reading_id IN " +
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
                                     UtcMicros(std::chrono::microseconds(row->getInt64(8))),
                                     static_cast<double>(row->getDouble(3)),
                                     static_cast<double>(row->getDouble(4)),
                                     static_cast<double>(row->getDouble(5)),
                                     store::optional_text(*row, 6),
                                     store::optional_text(*row, 7)};
  }
  row = store::run_query(*codes);
  while (row->next()) {
    stored_codes_[store::text(*row, 1)][store::text(*row, 2)] = store::optional_text(*row, 3);
  }
}

void RunLoader::read_existing() {
  step_ = "reading the stored readings";
  store::for_each_lookup_chunk(batch_.readings.size(), [this](std::size_t first, std::size_t end) {
    read_existing_chunk(first, end);
  });
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

// A payload older than the one a stored reading came from changes none of its values (replays
// run in any order); any payload may move the reading to an earlier hour (the first that saw it).
void RunLoader::classify_values(std::size_t reading, const StoredReading* previous) {
  if (previous == nullptr) {
    changes_.push_back(Change::fresh);
    rewrites_.push_back(reading);
    return;
  }
  const bool older = older_than_stored(*previous);
  const bool earlier_hour = batch_.hour < previous->hour;
  if (!older && !same_values(batch_.readings[reading].reading, *previous)) {
    changes_.push_back(Change::corrected);
  } else {
    changes_.push_back(Change::unchanged);
  }
  // Unchanged values from a newer payload still move fetched_at forward: without it an older
  // payload replayed later would win over a newer one that happened to repeat the old value.
  const bool newer = batch_.fetched_at > previous->fetched_at;
  if (changes_.back() == Change::corrected || newer || earlier_hour) rewrites_.push_back(reading);
  if (changes_.back() == Change::corrected || earlier_hour) touched_hours_.insert(previous->hour);
}

// Every (reading, set) whose stored match is missing or different is written; unchanged readings
// included, as a set may have been added to the source or reloaded since.
void RunLoader::plan_matches(std::size_t reading, const std::string& key,
                             const StoredReading* previous) {
  // An older payload's matches are right only where it agrees with the stored coordinates.
  if (previous != nullptr && older_than_stored(*previous) &&
      !same_place(batch_.readings[reading].reading, *previous)) {
    return;
  }
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
  // The assignments run left to right and see the columns already assigned: values follow the
  // newest payload, so `fetched_at` is assigned after them; `hour` and first_run_id follow the
  // earliest hour, so first_run_id is assigned before `hour`.
  const store::MultiRowInsert insert{
      "INSERT INTO sensor_readings (source, reading_id, hour, latitude, longitude, temperature,"
      " observed_at, country, first_run_id, last_run_id, fetched_at)",
      "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      "ON DUPLICATE KEY UPDATE"
      " latitude = IF(VALUES(fetched_at) >= fetched_at, VALUES(latitude), latitude),"
      " longitude = IF(VALUES(fetched_at) >= fetched_at, VALUES(longitude), longitude),"
      " temperature = IF(VALUES(fetched_at) >= fetched_at, VALUES(temperature), temperature),"
      " observed_at = IF(VALUES(fetched_at) >= fetched_at, VALUES(observed_at), observed_at),"
      " country = IF(VALUES(fetched_at) >= fetched_at, VALUES(country), country),"
      " last_run_id = IF(VALUES(fetched_at) >= fetched_at, VALUES(last_run_id), last_run_id),"
      " fetched_at = GREATEST(fetched_at, VALUES(fetched_at)),"
      " first_run_id = IF(VALUES(hour) < hour, VALUES(first_run_id), first_run_id),"
      " hour = LEAST(hour, VALUES(hour))"};
  const std::string fetched_at = to_sql_datetime(batch_.fetched_at);
  store::insert_rows(connection_, insert, rewrites_.size(), [&](Binder& binder, std::size_t row) {
    const auto& reading = batch_.readings[rewrites_[row]].reading;
    binder.text(batch_.source)
        .text(reading.id)
        .datetime(batch_.hour)
        .real(reading.latitude)
        .real(reading.longitude)
        .real(reading.temperature)
        .optional_text(reading.timestamp)
        .optional_text(reading.country)
        .int64(batch_.run_id)
        .int64(batch_.run_id)
        .text(fetched_at);
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
  store::insert_rejects(connection_, batch_.source, batch_.run_id, batch_.hour, batch_.rejected);
}

RunCounts RunLoader::record_success() {
  step_ = "marking the run succeeded";
  RunCounts counts = batch_.counts;
  counts.stored = counts.corrections = counts.unchanged = 0;
  store::count_changes(changes_, counts);
  store::mark_run_succeeded(connection_, batch_.run_id, counts, batch_.source);
  return counts;
}

RunCounts RunLoader::load() {
  const std::string purpose = "loading run " + std::to_string(batch_.run_id) + " of " +
                              batch_.source + " for " + to_sql_datetime(batch_.hour);
  // The transaction has rolled back when this throws.
  return store::run_load(connection_, batch_.region_sets, purpose, step_, [this] {
    read_existing();
    classify();
    upsert_readings();
    upsert_reading_regions();
    insert_rejects();
    store::recompute_region_hours(connection_, batch_.region_sets, touched_hours_, step_);
    return record_success();
  });
}

}  // namespace

RunCounts load_run(Database& db, const RunBatch& batch) {
  RunLoader(db.connection(), batch).validate();
  // A fresh loader per attempt: nothing a rolled-back attempt read may leak into the next.
  return store::with_transaction_retries(db.transaction_retry(),
                                         [&] { return RunLoader(db.connection(), batch).load(); });
}

}  // namespace meteo
