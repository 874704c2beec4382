// The transactional load of one run: readings, their regions, rejects, aggregates, ledger.
#include <algorithm>
#include <map>
#include <set>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "bulk_load.hpp"
#include "meteo/aggregate/sums.hpp"
#include "meteo/core/errors.hpp"
#include "meteo/store/run_load.hpp"
#include "region_aggregates.hpp"
#include "transaction.hpp"

namespace meteo {

namespace {

using store::Binder;

struct StoredReading {
  UtcSeconds hour;
  UtcMicros fetched_at;  // the payload its values come from
  double latitude = 0;
  double longitude = 0;
  double temperature = 0;
  std::optional<std::string> observed_at;
  std::optional<std::string> country;
  std::optional<std::string> inline_set;  // the set whose region is a column of the reading
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

// The set whose region a reading keeps in its own row: the first set of its source when it is
// first stored; a stored reading keeps the one it has (none for readings stored without sets).
std::optional<std::string> inline_set_of(const std::vector<const RegionSet*>& sets) {
  if (sets.empty()) return std::nullopt;
  return sets.front()->name;
}

// Loads one run's batches as they come. What it keeps between batches is small (counts, touched
// hours); the state of a batch is cleared before the next.
class RunLoader final : public RunSink {
 public:
  RunLoader(Database& db, const RunHeader& run)
      : db_(db),
        connection_(db.connection()),
        run_(run),
        hour_text_(to_sql_datetime(run.hour)),
        fetched_at_text_(to_sql_datetime(run.fetched_at)),
        inline_set_(inline_set_of(run.region_sets)),
        fresh_sums_(aggregate::empty_region_sums(run.region_sets)) {}

  RunCounts load(const RunProducer& produce);
  void add_readings(const std::vector<MatchedReading>& readings) override;
  void add_rejected(const std::vector<RejectedRecord>& rejected) override;

 private:
  void validate(const std::vector<MatchedReading>& readings) const;
  void start_batch(const std::vector<MatchedReading>& readings);
  const MatchedReading& matched(std::size_t i) const { return (*batch_)[i]; }
  std::optional<std::string> planned_code(const MatchedReading& reading, std::size_t set) const;
  // The region a new reading keeps in its own row: in the source's first set.
  std::optional<std::string> inline_code(const MatchedReading& reading) const {
    return inline_set_ ? planned_code(reading, 0) : std::nullopt;
  }
  bool inline_match(std::size_t reading, std::size_t set) const;
  void read_existing();
  using LookupStatements = std::map<std::size_t, store::StatementPtr>;  // by number of ids
  sql::PreparedStatement& lookup_statement(LookupStatements& statements, std::size_t ids,
                                           const std::string& select_from);
  void read_existing_chunk(std::size_t first, std::size_t end);
  void classify();
  void classify_values(std::size_t reading, const StoredReading* previous);
  void plan_matches(std::size_t reading, const std::string& key, const StoredReading* previous);
  bool older_than_stored(const StoredReading& stored) const {
    return run_.fetched_at < stored.fetched_at;
  }
  bool bulk_loadable(std::size_t reading) const {
    return db_.bulk_load_allowed() && changes_[reading] == Change::fresh;
  }
  bool bulk_load(const std::string& table, const std::string& columns, const store::TsvRows& rows);
  void append_new_reading(store::TsvRows& rows, std::size_t reading) const;
  bool load_all_as_new();
  bool loaded_now(const sql::ResultSet& row) const;
  void store_readings();
  void store_reading_regions();
  void upsert_readings(const std::vector<std::size_t>& readings);
  void upsert_reading_regions(const std::vector<std::pair<std::size_t, std::size_t>>& codes);
  void update_inline_regions(const std::vector<std::pair<std::size_t, std::size_t>>& codes);
  void write_in_key_order();
  void add_fresh_readings_to_aggregates();
  RunCounts record_success(const RunCounts& upstream);

