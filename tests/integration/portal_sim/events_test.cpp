// --events: values planted in the generated series, in the portal's own fields and units.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "paths.hpp"
#include "portal_client.hpp"
#include "portal_sim.hpp"

namespace meteo::testing {
namespace {

namespace fs = std::filesystem;
using portal::get;
using portal::kMeteopole;
using portal::ordered_json;
using portal::unix_seconds;

constexpr const char* kLardenne = "51-station-meteo-toulouse-lardenne";

// The records of one dataset by their UTC instant.
std::map<std::int64_t, ordered_json> records_of(const PortalSim& portal,
                                                const std::string& dataset) {
  const auto answer = get(portal.base_url(), portal::dataset_path(dataset, "exports/json"));
  if (answer.status != 200) throw std::runtime_error("export failed: " + answer.body);
  std::map<std::int64_t, ordered_json> records;
  for (const auto& record : answer.json()) {
    records[unix_seconds(record.at("heure_utc").get<std::string>())] = record;
  }
  return records;
}

TEST(PortalSimEvents, PlantedValuesReplaceTheGeneratedOnesInTheirWindowOnly) {
  METEO_SKIP_WITHOUT_SHARED_DATA("toulouse/stations-meteo-en-place.exports.json",
                                 "toulouse/catalog-v1-search-q-meteo.json");
  const fs::path events =
      fs::temp_directory_path() / ("meteo-portal-events-" + std::to_string(::getpid()) + ".json");
  std::ofstream(events) << R"([
    {"dataset": "01-station-meteo-toulouse-meteopole", "from": "2026-11-21T06:00:00Z",
     "to": "2026-11-21T06:15:00Z", "field": "gust", "value": 105},
    {"dataset": "01-station-meteo-toulouse-meteopole", "from": "2026-11-21T10:00:00Z",
     "to": "2026-11-21T11:00:00Z", "field": "wind", "value": 60},
    {"dataset": "01-station-meteo-toulouse-meteopole", "from": "2026-11-21T20:00:00Z",
     "to": "2026-11-21T21:00:00Z", "field": "rain", "value": 7},
    {"dataset": "51-station-meteo-toulouse-lardenne", "from": "2026-11-20T18:00:00Z",
     "to": "2026-11-22T06:00:00Z", "field": "temperature", "daily_min": 21.5, "daily_max": 36.5}
  ])";
  PortalSimOptions planted_options;
  planted_options.events_file = events.string();
  PortalSim planted(planted_options);
  PortalSim plain;
  fs::remove(events);

  const auto at = [](const char* iso) { return unix_seconds(iso); };
  const auto meteopole = records_of(planted, kMeteopole);
  const auto meteopole_plain = records_of(plain, kMeteopole);
  EXPECT_EQ(meteopole.at(at("2026-11-21T06:00:00+00:00")).at("force_rafale_max"), 105);
  EXPECT_EQ(meteopole.at(at("2026-11-21T06:15:00+00:00")),
            meteopole_plain.at(at("2026-11-21T06:15:00+00:00")))
      << "to is exclusive";
  for (const char* quarter : {"2026-11-21T10:00:00+00:00", "2026-11-21T10:45:00+00:00"}) {
    const auto& record = meteopole.at(at(quarter));
    EXPECT_EQ(record.at("force_moyenne_du_vecteur_vent"), 60) << quarter;
    EXPECT_GE(record.at("force_rafale_max").get<int>(), 60) << "a gust is never below the wind";
  }
  const auto& wet = meteopole.at(at("2026-11-21T20:00:00+00:00"));
  EXPECT_DOUBLE_EQ(wet.at("pluie").get<double>(), 7.0);
  EXPECT_LE(wet.at("pluie_intensite_max").get<double>(), 7.0);

  const auto lardenne = records_of(planted, kLardenne);
  EXPECT_DOUBLE_EQ(lardenne.at(at("2026-11-21T05:00:00+00:00")).at("temperature_en_degre_c"), 21.5);
  EXPECT_DOUBLE_EQ(lardenne.at(at("2026-11-21T15:00:00+00:00")).at("temperature_en_degre_c"), 36.5);
  double lowest = 100, highest = -100;
  for (const auto& [instant, record] : lardenne) {
    if (instant < at("2026-11-20T18:00:00+00:00") || instant >= at("2026-11-22T06:00:00+00:00")) {
      continue;
    }
    lowest = std::min(lowest, record.at("temperature_en_degre_c").get<double>());
    highest = std::max(highest, record.at("temperature_en_degre_c").get<double>());
  }
  EXPECT_DOUBLE_EQ(lowest, 21.5);
  EXPECT_DOUBLE_EQ(highest, 36.5);
  EXPECT_EQ(records_of(plain, kLardenne).size(), lardenne.size()) << "the same records";
}

}  // namespace
}  // namespace meteo::testing
