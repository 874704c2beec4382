// Known events planted in the generated series (--events FILE), so that tests can expect an
// alert: each one overrides a field of every record of one dataset in [from, to).
#pragma once

#include <string>
#include <vector>

#include "civil_time.hpp"
#include "weather_model.hpp"

namespace portal_sim {

enum class PlantedField { gust, wind, temperature, rain };

struct PlantedEvent {
  std::string dataset;  // the dataset id as served
  Seconds from = 0;
  Seconds to = 0;  // exclusive
  PlantedField field = PlantedField::temperature;
  double value = 0;
  // A temperature event may instead give a daily curve: its minimum at 05:00 UTC, its maximum
  // at 15:00 UTC (ten hours of warming, fourteen of cooling).
  bool daily_curve = false;
  double daily_min = 0;
  double daily_max = 0;
};

// The events of a JSON array file: [{"dataset", "from", "to", "field", "value"}, ...], or for a
// temperature {"daily_min", "daily_max"} instead of "value". Gust and wind are km/h, rain mm in
// the quarter-hour, temperatures °C, as the portal serves them. Throws std::runtime_error naming
// the file and the entry when it is malformed.
std::vector<PlantedEvent> load_planted_events(const std::string& path);

// The reading with every event of `dataset` covering `at` applied, in file order. A planted wind
// raises the gust to at least the wind, a planted rain caps the wettest minute at the rain.
void apply_planted_events(const std::vector<PlantedEvent>& events, const std::string& dataset,
                          Seconds at, Reading& reading);

}  // namespace portal_sim
