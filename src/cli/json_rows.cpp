#include "json_rows.hpp"

#include "meteo/core/time.hpp"

namespace meteo {

nlohmann::json optional_json(const std::optional<double>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

nlohmann::json station_hourly_json(const StationHourlyRow& row) {
  return {{"source", row.source},
          {"dataset", row.dataset_id},
          {"station", row.station_number},
          {"commune", row.commune},
          {"hour", to_iso8601(row.hour)},
          {"temperature_mean", optional_json(row.temperature_mean)},
          {"temperature_min", optional_json(row.temperature_min)},
          {"temperature_max", optional_json(row.temperature_max)},
          {"humidity_mean", optional_json(row.humidity_mean)},
          {"pressure_mean", optional_json(row.pressure_mean)},
          {"rain_sum", optional_json(row.rain_sum)},
          {"wind_mean", optional_json(row.wind_mean)},
          {"gust_max", optional_json(row.gust_max)},
          {"observations", row.observations}};
}

}  // namespace meteo
