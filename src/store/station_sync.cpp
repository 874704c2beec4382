// The station list of a source and each station's region in every set of the source.
#include <algorithm>
#include <map>
#include <set>

#include "meteo/core/errors.hpp"
#include "meteo/store/stations.hpp"
#include "region_aggregates.hpp"
#include "station_support.hpp"

namespace meteo {

namespace {

using store::Binder;

constexpr std::size_t kLookupChunk = 500;

using RegionCodes = std::map<std::string, std::optional<std::string>>;  // by region set

// A record without a name does not unname its station: SYNOP's `nom` is null now and then.
bool same_station(const WeatherStation& incoming, const WeatherStation& stored) {
  return incoming.number == stored.number && incoming.commune == stored.commune &&
         incoming.type == stored.type && incoming.latitude == stored.latitude &&
         incoming.longitude == stored.longitude && incoming.altitude == stored.altitude &&
         (incoming.name.empty() || incoming.name == stored.name);
}

class StationSync {
 public:
  StationSync(sql::Connection& connection, const std::string& source,
              const std::vector<const RegionSet*>& sets,
              const std::vector<MatchedStation>& stations)
      : connection_(connection), source_(source), sets_(sets), stations_(stations) {}

  void validate() const;
  void sync();
  const std::string& step() const { return step_; }

 private:
  std::optional<std::string> planned_code(const MatchedStation& station, std::size_t set) const;
  void choose_entries();
  void read_existing();
  void plan();
  void upsert_stations();
  void upsert_matches();
  void recompute_moved();
  std::set<UtcSeconds> observed_hours(const std::vector<std::string>& keys);

