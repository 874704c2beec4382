// An air-quality unit (a layer's window, or a file): its stations matched to the source's region
// sets, then everything in the one transaction of store::load_air_quality_batch.
#include <spdlog/spdlog.h>

#include <iterator>

#include "meteo/geo/regions.hpp"
#include "meteo/store/air_quality.hpp"
#include "unit_load.hpp"

namespace meteo::pipeline {
namespace {

// The partition of `ingest --file`'s one unit (ingest_job.cpp).
constexpr std::string_view kFilePartition = "file";

template <class T>
void append(std::vector<T>& to, std::vector<T>&& batch) {
  to.insert(to.end(), std::make_move_iterator(batch.begin()), std::make_move_iterator(batch.end()));
}

// A unit's records, gathered into the one batch its transaction loads; stations matched as they
// come (each once per unit).
class CollectingSink final : public sources::BatchSink<AirQualityMeasurement> {
 public:
  CollectingSink(AirQualityBatch& batch, const SourceRegions& regions)
      : batch_(batch), matchers_(regions.matcher_pointers()) {}

  void stations(std::vector<AirQualityStation>&& batch) override {
    for (auto& station : batch) {
      MatchedAirQualityStation matched{std::move(station), {}};
      for (const RegionMatcher* matcher : matchers_) {
        matched.region_index.push_back(
            matcher->match(matched.station.longitude, matched.station.latitude));
      }
      batch_.stations.push_back(std::move(matched));
    }
  }
  void records(std::vector<AirQualityMeasurement>&& batch) override {
    append(batch_.measurements, std::move(batch));
  }
  void rejected(std::vector<RejectedRecord>&& batch) override {
    append(batch_.rejected, std::move(batch));
  }

 private:
  AirQualityBatch& batch_;
  std::vector<const RegionMatcher*> matchers_;
};

// A file has no layer: its rejects name the file (the unit's label, "file <path>") instead.
std::string reason_prefix(const sources::FetchUnit& unit) {
  if (unit.partition != kFilePartition || unit.window) return {};
  return unit.label + ": ";
}

}  // namespace

RunCounts load_unit(const UnitLoad& load, const sources::FetchUnit& unit,
                    sources::UnitRecords<AirQualityMeasurement>& records,
                    std::optional<HourSpan>& observed) {
  const RunCounts census = records.census();
  AirQualityBatch batch;
  batch.run_id = load.run_id;
  batch.source = load.source.name;
  batch.layer = unit.partition.empty() ? std::string(kFilePartition) : unit.partition;
  batch.run_hour = load.run_hour;
  batch.region_sets = load.regions.set_pointers();
  batch.reason_prefix = reason_prefix(unit);
  batch.fetched = census.fetched;
  batch.watermark = unit.watermark;
  if (load.source.air_quality && !load.source.air_quality->weather_source.empty()) {
    batch.weather_source = load.source.air_quality->weather_source;
    batch.max_pair_distance_km = load.source.air_quality->max_pair_distance_km;
  }
  batch.alerts = load.alerts;
  batch.now = load.now;
  CollectingSink collecting(batch, load.regions);
  records.produce(sources::BatchLimits{}, collecting);
  for (const auto& measurement : batch.measurements) widen(observed, measurement.measured_at);
  RunCounts counts = load_air_quality_batch(load.db, batch);
  counts.duplicates += census.duplicates;
  counts.kept_negative += census.kept_negative;
  return counts;
}

}  // namespace meteo::pipeline
