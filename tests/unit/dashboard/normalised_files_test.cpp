// The "did it work?" documents built from rows, without a database: gaps, and which effect an
// intervention gets.
#include "normalised_files.hpp"

#include <gtest/gtest.h>

namespace meteo::dashboard {
namespace {

using nlohmann::json;

UtcSeconds midnight(const std::string& day) {
  return parse_sql_datetime(day + " 00:00:00");
}

NormalisationModelRow model(const std::string& station, const std::string& pollutant) {
  NormalisationModelRow row;
  row.source = "atmo";
  row.station_code = station;
  row.pollutant = pollutant;
  row.training_from = midnight("2026-01-01");
  row.training_to = midnight("2026-02-01");
  row.created_at = midnight("2026-02-02");
  return row;
}

InterventionEffectRow effect(const std::string& station, const std::string& pollutant,
                             const std::string& name, const std::string& day, double percent) {
  InterventionEffectRow row;
  row.source = "atmo";
  row.station_code = station;
  row.pollutant = pollutant;
  row.intervention = name;
  row.intervention_date = midnight(day);
  row.method = "normalised";
  row.effect_percent = percent;
  return row;
}

TEST(NormalisedFiles, EveryDayBetweenTheFirstAndTheLastWithNullGaps) {
  const json out = normalised_pollutant_json(
      model("FR1", "NO2"), {{"2026-02-27", 10, 11, 12, 24}, {"2026-03-02", 20, 21, 22, 18}}, {},
      {});
  EXPECT_EQ(out["days"], (json{"2026-02-27", "2026-02-28", "2026-03-01", "2026-03-02"}));
  EXPECT_EQ(out["observed_ugm3"], (json{10.0, nullptr, nullptr, 20.0}));
  EXPECT_EQ(out["predicted_ugm3"], (json{11.0, nullptr, nullptr, 21.0}));
  EXPECT_EQ(out["normalised_ugm3"], (json{12.0, nullptr, nullptr, 22.0}));
  EXPECT_EQ(out["hours"], (json{24, nullptr, nullptr, 18}));
  EXPECT_EQ(out["interventions"], json::array());
}

TEST(NormalisedFiles, EachInterventionGetsTheEffectOfItsStationPollutantNameAndDate) {
  const std::vector<analysis::Intervention> interventions{
      {"B", midnight("2026-03-01"), {}, "all stations"},
      {"A", midnight("2026-02-01"), {"FR2", "FR1"}, "named"},
      {"C", midnight("2026-01-01"), {"FR2"}, "another station"},
      {"D", midnight("2026-04-01"), {}, "estimated for another date"}};
  const std::vector<InterventionEffectRow> effects{
      effect("FR1", "PM10", "A", "2026-02-01", -1),  // another pollutant
      effect("FR2", "NO2", "A", "2026-02-01", -2),   // another station
      effect("FR1", "NO2", "A", "2026-02-01", -3),   // this one
      effect("FR1", "NO2", "D", "2026-03-15", -4)};  // stale
  const json out = normalised_pollutant_json(model("FR1", "NO2"), {}, interventions, effects);
  EXPECT_EQ(out["days"], json::array());
  const json& listed = out["interventions"];
  ASSERT_EQ(listed.size(), 3u) << listed.dump(2);
  EXPECT_EQ(listed[0]["name"], "A");
  EXPECT_EQ(listed[0]["date"], "2026-02-01");
  EXPECT_EQ(listed[0]["description"], "named");
  EXPECT_EQ(listed[0]["effect"]["effect_percent"], -3.0);
  EXPECT_EQ(listed[1]["name"], "B");
  EXPECT_TRUE(listed[1]["effect"].is_null());
  EXPECT_EQ(listed[2]["name"], "D");
  EXPECT_TRUE(listed[2]["effect"].is_null());
}

TEST(NormalisedFiles, IncrementPerPollutantWithGapsAndNothingWithoutRows) {
  EXPECT_FALSE(increment_json("atmo", {}).has_value());
  const auto out = increment_json("atmo", {{"NO2", "2026-02-01", 50, 20, 2, 1},
                                           {"NO2", "2026-02-03", 40, 25, 1, 1},
                                           {"PM10", "2026-02-02", 30, 10, 1, 2}});
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ((*out)["source"], "atmo");
  const json& no2 = (*out)["pollutants"]["NO2"];
  EXPECT_EQ(no2["days"], (json{"2026-02-01", "2026-02-02", "2026-02-03"}));
  EXPECT_EQ(no2["increment_ugm3"], (json{30.0, nullptr, 15.0}));
  EXPECT_EQ(no2["traffic_stations"], (json{2, nullptr, 1}));
  const json& pm10 = (*out)["pollutants"]["PM10"];
  EXPECT_EQ(pm10["days"], (json{"2026-02-02"}));
  EXPECT_EQ(pm10["background_mean_ugm3"], (json{10.0}));
  EXPECT_EQ(pm10["background_stations"], (json{2}));
}

}  // namespace
}  // namespace meteo::dashboard
