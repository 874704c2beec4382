// Private to the dashboard: data/alerts.json and the forecast fields of data/stations.json
// (docs/dashboard-data.md), built from the store's alert and forecast readers (schema 8).
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "meteo/core/time.hpp"
#include "meteo/store/database.hpp"

namespace meteo::dashboard {

// Shown with every alert: the tool derives them from measurements, no authority issues them.
inline constexpr const char* kAlertNote = "indicative, not official vigilance";

// True when the database has the alerts and forecasts tables (schema version 8 and later).
bool has_alerts_and_forecasts(Database& db);

// data/alerts.json: the active alerts and those overlapping [span_start, now) that were not
// withdrawn, newest first. `places` names a scope ("station:<dataset_id>",
// "air_quality_station:<code>"); an unnamed scope is shown by its id.
nlohmann::json alerts_json(Database& db, UtcSeconds span_start,
                           const std::map<std::string, std::string>& places);

// Per dataset of `source`: {"forecast": [...], "tomorrow_maximum": {...} or null}, from each
// station's latest issue (shown models only).
std::map<std::string, nlohmann::json> station_forecasts(Database& db, const std::string& source);

}  // namespace meteo::dashboard
