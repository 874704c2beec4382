#include "normalised_files.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>

#include "meteo/core/names.hpp"

namespace meteo::dashboard {
namespace {

using nlohmann::json;

std::string day_of(UtcSeconds moment) {
  return to_iso8601(moment).substr(0, 10);
}

UtcSeconds midnight_of(const std::string& day) {
  return parse_sql_datetime(day + " 00:00:00");
}

// Every day from `first` to `last` ("YYYY-MM-DD", both included).
std::vector<std::string> days_between(const std::string& first, const std::string& last) {
  std::vector<std::string> days;
  const UtcSeconds end = midnight_of(last);
  for (UtcSeconds day = midnight_of(first); day <= end; day += std::chrono::hours(24)) {
    days.push_back(day_of(day));
  }
  return days;
}

// The columns of `rows` (ascending days) on every day between their first and last, null where
// a day has no row: a gap stays a gap on the chart.
template <class Row>
json daily_columns(const std::vector<Row>& rows,
                   const std::vector<std::pair<const char*, json (*)(const Row&)>>& columns) {
  json out = json::object();
  if (rows.empty()) {
    out["days"] = json::array();
    for (const auto& [name, value] : columns) out[name] = json::array();
    return out;
  }
  std::map<std::string, const Row*> by_day;
  for (const Row& row : rows) by_day[row.day] = &row;
  const auto days = days_between(by_day.begin()->first, by_day.rbegin()->first);
  out["days"] = days;
  for (const auto& [name, value] : columns) {
    json column = json::array();
    for (const auto& day : days) {
      const auto found = by_day.find(day);
      column.push_back(found == by_day.end() ? json(nullptr) : value(*found->second));
    }
    out[name] = column;
  }
  return out;
}

json model_json(const NormalisationModelRow& model) {
  return {{"learner", model.learner},
          {"parameters", model.parameters},
          {"seed", model.seed},
          {"threads", model.threads},
          {"weather_source", model.weather_source},
          {"weather_station", model.weather_dataset},
          {"training_from", to_iso8601(model.training_from)},
          {"training_to", to_iso8601(model.training_to)},
          {"training_hours", model.training_hours},
          {"holdout_hours", model.holdout_hours},
          {"r2", model.r2},
          {"rmse_ugm3", model.rmse_ugm3},
          {"run_id", model.run_id},
          {"created_at", to_iso8601(model.created_at)}};
}

bool concerns(const analysis::Intervention& intervention, const std::string& station) {
  const auto& codes = intervention.station_codes;
  return codes.empty() || std::find(codes.begin(), codes.end(), station) != codes.end();
}

json effect_json(const InterventionEffectRow& effect) {
  return {{"method", effect.method},
          {"hours_before", effect.hours_before},
          {"hours_after", effect.hours_after},
          {"raw_effect_percent", effect.raw_effect_percent},
          {"effect_percent", effect.effect_percent},
          {"effect_ci_low_percent", effect.effect_ci_low_percent},
          {"effect_ci_high_percent", effect.effect_ci_high_percent}};
}

}  // namespace

json normalised_pollutant_json(const NormalisationModelRow& model,
                               const std::vector<NormalisedDayRow>& days,
                               const std::vector<analysis::Intervention>& interventions,
                               const std::vector<InterventionEffectRow>& effects) {
  using Column = std::pair<const char*, json (*)(const NormalisedDayRow&)>;
  json out = daily_columns<NormalisedDayRow>(
      days,
      {Column{"observed_ugm3", [](const NormalisedDayRow& r) { return json(r.observed_ugm3); }},
       Column{"normalised_ugm3", [](const NormalisedDayRow& r) { return json(r.normalised_ugm3); }},
       Column{"predicted_ugm3", [](const NormalisedDayRow& r) { return json(r.predicted_ugm3); }},
       Column{"hours", [](const NormalisedDayRow& r) { return json(r.hours); }}});
  out["model"] = model_json(model);
  std::vector<const analysis::Intervention*> concerning;
  for (const auto& intervention : interventions) {
    if (concerns(intervention, model.station_code)) concerning.push_back(&intervention);
  }
  std::stable_sort(concerning.begin(), concerning.end(),
                   [](const auto* a, const auto* b) { return a->date < b->date; });
  json listed = json::array();
  for (const auto* intervention : concerning) {
    // An effect estimated for another date is not this intervention's: the configuration
    // changed since the analysis ran.
    const auto effect = std::find_if(effects.begin(), effects.end(), [&](const auto& row) {
      return row.station_code == model.station_code && row.pollutant == model.pollutant &&
             row.intervention == intervention->name && row.intervention_date == intervention->date;
    });
    listed.push_back({{"name", intervention->name},
                      {"date", day_of(intervention->date)},
                      {"description", intervention->description},
                      {"effect", effect == effects.end() ? json(nullptr) : effect_json(*effect)}});
  }
  out["interventions"] = listed;
  return out;
}

std::optional<json> increment_json(const std::string& source,
                                   const std::vector<IncrementDayRow>& rows) {
  if (rows.empty()) return std::nullopt;
  std::map<std::string, std::vector<IncrementDayRow>> by_pollutant;
  for (const auto& row : rows) by_pollutant[row.pollutant].push_back(row);
  using Column = std::pair<const char*, json (*)(const IncrementDayRow&)>;
  json pollutants = json::object();
  for (const auto& [pollutant, days] : by_pollutant) {
    pollutants[pollutant] = daily_columns<IncrementDayRow>(
        days, {Column{"increment_ugm3",
                      [](const IncrementDayRow& r) { return json(r.increment_ugm3()); }},
               Column{"traffic_mean_ugm3",
                      [](const IncrementDayRow& r) { return json(r.traffic_mean_ugm3); }},
               Column{"background_mean_ugm3",
                      [](const IncrementDayRow& r) { return json(r.background_mean_ugm3); }},
               Column{"traffic_stations",
                      [](const IncrementDayRow& r) { return json(r.traffic_stations); }},
               Column{"background_stations",
                      [](const IncrementDayRow& r) { return json(r.background_stations); }}});
  }
  return json{{"source", source},
              {"traffic_influence", "Trafic"},
              {"background_influence", "Fond"},
              {"pollutants", pollutants}};
}

std::optional<NormalisedFiles> normalised_files(
    Database& db, const std::string& source,
    const std::vector<analysis::Intervention>& interventions, spdlog::logger& log) {
  const auto models = query_normalisation_models(db, source);
  if (models.empty()) return std::nullopt;
  const auto effects = query_intervention_effects(db, source);
  std::map<std::string, std::vector<const NormalisationModelRow*>> by_station;
  for (const auto& model : models) by_station[model.station_code].push_back(&model);
  NormalisedFiles files;
  for (const auto& [code, station_models] : by_station) {
    // A code becomes a file name: one that could leave the directory gets no file.
    if (!is_plain_name(code)) {
      log.warn("dashboard: air-quality station code {} is not a plain name: no normalised file",
               code);
      continue;
    }
    const std::string& name = station_models.front()->station_name;
    json pollutants = json::object();
    json names = json::array();
    for (const auto* model : station_models) {
      pollutants[model->pollutant] = normalised_pollutant_json(
          *model, query_normalised_days(db, source, code, model->pollutant), interventions,
          effects);
      names.push_back(model->pollutant);
    }
    const std::string file = "air-quality/normalised/" + code + ".json";
    files.stations.emplace_back(
        code, json{{"source", source}, {"code", code}, {"name", name}, {"pollutants", pollutants}});
    files.list.push_back({{"code", code}, {"name", name}, {"file", file}, {"pollutants", names}});
  }
  if (files.stations.empty()) return std::nullopt;
  return files;
}

}  // namespace meteo::dashboard
