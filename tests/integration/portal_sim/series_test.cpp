// The generated series: the real record shape, the quarter-hour grid with its gaps and repeats,
// Paris time with summer time, a believable climate, and determinism.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "paths.hpp"
#include "portal_client.hpp"
#include "portal_sim.hpp"

namespace meteo::testing {
namespace {

using portal::get;
using portal::kMeteopole;
using portal::ordered_json;
using portal::unix_seconds;

constexpr std::int64_t kQuarterHour = 900;
constexpr std::int64_t kDay = 86400;

ordered_json export_of(const PortalSim& portal, const std::string& dataset,
                       const std::string& query = "") {
  const auto answer = get(portal.base_url(), portal::dataset_path(dataset, "exports/json", query));
  if (answer.status != 200) throw std::runtime_error("export failed: " + answer.body);
  return answer.json();
}

std::string export_text(const PortalSim& portal, const std::string& dataset) {
  return get(portal.base_url(), portal::dataset_path(dataset, "exports/json")).body;
}

bool has_one_decimal_at_most(double value) {
  return std::fabs(value * 10 - std::round(value * 10)) < 1e-6;
}

TEST(PortalSimSeries, RecordsHaveTheRealPortalShape) {
  METEO_SKIP_WITHOUT_SHARED_DATA("toulouse/stations-meteo-en-place.exports.json",
                                 "toulouse/catalog-v1-search-q-meteo.json");
  PortalSim portal;
  const auto records = export_of(portal, kMeteopole);
  ASSERT_FALSE(records.empty());
  const std::regex hex("[0-9a-f]+");
  for (const auto& r : records) {
    ASSERT_EQ(r.size(), 15u);
    EXPECT_EQ(r.begin().key(), "data");
    EXPECT_TRUE(std::regex_match(r.at("data").get<std::string>(), hex));
    EXPECT_EQ(r.at("id"), 1);
    EXPECT_TRUE(r.at("humidite").is_number_integer());
    EXPECT_GE(r.at("humidite").get<int>(), 0);
    EXPECT_LE(r.at("humidite").get<int>(), 100);
    EXPECT_TRUE(r.at("pression").is_number_integer());
    EXPECT_NEAR(r.at("pression").get<int>(), 100000, 3000);
    const double rain = r.at("pluie");
    EXPECT_GE(rain, 0);
    EXPECT_NEAR(rain / 0.2, std::round(rain / 0.2), 1e-6) << "tipping-bucket steps";
    EXPECT_LE(r.at("pluie_intensite_max").get<double>(), rain + 1e-9);
    EXPECT_GE(r.at("force_rafale_max").get<int>(),
              r.at("force_moyenne_du_vecteur_vent").get<int>());
    const int sector = r.at("direction_du_vecteur_de_vent_max");
    EXPECT_GE(sector, 0);
    EXPECT_LE(sector, 15);
    EXPECT_DOUBLE_EQ(r.at("direction_du_vecteur_de_vent_max_en_degres").get<double>(),
                     sector * 22.5);
    EXPECT_GE(r.at("direction_du_vecteur_vent_moyen").get<int>(), 0);
    EXPECT_LT(r.at("direction_du_vecteur_vent_moyen").get<int>(), 360);
    EXPECT_TRUE(r.at("type_de_station").is_string());
    EXPECT_TRUE(has_one_decimal_at_most(r.at("temperature_en_degre_c")));

    const std::string paris = r.at("heure_de_paris");
    const std::string utc = r.at("heure_utc");
    EXPECT_EQ(paris.substr(19), "+01:00") << "November is winter time";
    EXPECT_EQ(utc.substr(19), "+00:00");
    EXPECT_EQ(unix_seconds(paris), unix_seconds(utc));
  }
}

TEST(PortalSimSeries, QuarterHoursFromFromUntilNowWithFewGapsAndOneRepeatADay) {
  METEO_SKIP_WITHOUT_SHARED_DATA("toulouse/stations-meteo-en-place.exports.json",
                                 "toulouse/catalog-v1-search-q-meteo.json");
  PortalSim portal;  // from 2026-11-20T00:00Z, now 2026-11-22T06:00Z
  const auto from = unix_seconds("2026-11-20T00:00:00Z");
  const auto now = unix_seconds("2026-11-22T06:00:00Z");
  const std::int64_t slots = (now - from) / kQuarterHour;
  int total_gaps = 0;
  for (const char* dataset :
       {"01-station-meteo-toulouse-meteopole", "51-station-meteo-toulouse-lardenne"}) {
    const auto records = export_of(portal, dataset);
    ASSERT_GE(records.size(), 3u);
    EXPECT_EQ(unix_seconds(records.front().at("heure_utc")), from) << "the first record is --from";
    EXPECT_EQ(unix_seconds(records.back().at("heure_utc")), now + 2 * kDay) << "the future row";

    std::set<std::int64_t> seen;
    std::map<std::int64_t, int> repeats_per_day;
    for (std::size_t i = 0; i + 1 < records.size(); ++i) {  // all but the future row
      const auto at = unix_seconds(records[i].at("heure_utc"));
      EXPECT_EQ((at - from) % kQuarterHour, 0);
      EXPECT_GE(at, from);
      EXPECT_LT(at, now) << "--now is exclusive";
      if (i > 0) {
        EXPECT_GE(at, unix_seconds(records[i - 1].at("heure_utc"))) << "in time order";
        if (records[i] == records[i - 1]) ++repeats_per_day[at / kDay];
      }
      seen.insert(at);
    }
    // Two whole UTC days (the 20th and 21st): exactly one repeated record each.
    EXPECT_EQ(repeats_per_day[from / kDay], 1) << dataset;
    EXPECT_EQ(repeats_per_day[from / kDay + 1], 1) << dataset;
    const auto gaps = slots - static_cast<std::int64_t>(seen.size());
    EXPECT_LE(gaps, slots / 10) << "about 2% of slots are missing";
    total_gaps += static_cast<int>(gaps);
  }
  EXPECT_GT(total_gaps, 0) << "the series have gaps";
}

TEST(PortalSimSeries, ParisTimeSwitchesToSummerTimeOnTheLastSundayOfMarch) {
  METEO_SKIP_WITHOUT_SHARED_DATA("toulouse/stations-meteo-en-place.exports.json",
                                 "toulouse/catalog-v1-search-q-meteo.json");
  PortalSimOptions options;
  options.from = "2026-03-29T00:00:00Z";
  options.now = "2026-03-29T03:00:00Z";
  options.future_row = false;
  PortalSim portal(options);
  const auto records = export_of(portal, kMeteopole);
  ASSERT_FALSE(records.empty());
  for (const auto& r : records) {
    const std::string utc = r.at("heure_utc");
    const std::string paris = r.at("heure_de_paris");
    const bool summer = unix_seconds(utc) >= unix_seconds("2026-03-29T01:00:00Z");
    EXPECT_EQ(paris.substr(19), summer ? "+02:00" : "+01:00") << utc;
    EXPECT_EQ(unix_seconds(paris), unix_seconds(utc));
  }
  EXPECT_EQ(records.front().at("heure_de_paris"), "2026-03-29T01:00:00+01:00");
  // 01:00 UTC is 03:00 summer time: the local clock skips 02:xx.
  const auto at_switch = export_of(
      portal, kMeteopole, "where=" + portal::encode("heure_de_paris = date'2026-03-29T01:00:00Z'"));
  ASSERT_FALSE(at_switch.empty());
  EXPECT_EQ(at_switch[0].at("heure_de_paris"), "2026-03-29T03:00:00+02:00");
  for (const auto& r : records) {
    EXPECT_NE(r.at("heure_de_paris").get<std::string>().substr(11, 2), "02");
  }

  options.from = "2026-10-25T00:00:00Z";  // the last Sunday of October: back to +01:00 at 01:00Z
  options.now = "2026-10-25T02:00:00Z";
  PortalSim autumn(options);
  const auto october = export_of(autumn, kMeteopole);
  ASSERT_FALSE(october.empty());
  EXPECT_EQ(october.front().at("heure_de_paris"), "2026-10-25T02:00:00+02:00");
  EXPECT_EQ(october.back().at("heure_de_paris").get<std::string>().substr(19), "+01:00");
}

double mean(const std::vector<double>& values) {
  double sum = 0;
  for (const double v : values) sum += v;
  return values.empty() ? NAN : sum / static_cast<double>(values.size());
}

// Temperatures by local hour (00..23), from heure_de_paris.
std::map<int, std::vector<double>> temperatures_by_local_hour(const ordered_json& records) {
  std::map<int, std::vector<double>> by_hour;
  for (const auto& r : records) {
    const std::string paris = r.at("heure_de_paris");
    by_hour[std::stoi(paris.substr(11, 2))].push_back(r.at("temperature_en_degre_c"));
  }
  return by_hour;
}

TEST(PortalSimSeries, TemperaturesFollowADailyCycleAndAnUrbanHeatIsland) {
  METEO_SKIP_WITHOUT_SHARED_DATA("toulouse/stations-meteo-en-place.exports.json",
                                 "toulouse/catalog-v1-search-q-meteo.json");
  PortalSimOptions options;
  options.datasets = 0;
  options.include_odd_schema = false;
  options.from = "2026-11-08T00:00:00Z";
  options.now = "2026-11-22T00:00:00Z";
  options.future_row = false;
  PortalSim portal(options);

  const auto meteopole = temperatures_by_local_hour(export_of(portal, kMeteopole));
  EXPECT_LT(mean(meteopole.at(6)) + 3, mean(meteopole.at(15)))
      << "coldest around 06:00, warmest around 15:00 local time";
  for (const auto& [hour, values] : meteopole) {
    EXPECT_GT(mean(values), -5) << hour;
    EXPECT_LT(mean(values), 25) << hour << ": November in Toulouse";
  }

  // Carmes is in the old town, Mondouzil in the countryside 10 km east.
  const auto centre =
      temperatures_by_local_hour(export_of(portal, "28-station-meteo-toulouse-carmes"));
  const auto rural =
      temperatures_by_local_hour(export_of(portal, "19-station-meteo-mondouzil-mairie"));
  std::vector<double> centre_nights;
  std::vector<double> rural_nights;
  for (int hour = 0; hour <= 5; ++hour) {
    centre_nights.insert(centre_nights.end(), centre.at(hour).begin(), centre.at(hour).end());
    rural_nights.insert(rural_nights.end(), rural.at(hour).begin(), rural.at(hour).end());
  }
  EXPECT_GT(mean(centre_nights), mean(rural_nights) + 1.0) << "the heat island shows at night";
}

TEST(PortalSimSeries, SameOptionsGiveTheSameBytesAndAnotherSeedDoesNot) {
  METEO_SKIP_WITHOUT_SHARED_DATA("toulouse/stations-meteo-en-place.exports.json",
                                 "toulouse/catalog-v1-search-q-meteo.json");
  PortalSim first;
  PortalSim second;
  PortalSimOptions reseeded;
  reseeded.seed = 2;
  PortalSim third(reseeded);
  const auto text = export_text(first, kMeteopole);
  EXPECT_EQ(text, export_text(second, kMeteopole));
  EXPECT_EQ(get(first.base_url(), portal::kCatalog).body,
            get(second.base_url(), portal::kCatalog).body);
  EXPECT_NE(text, export_text(third, kMeteopole));
}

TEST(PortalSimSeries, AYearOfRecordsNeedsExportsBeyondTheOffsetCeiling) {
  METEO_SKIP_WITHOUT_SHARED_DATA("toulouse/stations-meteo-en-place.exports.json",
                                 "toulouse/catalog-v1-search-q-meteo.json");
  PortalSimOptions options;
  options.datasets = 1;
  options.from = "2025-11-22T00:00:00Z";
  options.now = "2026-11-22T00:00:00Z";
  PortalSim portal(options);
  const auto first_page =
      get(portal.base_url(), portal::dataset_path(kMeteopole, "records", "limit=100")).json();
  const std::size_t total = first_page.at("total_count");
  EXPECT_GT(total, 34000u);  // 35 040 quarter-hours, ~2% missing, a repeat a day
  EXPECT_LT(total, 35500u);
  EXPECT_EQ(
      get(portal.base_url(), portal::dataset_path(kMeteopole, "records", "offset=9900&limit=100"))
          .status,
      200);
  EXPECT_EQ(
      get(portal.base_url(), portal::dataset_path(kMeteopole, "records", "offset=10000&limit=1"))
          .status,
      400);
  const auto everything = export_of(portal, kMeteopole);
  EXPECT_EQ(everything.size(), total);
  std::set<std::string> offsets;
  for (const auto& r : everything)
    offsets.insert(r.at("heure_de_paris").get<std::string>().substr(19));
  EXPECT_EQ(offsets, (std::set<std::string>{"+01:00", "+02:00"}));
}

}  // namespace
}  // namespace meteo::testing
