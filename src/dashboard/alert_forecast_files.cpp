#include "alert_forecast_files.hpp"

#include "meteo/store/alerts.hpp"
#include "meteo/store/forecasts.hpp"
#include "meteo/store/reports.hpp"

namespace meteo::dashboard {
namespace {

using nlohmann::json;

// Far more than a week of alerts of one network; the file stays small.
constexpr std::size_t kAlertLimit = 1000;

json optional_json(const std::optional<double>& value) {
  return value ? json(*value) : json(nullptr);
}

std::string place_of(const AlertRow& alert, const std::map<std::string, std::string>& places) {
  const auto found = places.find(alert.scope_type + ":" + alert.scope_id);
  return found == places.end() || found->second.empty() ? alert.scope_id : found->second;
}

json alert_json(const AlertRow& alert, const std::map<std::string, std::string>& places) {
  return {{"kind", alert.kind},
          {"level", alert.level},
          {"level_rank", alert.level_rank},
          {"scope_type", alert.scope_type},
          {"source", alert.source},
          {"scope_id", alert.scope_id},
          {"place", place_of(alert, places)},
          {"start", to_iso8601(alert.start)},
          {"end", alert.end ? json(to_iso8601(*alert.end)) : json(nullptr)},
          {"active", !alert.end.has_value()},
          {"peak", alert.peak_value},
          {"peak_at", to_iso8601(alert.peak_at)},
          {"unit", alert.unit},
          {"threshold", alert.threshold},
          {"note", kAlertNote}};
}

json forecast_point_json(const ShownForecastRow& row) {
  return {{"target_time", to_iso8601(row.target_time)},
          {"horizon_h", row.horizon_h},
          {"value", row.value},
          {"model", row.model},
          {"mae", optional_json(row.backtest_mae)}};
}

}  // namespace

bool has_alerts_and_forecasts(Database& db) {
  return read_status(db, 1).schema_version >= kAlertsSchemaVersion;
}

json alerts_json(Database& db, UtcSeconds span_start,
                 const std::map<std::string, std::string>& places) {
  AlertFilter filter;
  filter.from = span_start;  // open alerts overlap any span: the active ones are in
  filter.limit = kAlertLimit;
  json alerts = json::array();
  for (const AlertRow& alert : query_alerts(db, filter))
    alerts.push_back(alert_json(alert, places));
  return {{"note", kAlertNote}, {"alerts", alerts}};
}

std::map<std::string, json> station_forecasts(Database& db, const std::string& source) {
  std::map<std::string, json> by_dataset;
  for (const ShownForecastRow& row : query_latest_forecasts(db)) {
    if (row.source != source) continue;
    json& station = by_dataset[row.dataset_id];
    if (station.is_null()) station = {{"forecast", json::array()}, {"tomorrow_maximum", nullptr}};
    if (row.quantity == "temperature") {
      station["forecast"].push_back(forecast_point_json(row));  // rows come by horizon
    } else if (row.quantity == "day_maximum") {
      station["tomorrow_maximum"] = forecast_point_json(row);
    }
  }
  return by_dataset;
}

}  // namespace meteo::dashboard