  Database& db_;
  sql::Connection& connection_;
  const RunHeader& run_;
  const std::string hour_text_;                  // as LOAD DATA reads a DATETIME
  const std::string fetched_at_text_;            // and a DATETIME(6)
  const std::optional<std::string> inline_set_;  // of the readings this run stores first
  std::string step_ = "starting the transaction";
  RunCounts changed_;  // stored, corrections, unchanged: summed over the batches
  std::size_t rejected_ = 0;
  std::set<UtcSeconds> touched_hours_;  // to recompute from the stored measurements
  // Per set, per region: the new readings, all in the run's hour. Added to the stored sums of that
  // hour unless something else touched it.
  aggregate::RegionSums fresh_sums_;
  LookupStatements stored_readings_lookups_;
  LookupStatements stored_codes_lookups_;

  // The batch at work.
  const std::vector<MatchedReading>* batch_ = nullptr;
  std::unordered_map<std::string, StoredReading> stored_;      // by reading id
  std::unordered_map<std::string, RegionCodes> stored_codes_;  // by reading id
  std::vector<Change> changes_;                                // per reading
  // Every reading of the batch went in by LOAD DATA first, and `skipped_` of them were already
  // stored (the load left those as they were).
  bool loaded_as_new_ = false;
  std::size_t skipped_ = 0;
  std::vector<std::size_t> rewrites_;  // readings to upsert: new, corrected, or newer or earlier
  std::vector<std::pair<std::size_t, std::size_t>> new_codes_;  // (reading, set) to upsert
};

void check_region_sets(const std::vector<const RegionSet*>& region_sets) {
  for (const auto* set : region_sets) {
    if (set == nullptr) throw Error(ExitCode::software, "load_run: a null region set");
  }
}

void RunLoader::validate(const std::vector<MatchedReading>& readings) const {
  // Views of the batch's own ids: no copy of the strings just to check they differ.
  std::unordered_set<std::string_view> keys;
  keys.reserve(readings.size());
  for (const auto& matched : readings) {
    if (!keys.insert(matched.reading.id).second) {
      throw Error(ExitCode::software,
                  "load_run: reading id '" + matched.reading.id + "' appears twice in the batch");
    }
    if (matched.region_index.size() != run_.region_sets.size()) {
      throw Error(ExitCode::software, "load_run: reading '" + matched.reading.id +
                                          "' is not matched against every region set");
    }
    for (std::size_t set = 0; set < matched.region_index.size(); ++set) {
      const auto& index = matched.region_index[set];
      if (index && *index >= run_.region_sets[set]->regions.size()) {
        throw Error(ExitCode::software, "load_run: reading '" + matched.reading.id +
                                            "' refers to a region its set does not have");
      }
    }
  }
}

void RunLoader::start_batch(const std::vector<MatchedReading>& readings) {
  batch_ = &readings;
  stored_.clear();
  stored_codes_.clear();
  changes_.clear();
  loaded_as_new_ = false;
  skipped_ = 0;
  rewrites_.clear();
  new_codes_.clear();
}

std::optional<std::string> RunLoader::planned_code(const MatchedReading& reading,
                                                   std::size_t set) const {
  const auto& index = reading.region_index[set];
  if (!index) return std::nullopt;
  return run_.region_sets[set]->regions[*index].code;
}

bool RunLoader::inline_match(std::size_t reading, std::size_t set) const {
  if (changes_[reading] == Change::fresh) return set == 0;
  const auto stored = stored_.find(matched(reading).reading.id);
  return stored != stored_.end() && stored->second.inline_set == run_.region_sets[set]->name;
}

// `select_from` WHERE source = ? AND reading_id IN (`ids` placeholders) FOR UPDATE, prepared once
// per size: the chunks of a run almost all have the same.
sql::PreparedStatement& RunLoader::lookup_statement(LookupStatements& statements, std::size_t ids,
                                                    const std::string& select_from) {
  auto& statement = statements[ids];
  if (!statement) {
    statement = store::prepare(connection_, select_from + " WHERE source = ? AND reading_id IN (" +
                                                store::placeholders(ids) + ") FOR UPDATE");
  }
  return *statement;
}

void RunLoader::read_existing_chunk(std::size_t first, std::size_t end) {
  const auto bind_ids = [&](sql::PreparedStatement& statement) {
    Binder binder(statement);
    binder.text(run_.source);
    for (std::size_t i = first; i < end; ++i) binder.text(matched(i).reading.id);
  };
  auto& readings =
      lookup_statement(stored_readings_lookups_, end - first,
                       "SELECT reading_id, CAST(hour AS CHAR), latitude, longitude,"
                       " temperature, observed_at, country,"
                       " TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', fetched_at),"
                       " first_run_id, last_run_id, region_set, region_code FROM sensor_readings");
  bind_ids(readings);
  auto row = store::run_query(readings);
  std::size_t found = 0;
  while (row->next()) {
    if (loaded_now(*row)) continue;
    ++found;
    const auto id = store::text(*row, 1);
    const auto inline_set = store::optional_text(*row, 11);
    stored_[id] = {parse_sql_datetime(store::text(*row, 2)),
                   UtcMicros(std::chrono::microseconds(row->getInt64(8))),
                   static_cast<double>(row->getDouble(3)),
                   static_cast<double>(row->getDouble(4)),
                   static_cast<double>(row->getDouble(5)),
                   store::optional_text(*row, 6),
                   store::optional_text(*row, 7),
                   inline_set};
    if (inline_set) stored_codes_[id][*inline_set] = store::optional_text(*row, 12);
  }
  // A reading's further matches go with it (foreign key): none stored, none to read.
  if (found == 0) return;
  auto& codes =
      lookup_statement(stored_codes_lookups_, end - first,
                       "SELECT reading_id, region_set, region_code FROM reading_extra_regions");
  bind_ids(codes);
  row = store::run_query(codes);
  while (row->next()) {
    stored_codes_[store::text(*row, 1)][store::text(*row, 2)] = store::optional_text(*row, 3);
  }
}

// A row this batch's first load wrote: the run's own, from the run's payload. No other batch of
// the run has the same id, so a reading stored before cannot look like this.
bool RunLoader::loaded_now(const sql::ResultSet& row) const {
  return loaded_as_new_ && row.getInt64(9) == run_.run_id && row.getInt64(10) == run_.run_id &&
         UtcMicros(std::chrono::microseconds(row.getInt64(8))) == run_.fetched_at;
}

void RunLoader::read_existing() {
  step_ = "reading the stored readings";
  store::for_each_lookup_chunk(batch_->size(), [this](std::size_t first, std::size_t end) {
    read_existing_chunk(first, end);
  });
  if (loaded_as_new_ && stored_.size() != skipped_) {
    throw Error(ExitCode::temporary,
                "LOAD DATA found " + std::to_string(skipped_) + " readings of the batch stored, " +
                    "the lookup after it " + std::to_string(stored_.size()) +
                    ": another session is writing the same readings; run again");
  }
}

// New, unchanged or corrected; which (reading, set) matches to write; which hours to recompute.
void RunLoader::classify() {
  for (std::size_t i = 0; i < batch_->size(); ++i) {
    const auto key = matched(i).reading.id;
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
  const bool earlier_hour = run_.hour < previous->hour;
  if (!older && !same_values(matched(reading).reading, *previous)) {
    changes_.push_back(Change::corrected);
  } else {
    changes_.push_back(Change::unchanged);
  }
  // Unchanged values from a newer payload still move fetched_at forward: without it an older
  // payload replayed later would win over a newer one that happened to repeat the old value.
  const bool newer = run_.fetched_at > previous->fetched_at;
  if (changes_.back() == Change::corrected || newer || earlier_hour) rewrites_.push_back(reading);
  if (changes_.back() == Change::corrected || earlier_hour) touched_hours_.insert(previous->hour);
  if (earlier_hour) touched_hours_.insert(run_.hour);
}

// Every (reading, set) whose stored match is missing or different is written; unchanged readings
// included, as a set may have been added to the source or reloaded since.
void RunLoader::plan_matches(std::size_t reading, const std::string& key,
                             const StoredReading* previous) {
  // An older payload's matches are right only where it agrees with the stored coordinates.
  if (previous != nullptr && older_than_stored(*previous) &&
      !same_place(matched(reading).reading, *previous)) {
    return;
  }
  const auto codes = stored_codes_.find(key);
  for (std::size_t set = 0; set < run_.region_sets.size(); ++set) {
    const auto& set_name = run_.region_sets[set]->name;
    const bool known = codes != stored_codes_.end() && codes->second.contains(set_name);
    if (known && codes->second.at(set_name) == planned_code(matched(reading), set)) {
      continue;
    }
    new_codes_.emplace_back(reading, set);
    // A stored reading matched anew moves between the aggregates of its own hour.
    if (previous != nullptr) touched_hours_.insert(previous->hour);
  }
}

constexpr const char* kReadingColumns =
    "source, reading_id, hour, latitude, longitude, temperature, observed_at, country,"
    " first_run_id, last_run_id, fetched_at, region_set, region_code";
constexpr const char* kReadingRegionColumns = "source, reading_id, region_set, region_code";

// True when the rows went in by LOAD DATA; false when they are to be upserted instead: the
// session may not (refused, now warned and remembered), or another session stored some of them
// since we looked (upserting them again leaves what LOAD DATA wrote unchanged).
bool RunLoader::bulk_load(const std::string& table, const std::string& columns,
                          const store::TsvRows& rows) {
  switch (store::load_data_local(connection_, table, columns, rows)) {
    case store::BulkLoadOutcome::loaded:
      return true;
    case store::BulkLoadOutcome::duplicates:
      // Rows this batch counted as new that another session stored meanwhile: the run's hour is
      // summed again from what is stored, not added to.
      touched_hours_.insert(run_.hour);
      return false;
    case store::BulkLoadOutcome::refused:
      db_.refuse_bulk_load("LOAD DATA LOCAL INFILE into " + table + " was refused");
      return false;
  }
  return false;
}

void RunLoader::append_new_reading(store::TsvRows& rows, std::size_t i) const {
  const auto& reading = matched(i).reading;
  rows.text(run_.source)
      .text(reading.id)
      .text(hour_text_)
      .real(reading.latitude)
      .real(reading.longitude)
      .real(reading.temperature)
      .optional_text(reading.timestamp)
      .optional_text(reading.country)
      .integer(run_.run_id)
      .integer(run_.run_id)
      .text(fetched_at_text_)
      .optional_text(inline_set_)
      .optional_text(inline_code(matched(i)))
      .end_row();
}

// Most batches hold only new readings (each hour brings new ids): the whole batch goes in as new,
// by LOAD DATA, in primary-key order, before any lookup. The server skips the readings already
// stored and counts them; only then are the stored ones looked up, to be merged by upsert.
// False when the session may not (refused: now warned and remembered).
bool RunLoader::load_all_as_new() {
  if (!db_.bulk_load_allowed()) return false;
  step_ = "storing the readings";
  std::vector<std::size_t> order(batch_->size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [this](std::size_t a, std::size_t b) {
    return matched(a).reading.id < matched(b).reading.id;
  });
  store::TsvRows rows;
  for (const std::size_t i : order) append_new_reading(rows, i);
  const auto outcome =
      store::load_data_local(connection_, "sensor_readings", kReadingColumns, rows, &skipped_);
  if (outcome == store::BulkLoadOutcome::refused) {
    db_.refuse_bulk_load("LOAD DATA LOCAL INFILE into sensor_readings was refused");
    return false;
  }
  loaded_as_new_ = true;
  return true;
}

// What the first load did not write: the readings stored before that this payload changes, or
// every rewrite when the session may not LOAD DATA.
void RunLoader::store_readings() {
  step_ = "storing the readings";
  std::vector<std::size_t> upserts;
  for (const std::size_t i : rewrites_) {
    if (!(loaded_as_new_ && changes_[i] == Change::fresh)) upserts.push_back(i);
  }
  upsert_readings(upserts);
}

// A fresh reading's inline region went in with the reading; a stored reading's is updated in
// place; every other match is a row of reading_extra_regions.
void RunLoader::store_reading_regions() {
  step_ = "storing the readings' regions";
  std::vector<std::pair<std::size_t, std::size_t>> bulk;
  std::vector<std::pair<std::size_t, std::size_t>> upserts;
  std::vector<std::pair<std::size_t, std::size_t>> inline_updates;
  store::TsvRows rows;
  for (const auto& code : new_codes_) {
    const auto [reading, set] = code;
    if (inline_match(reading, set)) {
      if (changes_[reading] != Change::fresh) inline_updates.push_back(code);
      continue;
    }
    if (!bulk_loadable(reading)) {
      upserts.push_back(code);
      continue;
    }
    bulk.push_back(code);
    rows.text(run_.source)
        .text(matched(reading).reading.id)
        .text(run_.region_sets[set]->name)
        .optional_text(planned_code(matched(reading), set))
        .end_row();
  }
  if (!bulk.empty()) {
    // Their readings were written just before, in this transaction.
    const store::ForeignKeyChecksOff parents_just_written(connection_);
    if (!bulk_load("reading_extra_regions", kReadingRegionColumns, rows)) {
      upserts.insert(upserts.end(), bulk.begin(), bulk.end());
    }
  }
  upsert_reading_regions(upserts);
  update_inline_regions(inline_updates);
}

void RunLoader::upsert_readings(const std::vector<std::size_t>& readings) {
  // The assignments run left to right and see the columns already assigned: values follow the
  // newest payload, so `fetched_at` is assigned after them; `hour` and first_run_id follow the
  // earliest hour, so first_run_id is assigned before `hour`. A reading stored meanwhile by
  // another session keeps its inline set; its region there follows the newest payload too.
  const store::MultiRowInsert insert{
      std::string("INSERT INTO sensor_readings (") + kReadingColumns + ")",
      "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      "ON DUPLICATE KEY UPDATE"
      " region_code = IF(VALUES(fetched_at) >= fetched_at AND region_set <=> VALUES(region_set),"
      " VALUES(region_code), region_code),"
      " latitude = IF(VALUES(fetched_at) >= fetched_at, VALUES(latitude), latitude),"
      " longitude = IF(VALUES(fetched_at) >= fetched_at, VALUES(longitude), longitude),"
      " temperature = IF(VALUES(fetched_at) >= fetched_at, VALUES(temperature), temperature),"
      " observed_at = IF(VALUES(fetched_at) >= fetched_at, VALUES(observed_at), observed_at),"
      " country = IF(VALUES(fetched_at) >= fetched_at, VALUES(country), country),"
      " last_run_id = IF(VALUES(fetched_at) >= fetched_at, VALUES(last_run_id), last_run_id),"
      " fetched_at = GREATEST(fetched_at, VALUES(fetched_at)),"
      " first_run_id = IF(VALUES(hour) < hour, VALUES(first_run_id), first_run_id),"
      " hour = LEAST(hour, VALUES(hour))"};
  const std::string fetched_at = to_sql_datetime(run_.fetched_at);
  store::insert_rows(connection_, insert, readings.size(), [&](Binder& binder, std::size_t row) {
    const auto& reading = matched(readings[row]).reading;
    binder.text(run_.source)
        .text(reading.id)
        .datetime(run_.hour)
        .real(reading.latitude)
        .real(reading.longitude)
        .real(reading.temperature)
        .optional_text(reading.timestamp)
        .optional_text(reading.country)
        .int64(run_.run_id)
        .int64(run_.run_id)
        .text(fetched_at)
        .optional_text(inline_set_)
        .optional_text(inline_code(matched(readings[row])));
  });
}

void RunLoader::upsert_reading_regions(
    const std::vector<std::pair<std::size_t, std::size_t>>& codes) {
  const store::MultiRowInsert insert{
      std::string("INSERT INTO reading_extra_regions (") + kReadingRegionColumns + ")",
      "(?, ?, ?, ?)", "ON DUPLICATE KEY UPDATE region_code = VALUES(region_code)"};
  store::insert_rows(connection_, insert, codes.size(), [&](Binder& binder, std::size_t row) {
    const auto [reading, set] = codes[row];
    const auto& item = matched(reading);
    binder.text(run_.source)
        .text(item.reading.id)
        .text(run_.region_sets[set]->name)
        .optional_text(planned_code(item, set));
  });
}

// Rare: a stored reading matched anew in its inline set (the set was reloaded, or the payload
// moved it). One statement per reading.
void RunLoader::update_inline_regions(
    const std::vector<std::pair<std::size_t, std::size_t>>& codes) {
  if (codes.empty()) return;
  auto update = store::prepare(connection_,
                               "UPDATE sensor_readings SET region_code = ?"
                               " WHERE source = ? AND reading_id = ? AND region_set = ?");
  for (const auto& [reading, set] : codes) {
    Binder(*update)
        .optional_text(planned_code(matched(reading), set))
        .text(run_.source)
        .text(matched(reading).reading.id)
        .text(run_.region_sets[set]->name);
    update->executeUpdate();
  }
}

void RunLoader::add_fresh_readings_to_aggregates() {
  for (std::size_t set = 0; set < fresh_sums_.size(); ++set) {
    const auto& region_set = *run_.region_sets[set];
    auto additions = aggregate::region_totals(region_set, fresh_sums_[set]);
    if (additions.empty()) continue;
    const std::string where = " of set " + region_set.name + " for " + to_sql_datetime(run_.hour);
    step_ = "adding the new readings to the aggregates" + where;
    if (!store::add_to_region_hour(connection_, region_set.name, run_.hour, std::move(additions))) {
      step_ = "recomputing the aggregates" + where;
      store::recompute_region_hour(connection_, region_set.name, run_.hour);
    }
  }
}

// In primary-key order, the rows of a batch reach each page of the tables' B-trees once and in
// turn, rather than in the payload's random order.
void RunLoader::write_in_key_order() {
  const auto id = [this](std::size_t reading) -> const std::string& {
    return matched(reading).reading.id;
  };
  std::sort(rewrites_.begin(), rewrites_.end(),
            [&](std::size_t a, std::size_t b) { return id(a) < id(b); });
  std::sort(new_codes_.begin(), new_codes_.end(), [&](const auto& a, const auto& b) {
    const int order = id(a.first).compare(id(b.first));
    return order != 0 ? order < 0
                      : run_.region_sets[a.second]->name < run_.region_sets[b.second]->name;
  });
}

void RunLoader::add_readings(const std::vector<MatchedReading>& readings) {
  validate(readings);
  start_batch(readings);
  // A first load that skipped nothing leaves nothing to look up.
  if (!load_all_as_new() || skipped_ > 0) read_existing();
  classify();
  // The new readings' temperatures by region, from the batch itself: their hour's aggregates grow
  // by these sums without reading the hour back.
  aggregate::add_fresh_readings(fresh_sums_, readings, changes_);
  write_in_key_order();
  store_readings();
  store_reading_regions();
  store::count_changes(changes_, changed_);
  batch_ = nullptr;
}

void RunLoader::add_rejected(const std::vector<RejectedRecord>& rejected) {
  step_ = "storing the rejected records";
  store::insert_rejects(connection_, run_.source, run_.run_id, run_.hour, rejected);
  rejected_ += rejected.size();
}

RunCounts RunLoader::record_success(const RunCounts& upstream) {
  step_ = "marking the run succeeded";
  if (upstream.rejected != rejected_) {
    throw Error(ExitCode::software, "load_run: the producer counted " +
                                        std::to_string(upstream.rejected) +
                                        " rejected records but gave " + std::to_string(rejected_));
  }
  RunCounts counts = upstream;
  counts.stored = changed_.stored;
  counts.corrections = changed_.corrections;
  counts.unchanged = changed_.unchanged;
  store::mark_run_succeeded(connection_, run_.run_id, counts, run_.source);
  return counts;
}

RunCounts RunLoader::load(const RunProducer& produce) {
  const std::string purpose = "loading run " + std::to_string(run_.run_id) + " of " + run_.source +
                              " for " + to_sql_datetime(run_.hour);
  // The transaction has rolled back when this throws.
  return store::run_load(db_, run_.region_sets, purpose, step_, [&] {
    const RunCounts upstream = produce(*this);
    store::recompute_region_hours(connection_, run_.region_sets, touched_hours_, step_);
    if (!touched_hours_.contains(run_.hour)) add_fresh_readings_to_aggregates();
    return record_success(upstream);
  });
}

}  // namespace

RunCounts load_run(Database& db, const RunHeader& run, const RunProducer& produce) {
  check_region_sets(run.region_sets);
  // A fresh loader per attempt: nothing a rolled-back attempt read may leak into the next.
  return store::with_transaction_retries(db.transaction_retry(),
                                         [&] { return RunLoader(db, run).load(produce); });
}

RunCounts load_run(Database& db, const RunBatch& batch) {
  const RunHeader run{batch.run_id, batch.source, batch.hour, batch.fetched_at, batch.region_sets};
  return load_run(db, run, [&](RunSink& sink) {
    sink.add_readings(batch.readings);
    sink.add_rejected(batch.rejected);
    return batch.counts;
  });
}

}  // namespace meteo
