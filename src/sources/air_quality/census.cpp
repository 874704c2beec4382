#include "census.hpp"

#include <utility>

namespace meteo::air_quality {

bool supersedes(const AirQualityMeasurement& candidate, const AirQualityMeasurement& kept) {
  if (candidate.validated != kept.validated) return candidate.validated;
  return candidate.object_id > kept.object_id;
}

void Census::keep(ValidRecord&& record) {
  keep_station(std::move(record.station));
  keep_measurement(std::move(record.measurement));
}

void Census::keep_station(AirQualityStation&& station) {
  // A station's attributes are constant across its records in the data seen: the first wins.
  if (station_at_.emplace(station.code, parsed_.stations.size()).second) {
    parsed_.stations.push_back(std::move(station));
  }
}

void Census::keep_measurement(AirQualityMeasurement&& measurement) {
  Key key{measurement.station_code, measurement.pollutant, measurement.measured_at};
  const auto [it, inserted] = measurement_at_.emplace(std::move(key), parsed_.measurements.size());
  if (inserted) {
    parsed_.measurements.push_back(std::move(measurement));
    return;
  }
  ++parsed_.duplicates;
  auto& kept = parsed_.measurements[it->second];
  if (supersedes(measurement, kept)) kept = std::move(measurement);
}

void Census::absorb(ParsedAirQuality&& page, std::size_t position_offset) {
  parsed_.record_count += page.record_count;
  parsed_.duplicates += page.duplicates;
  for (auto& station : page.stations) keep_station(std::move(station));
  for (auto& measurement : page.measurements) keep_measurement(std::move(measurement));
  for (auto& reject : page.rejected) {
    reject.position += position_offset;
    parsed_.rejected.push_back(std::move(reject));
  }
}

ParsedAirQuality Census::finish() && {
  // Counted on what is kept: a negative value replaced by its correction is not one.
  for (const auto& measurement : parsed_.measurements) {
    if (measurement.value_ugm3 < 0) ++parsed_.kept_negative;
  }
  return std::move(parsed_);
}

}  // namespace meteo::air_quality
