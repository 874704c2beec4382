// What a client must survive: rate limiting, a late correction, a record from the future, and
// datasets whose schema is not the one it expects.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
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

constexpr const char* kOddDataset = "38-station-meteo-toulouse-parc-jardin-des-plantes";

ordered_json export_of(const PortalSim& portal, const std::string& dataset) {
  const auto answer = get(portal.base_url(), portal::dataset_path(dataset, "exports/json"));
  if (answer.status != 200) throw std::runtime_error("export failed: " + answer.body);
  return answer.json();
}

TEST(PortalSimFaults, TheFirstRequestsAreRateLimitedWithRetryAfter) {
  METEO_SKIP_WITHOUT_SHARED_DATA("toulouse/stations-meteo-en-place.exports.json",
                                 "toulouse/catalog-v1-search-q-meteo.json");
  PortalSimOptions options;
  options.rate_limit_first = 2;
  options.retry_after_seconds = 7;
  PortalSim portal(options);  // its /healthz answered: service routes are never limited

  for (int i = 0; i < 2; ++i) {
    const auto limited = get(portal.base_url(), portal::dataset_path(kMeteopole, "records"));
    EXPECT_EQ(limited.status, 429);
    EXPECT_EQ(limited.headers.at("retry-after"), "7");
    EXPECT_TRUE(limited.json().contains("error_code"));
    EXPECT_TRUE(limited.json().contains("message"));
  }
  const auto served = get(portal.base_url(), portal::dataset_path(kMeteopole, "records"));
  EXPECT_EQ(served.status, 200);
  EXPECT_EQ(portal.requests("rate_limited"), 2);
  EXPECT_EQ(portal.requests("records"), 3) << "429 answers count too";
  EXPECT_EQ(portal.requests("all"), 3);
}

TEST(PortalSimFaults, ARevisionCorrectsTheRecordAnHourBeforeNow) {
  METEO_SKIP_WITHOUT_SHARED_DATA("toulouse/stations-meteo-en-place.exports.json",
                                 "toulouse/catalog-v1-search-q-meteo.json");
  PortalSim original;
  PortalSimOptions options;
  options.revision = 1;
  PortalSim revised(options);
  const auto before = export_of(original, kMeteopole);
  const auto after = export_of(revised, kMeteopole);
  ASSERT_EQ(before.size(), after.size());

  const auto corrected_at = unix_seconds("2026-11-22T05:00:00Z");  // now - 1 h
  int changed = 0;
  for (std::size_t i = 0; i < before.size(); ++i) {
    if (before[i] == after[i]) continue;
    ++changed;
    EXPECT_EQ(unix_seconds(after[i].at("heure_utc")), corrected_at);
    EXPECT_NEAR(after[i].at("temperature_en_degre_c").get<double>() -
                    before[i].at("temperature_en_degre_c").get<double>(),
                0.5, 1e-9);
    ordered_json same = after[i];
    same["temperature_en_degre_c"] = before[i].at("temperature_en_degre_c");
    EXPECT_EQ(same, before[i]) << "only the temperature changes";
  }
  EXPECT_GE(changed, 1);
  EXPECT_LE(changed, 2) << "the corrected record, and its repeat if it has one";
}

TEST(PortalSimFaults, OneRecordFromTheFutureUnlessTurnedOff) {
  METEO_SKIP_WITHOUT_SHARED_DATA("toulouse/stations-meteo-en-place.exports.json",
                                 "toulouse/catalog-v1-search-q-meteo.json");
  const auto now = unix_seconds("2026-11-22T06:00:00Z");
  PortalSim with_future;
  const auto records = export_of(with_future, kMeteopole);
  std::vector<std::int64_t> future;
  for (const auto& r : records) {
    const auto at = unix_seconds(r.at("heure_de_paris"));
    if (at >= now) future.push_back(at);
  }
  EXPECT_EQ(future, std::vector<std::int64_t>{now + 2 * 86400});

  PortalSimOptions options;
  options.future_row = false;
  PortalSim without(options);
  const auto plain = export_of(without, kMeteopole);
  EXPECT_EQ(plain.size() + 1, records.size());
  for (const auto& r : plain) EXPECT_LT(unix_seconds(r.at("heure_de_paris")), now);
}

TEST(PortalSimFaults, OddSchemaDatasetsServeTheirOwnFieldsAndNoHeureDeParis) {
  METEO_SKIP_WITHOUT_SHARED_DATA("toulouse/stations-meteo-en-place.exports.json",
                                 "toulouse/catalog-v1-search-q-meteo.json");
  PortalSim portal;
  const auto dataset = get(portal.base_url(), portal::dataset_path(kOddDataset, "")).json();
  std::vector<std::string> catalogue_fields;
  for (const auto& field : dataset.at("fields")) catalogue_fields.push_back(field.at("name"));

  const auto page = get(portal.base_url(), portal::dataset_path(kOddDataset, "records", "limit=3"));
  ASSERT_EQ(page.status, 200) << page.body;
  const auto results = page.json().at("results");
  ASSERT_EQ(results.size(), 3u);
  for (const auto& record : results) {
    EXPECT_FALSE(record.contains("heure_de_paris"));
    std::vector<std::string> keys;
    for (const auto& [key, value] : record.items()) keys.push_back(key);
    EXPECT_EQ(keys, catalogue_fields);
    EXPECT_TRUE(record.at("temperature_en_degre_c").is_number());
  }

  const std::string where = "heure_de_paris >= date'2026-11-21T00:00:00Z'";
  const auto rejected =
      get(portal.base_url(),
          portal::dataset_path(kOddDataset, "records", "where=" + portal::encode(where)));
  EXPECT_EQ(rejected.status, 400);
  EXPECT_EQ(rejected.json().at("error_code"), "ODSQLError");

  // Its own datetime field (labelled heure_utc) filters.
  const std::string own = "mm_dd_yy_hh_mm >= date'2026-11-22T00:00:00Z'";
  const auto filtered =
      get(portal.base_url(),
          portal::dataset_path(kOddDataset, "records", "where=" + portal::encode(own)));
  ASSERT_EQ(filtered.status, 200) << filtered.body;
  EXPECT_GE(filtered.json().at("total_count").get<int>(), 20);
  EXPECT_LE(filtered.json().at("total_count").get<int>(), 27);
}

}  // namespace
}  // namespace meteo::testing