  sql::Connection& connection_;
  const std::string& source_;
  const std::vector<const RegionSet*>& sets_;
  const std::vector<MatchedStation>& stations_;
  std::string step_ = "starting the transaction";
  std::map<std::string, std::size_t> chosen_;                     // stored dataset id -> entry
  std::map<std::string, WeatherStation> stored_;                  // by stored dataset id
  std::map<std::string, RegionCodes> stored_codes_;               // by stored dataset id
  std::vector<std::string> changed_stations_;                     // to upsert
  std::vector<std::pair<std::string, std::size_t>> new_matches_;  // (dataset, set) to upsert
  std::map<std::size_t, std::vector<std::string>> moved_;  // set -> datasets whose region changed
};

void StationSync::validate() const {
  const std::string what = "sync_stations of " + source_;
  for (const auto* set : sets_) {
    if (set == nullptr) throw Error(ExitCode::software, what + ": a null region set");
  }
  for (const auto& matched : stations_) {
    const auto& id = matched.station.dataset_id;
    if (store::dataset_key(id).empty()) {
      throw Error(ExitCode::software, what + ": a station without a dataset id");
    }
    if (matched.region_index.size() != sets_.size()) {
      throw Error(ExitCode::software,
                  what + ": station " + id + " is not matched against every region set");
    }
    for (std::size_t set = 0; set < sets_.size(); ++set) {
      const auto& index = matched.region_index[set];
      if (index && *index >= sets_[set]->regions.size()) {
        throw Error(ExitCode::software,
                    what + ": station " + id + " refers to a region its set does not have");
      }
    }
  }
}

std::optional<std::string> StationSync::planned_code(const MatchedStation& station,
                                                     std::size_t set) const {
  const auto& index = station.region_index[set];
  if (!index) return std::nullopt;
  return sets_[set]->regions[*index].code;
}

// A list naming a dataset twice: the later entry wins, as it would have on a second sync.
void StationSync::choose_entries() {
  for (std::size_t i = 0; i < stations_.size(); ++i) {
    chosen_[store::dataset_key(stations_[i].station.dataset_id)] = i;
  }
}

// The source's whole list: a network has tens of stations, not millions.
void StationSync::read_existing() {
  step_ = "reading the stored stations";
  auto stations = store::prepare(connection_,
                                 "SELECT dataset_id, number, commune, type,"
                                 " latitude, longitude, altitude, name FROM weather_stations"
                                 " WHERE source = ? FOR UPDATE");
  Binder(*stations).text(source_);
  auto row = store::run_query(*stations);
  while (row->next()) {
    WeatherStation station{store::text(*row, 1),
                           store::text(*row, 2),
                           store::text(*row, 3),
                           store::text(*row, 4),
                           static_cast<double>(row->getDouble(5)),
                           static_cast<double>(row->getDouble(6)),
                           store::optional_real(*row, 7),
                           store::optional_text(*row, 8).value_or("")};
    stored_[station.dataset_id] = std::move(station);
  }
  auto codes = store::prepare(connection_,
                              "SELECT dataset_id, region_set, region_code FROM station_regions"
                              " WHERE source = ? FOR UPDATE");
  Binder(*codes).text(source_);
  row = store::run_query(*codes);
  while (row->next()) {
    stored_codes_[store::text(*row, 1)][store::text(*row, 2)] = store::optional_text(*row, 3);
  }
}

// Which stations and matches to write, and which stations moved between the regions of a set
// (their observed hours' aggregates must follow them, as a rematched sensor reading's do).
void StationSync::plan() {
  for (const auto& [key, entry] : chosen_) {
    const auto& matched = stations_[entry];
    const auto stored = stored_.find(key);
    if (stored == stored_.end() || !same_station(matched.station, stored->second)) {
      changed_stations_.push_back(key);
    }
    const auto codes = stored_codes_.find(key);
    for (std::size_t set = 0; set < sets_.size(); ++set) {
      const auto planned = planned_code(matched, set);
      const bool known = codes != stored_codes_.end() && codes->second.contains(sets_[set]->name);
      const auto previous = known ? codes->second.at(sets_[set]->name) : std::nullopt;
      if (known && previous == planned) continue;
      new_matches_.emplace_back(key, set);
      // No match and a NULL one both keep the station out of the set's aggregates.
      if (previous != planned) moved_[set].push_back(key);
    }
  }
}

void StationSync::upsert_stations() {
  step_ = "storing the stations";
  const store::MultiRowInsert insert{
      "INSERT INTO weather_stations (source, dataset_id, number, commune, type,"
      " latitude, longitude, altitude, name, updated_at)",
      "(?, ?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(3))",
      "ON DUPLICATE KEY UPDATE number = VALUES(number),"
      " commune = VALUES(commune), type = VALUES(type),"
      " latitude = VALUES(latitude), longitude = VALUES(longitude), altitude = VALUES(altitude),"
      " name = COALESCE(VALUES(name), name), updated_at = VALUES(updated_at)"};
  store::insert_rows(
      connection_, insert, changed_stations_.size(), [&](Binder& binder, std::size_t row) {
        const auto& key = changed_stations_[row];
        const auto& station = stations_[chosen_.at(key)].station;
        binder.text(source_)
            .text(key)
            .text(station.number)
            .text(station.commune)
            .text(station.type)
            .real(station.latitude)
            .real(station.longitude);
        store::bind_measurement(binder, station.altitude);
        binder.optional_text(station.name.empty() ? std::nullopt
                                                  : std::optional<std::string>(station.name));
      });
}

void StationSync::upsert_matches() {
  step_ = "storing the stations' regions";
  const store::MultiRowInsert insert{
      "INSERT INTO station_regions (source, dataset_id, region_set, region_code)", "(?, ?, ?, ?)",
      "ON DUPLICATE KEY UPDATE region_code = VALUES(region_code)"};
  store::insert_rows(connection_, insert, new_matches_.size(),
                     [&](Binder& binder, std::size_t row) {
                       const auto& [key, set] = new_matches_[row];
                       binder.text(source_)
                           .text(key)
                           .text(sets_[set]->name)
                           .optional_text(planned_code(stations_[chosen_.at(key)], set));
                     });
}

// The hours in which these stations measured a temperature.
std::set<UtcSeconds> StationSync::observed_hours(const std::vector<std::string>& keys) {
  std::set<UtcSeconds> hours;
  for (std::size_t first = 0; first < keys.size(); first += kLookupChunk) {
    const std::size_t end = std::min(first + kLookupChunk, keys.size());
    auto statement = store::prepare(
        connection_,
        std::string("SELECT DISTINCT CAST(") + store::kObservationHour +
            " AS CHAR) FROM weather_observations WHERE source = ? AND dataset_id IN (" +
            store::placeholders(end - first) + ") AND temperature_c IS NOT NULL");
    Binder binder(*statement);
    binder.text(source_);
    for (std::size_t i = first; i < end; ++i) binder.text(keys[i]);
    auto row = store::run_query(*statement);
    while (row->next()) hours.insert(parse_sql_datetime(store::text(*row, 1)));
  }
  return hours;
}

// Rare (a station moved, or a set was reloaded with other areas) but possibly long: every hour
// the station measured, in each set where its region changed.
void StationSync::recompute_moved() {
  for (const auto& [set, keys] : moved_) {
    step_ = "finding the hours of the stations that moved in set " + sets_[set]->name;
    const auto hours = observed_hours(keys);
    step_ = "recomputing the aggregates of set " + sets_[set]->name + " for the " +
            std::to_string(hours.size()) + " hour(s) those stations measured";
    store::recompute_region_hours(connection_, sets_[set]->name, hours);
  }
}

void StationSync::sync() {
  choose_entries();
  // As the loads: region set locks first (the aggregates may be recomputed), READ COMMITTED.
  store::Transaction transaction(connection_, store::Transaction::Isolation::read_committed);
  step_ = "locking the region sets";
  store::lock_region_sets(connection_, sets_);
  read_existing();
  plan();
  upsert_stations();
  upsert_matches();
  recompute_moved();
  step_ = "committing";
  transaction.commit();
}

}  // namespace

void sync_stations(Database& db, const std::string& source,
                   const std::vector<const RegionSet*>& region_sets,
                   const std::vector<MatchedStation>& stations) {
  StationSync sync(db.connection(), source, region_sets, stations);
  sync.validate();
  try {
    sync.sync();
  } catch (const sql::SQLException& error) {
    store::throw_error(error, "storing the stations of " + source + ": " + sync.step());
  }
}

}  // namespace meteo
