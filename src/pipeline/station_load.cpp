// A station network's unit loads in one transaction. A dataset of many stations (SYNOP) first
// stores the stations its records named, then loads each station's observations as a batch of its
// own and last the dataset's own state (its rejects and watermark), all in that one transaction:
// the watermark moves only with every station of the window.
#include <iterator>
#include <map>

#include "meteo/geo/match.hpp"
#include "meteo/store/stations.hpp"
#include "unit_load.hpp"

namespace meteo::pipeline {
namespace {

template <class T>
void append(std::vector<T>& to, std::vector<T>&& batch) {
  to.insert(to.end(), std::make_move_iterator(batch.begin()), std::make_move_iterator(batch.end()));
}

// A unit's records, gathered; the stations its records named beside them.
class CollectingSink final : public sources::BatchSink<WeatherObservation> {
 public:
  CollectingSink(StationBatch& batch, std::vector<WeatherStation>& stations)
      : batch_(batch), stations_(stations) {}
  void stations(std::vector<WeatherStation>&& batch) override {
    append(stations_, std::move(batch));
  }
  void records(std::vector<WeatherObservation>&& batch) override {
    append(batch_.observations, std::move(batch));
  }
  void rejected(std::vector<RejectedRecord>&& batch) override {
    append(batch_.rejected, std::move(batch));
  }

 private:
  StationBatch& batch_;
  std::vector<WeatherStation>& stations_;
};

// The observations of other stations than the unit's dataset, by station; the dataset's own stay.
std::map<std::string, std::vector<WeatherObservation>> take_other_stations(StationBatch& batch) {
  std::map<std::string, std::vector<WeatherObservation>> by_station;
  std::vector<WeatherObservation> own;
  for (auto& observation : batch.observations) {
    if (observation.dataset_id == batch.dataset_id) {
      own.push_back(std::move(observation));
    } else {
      by_station[observation.dataset_id].push_back(std::move(observation));
    }
  }
  batch.observations = std::move(own);
  return by_station;
}

// One station of a dataset of many: its observations only; the unit's census, rejects and
// watermark stay with the dataset's batch.
StationBatch station_batch(const StationBatch& unit_batch, const std::string& station,
                           std::vector<WeatherObservation>&& observations) {
  StationBatch batch;
  batch.run_id = unit_batch.run_id;
  batch.source = unit_batch.source;
  batch.dataset_id = station;
  batch.run_hour = unit_batch.run_hour;
  batch.region_sets = unit_batch.region_sets;
  batch.observations = std::move(observations);
  batch.alerts = unit_batch.alerts;
  batch.now = unit_batch.now;
  batch.daily = unit_batch.daily;
  return batch;
}

}  // namespace

RunCounts load_unit(const UnitLoad& load, const sources::FetchUnit& unit,
                    sources::UnitRecords<WeatherObservation>& records,
                    std::optional<HourSpan>& observed) {
  const RunCounts census = records.census();
  StationBatch batch;
  batch.run_id = load.run_id;
  batch.source = load.source.name;
  batch.dataset_id = unit.partition;
  batch.run_hour = load.run_hour;
  batch.region_sets = load.regions.set_pointers();
  batch.fetched = census.fetched;
  batch.watermark = unit.watermark;
  batch.alerts = load.alerts;
  batch.now = load.now;
  batch.daily = load.daily;
  std::vector<WeatherStation> stations;
  CollectingSink collecting(batch, stations);
  records.produce(sources::BatchLimits{}, collecting);
  for (const auto& observation : batch.observations) widen(observed, observation.observed_at);
  if (!stations.empty()) {
    sync_stations(load.db, load.source.name, batch.region_sets,
                  geo::match_stations(std::move(stations), load.regions.matcher_pointers()));
  }
  std::vector<StationBatch> batches;
  for (auto& [station, observations] : take_other_stations(batch)) {
    batches.push_back(station_batch(batch, station, std::move(observations)));
  }
  // A file has no dataset state to keep: only its rejects, if any, are stored.
  const bool is_file = !unit.window && !unit.watermark;
  if (is_file && batch.observations.empty()) batch.dataset_state = false;
  RunCounts counts;
  if (batch.dataset_state || !batch.rejected.empty()) {
    batches.push_back(std::move(batch));
  } else {
    counts.fetched = batch.fetched;  // no batch of its own counts them
  }
  counts += load_station_batches(load.db, batches);
  counts.duplicates += census.duplicates;
  return counts;
}

}  // namespace meteo::pipeline
