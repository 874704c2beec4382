#include "meteo/core/errors.hpp"
#include "meteo/store/stations.hpp"
#include "unit_load.hpp"

namespace meteo::pipeline {
namespace {

// A window's records, gathered into the one batch its transaction loads.
class CollectingSink final : public sources::BatchSink<WeatherObservation> {
 public:
  explicit CollectingSink(StationBatch& batch) : batch_(batch) {}
  // A station network's list comes with the plan and is stored before its units.
  void stations(std::vector<WeatherStation>&&) override {
    throw Error(ExitCode::software,
                "a station network's unit handed over stations: its list comes with the plan");
  }
  void records(std::vector<WeatherObservation>&& batch) override {
    batch_.observations.insert(batch_.observations.end(), std::make_move_iterator(batch.begin()),
                               std::make_move_iterator(batch.end()));
  }
  void rejected(std::vector<RejectedRecord>&& batch) override {
    batch_.rejected.insert(batch_.rejected.end(), std::make_move_iterator(batch.begin()),
                           std::make_move_iterator(batch.end()));
  }

 private:
  StationBatch& batch_;
};

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
  CollectingSink collecting(batch);
  records.produce(sources::BatchLimits{}, collecting);
  for (const auto& observation : batch.observations) widen(observed, observation.observed_at);
  RunCounts counts = load_station_batch(load.db, batch);
  counts.duplicates += census.duplicates;
  return counts;
}

}  // namespace meteo::pipeline
