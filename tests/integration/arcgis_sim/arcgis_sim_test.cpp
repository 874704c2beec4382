// The ArcGIS layer simulator over plain HTTP: the layer's description, counts that agree with the
// pages, page sizes, the where clauses it refuses, and the faults it injects.
#include "arcgis_sim.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "paths.hpp"
#include "portal_client.hpp"  // the plain loopback HTTP client of the portal simulator's tests

namespace meteo::testing {
namespace {

using portal::encode;
using portal::HttpAnswer;
using portal::ordered_json;

constexpr int kRowsInFile = 9627;
constexpr const char* kHauteGaronne = "nom_dept = 'HAUTE-GARONNE'";

std::int64_t epoch_ms(const std::string& iso8601) {
  return portal::unix_seconds(iso8601) * 1000;
}

HttpAnswer layer(const ArcGisSim& sim) {
  return portal::get(sim.base_url(), ArcGisSim::layer_path() + "?f=json");
}

HttpAnswer query(const ArcGisSim& sim, const std::string& parameters) {
  return portal::get(sim.base_url(), ArcGisSim::layer_path() + "/query?f=json&" + parameters);
}

HttpAnswer count(const ArcGisSim& sim, const std::string& where) {
  return query(sim, "returnCountOnly=true&where=" + encode(where));
}

std::string page_parameters(const std::string& where, long long offset, long long size) {
  return "where=" + encode(where) +
         "&outFields=*&outSR=4326&orderByFields=" + encode("ObjectId ASC") +
         "&resultOffset=" + std::to_string(offset) + "&resultRecordCount=" + std::to_string(size);
}

// The JSON of a 200 answer that is not an ArcGIS error.
ordered_json ok_json(const HttpAnswer& answer) {
  EXPECT_EQ(answer.status, 200) << answer.body;
  const auto json = answer.json();
  EXPECT_FALSE(json.contains("error")) << answer.body;
  return json;
}

// Checks an ArcGIS error answer: HTTP 200, {"error": {code, message, details: []}}.
void expect_arcgis_error(const HttpAnswer& answer, int code) {
  ASSERT_EQ(answer.status, 200) << answer.body;
  const auto json = answer.json();
  ASSERT_TRUE(json.contains("error")) << answer.body;
  EXPECT_EQ(json["error"].at("code"), code);
  EXPECT_FALSE(json["error"].at("message").get<std::string>().empty());
  EXPECT_EQ(json["error"].at("details"), ordered_json::array());
  EXPECT_FALSE(json.contains("features"));
}

struct PagedRows {
  std::vector<ordered_json> features;
  std::vector<std::size_t> page_sizes;
  std::vector<bool> exceeded;
};

// Pages through `where` by resultOffset, as a client does, until exceededTransferLimit is false.
PagedRows page_through(const ArcGisSim& sim, const std::string& where, long long page_size) {
  PagedRows rows;
  for (long long offset = 0;; offset += page_size) {
    const auto page = ok_json(query(sim, page_parameters(where, offset, page_size)));
    const auto& features = page.at("features");
    rows.page_sizes.push_back(features.size());
    rows.exceeded.push_back(page.at("exceededTransferLimit").get<bool>());
    for (const auto& feature : features) rows.features.push_back(feature);
    if (!rows.exceeded.back() || rows.page_sizes.size() > 100) return rows;
  }
}

TEST(ArcGisSim, DescribesTheLayerWithItsFieldsAndLastEdit) {
  METEO_SKIP_WITHOUT_SHARED_DATA(kAtmoCsv);
  ArcGisSim sim;
  const auto json = ok_json(layer(sim));
  EXPECT_EQ(json.at("name"), kAtmoService);
  EXPECT_EQ(json.at("maxRecordCount"), 1000);
  EXPECT_EQ(json.at("advancedQueryCapabilities").at("supportsPagination"), true);
  // The file's newest hour, 08:00Z, ends at 09:00Z, the default present.
  EXPECT_EQ(json.at("editingInfo").at("lastEditDate"), epoch_ms("2026-11-22T09:00:00Z"));
  std::vector<std::string> names;
  for (const auto& field : json.at("fields")) names.push_back(field.at("name"));
  EXPECT_EQ(names,
            (std::vector<std::string>{"nom_dept", "nom_com", "insee_com", "nom_station",
                                      "code_station", "typologie", "influence", "nom_poll",
                                      "id_poll_ue", "valeur", "unite", "metrique", "date_debut",
                                      "date_fin", "statut_valid", "x_l93", "y_l93", "ObjectId"}));
  EXPECT_EQ(json.at("fields")[12].at("type"), "esriFieldTypeDate");
  EXPECT_EQ(json.at("fields")[17].at("type"), "esriFieldTypeOID");

  ArcGisSimOptions options;
  options.max_record_count = 250;
  options.pagination = false;
  ArcGisSim small(options);
  const auto limited = ok_json(layer(small));
  EXPECT_EQ(limited.at("maxRecordCount"), 250);
  EXPECT_EQ(limited.at("advancedQueryCapabilities").at("supportsPagination"), false);
}

TEST(ArcGisSim, ServesTheWholeFileAndHauteGaronneHas3773RowsFrom17Stations) {
  METEO_SKIP_WITHOUT_SHARED_DATA(kAtmoCsv);
  ArcGisSim sim;
  EXPECT_EQ(ok_json(count(sim, "1=1")).at("count"), kRowsInFile);
  EXPECT_EQ(ok_json(count(sim, kHauteGaronne)).at("count"), 3773);

  const auto rows = page_through(sim, kHauteGaronne, 1000);
  ASSERT_EQ(rows.features.size(), 3773u);
  std::set<std::string> stations;
  for (const auto& feature : rows.features) {
    EXPECT_EQ(feature.at("attributes").at("nom_dept"), "HAUTE-GARONNE");
    stations.insert(feature.at("attributes").at("code_station").get<std::string>());
  }
  EXPECT_EQ(stations.size(), 17u);
}

TEST(ArcGisSim, CountEqualsTheRowsPagedThroughInObjectIdOrder) {
  METEO_SKIP_WITHOUT_SHARED_DATA(kAtmoCsv);
  ArcGisSimOptions options;
  options.max_record_count = 400;
  ArcGisSim sim(options);
  const std::string where =
      "(date_debut >= TIMESTAMP '2026-11-21 00:00:00' AND date_debut < TIMESTAMP '2026-11-22 "
      "00:00:00') AND nom_poll = 'NO2'";
  const auto expected = ok_json(count(sim, where)).at("count").get<std::size_t>();
  ASSERT_GT(expected, 400u) << "more than one page";

  const auto rows = page_through(sim, where, 400);
  EXPECT_EQ(rows.features.size(), expected);
  std::int64_t previous_id = 0;
  for (const auto& feature : rows.features) {
    const auto& attributes = feature.at("attributes");
    const auto id = attributes.at("ObjectId").get<std::int64_t>();
    EXPECT_GT(id, previous_id) << "ObjectId ASC, no row twice";
    previous_id = id;
    EXPECT_EQ(attributes.at("nom_poll"), "NO2");
    EXPECT_GE(attributes.at("date_debut").get<std::int64_t>(), epoch_ms("2026-11-21T00:00:00Z"));
    EXPECT_LT(attributes.at("date_debut").get<std::int64_t>(), epoch_ms("2026-11-22T00:00:00Z"));
    EXPECT_EQ(attributes.at("date_fin").get<std::int64_t>() -
                  attributes.at("date_debut").get<std::int64_t>(),
              3'600'000);
    EXPECT_TRUE(feature.at("geometry").at("x").is_number());
    EXPECT_TRUE(feature.at("geometry").at("y").is_number());
  }
}

TEST(ArcGisSim, APageNeverExceedsMaxRecordCountAndTheLastOneSaysSo) {
  METEO_SKIP_WITHOUT_SHARED_DATA(kAtmoCsv);
  ArcGisSim sim;
  // Asking for more than maxRecordCount gets maxRecordCount, as ArcGIS does.
  const auto capped = ok_json(query(sim, page_parameters("1=1", 0, 5000)));
  EXPECT_EQ(capped.at("features").size(), 1000u);
  EXPECT_TRUE(capped.at("exceededTransferLimit").get<bool>());

  const auto all = page_through(sim, "1=1", 1000);
  EXPECT_EQ(all.features.size(), static_cast<std::size_t>(kRowsInFile));
  ASSERT_EQ(all.page_sizes.size(), 10u);
  for (std::size_t i = 0; i + 1 < all.page_sizes.size(); ++i) {
    EXPECT_EQ(all.page_sizes[i], 1000u);
    EXPECT_TRUE(all.exceeded[i]) << "page " << i;
  }
  EXPECT_EQ(all.page_sizes.back(), 627u);
  EXPECT_FALSE(all.exceeded.back());

  const auto past_the_end = ok_json(query(sim, page_parameters("1=1", kRowsInFile, 1000)));
  EXPECT_TRUE(past_the_end.at("features").empty());
  EXPECT_FALSE(past_the_end.at("exceededTransferLimit").get<bool>());
}

TEST(ArcGisSim, RefusesWhatItCannotRunWithAnErrorInsideA200) {
  METEO_SKIP_WITHOUT_SHARED_DATA(kAtmoCsv);
  ArcGisSim sim;
  for (const char* where :
       {"valeur > 1", "nom_dept LIKE 'HAUTE%'", "nom_dept = 'GARD' OR 1=1",
        "date_debut >= '2026-11-21'", "date_debut >= TIMESTAMP '2026-11-21'", "(nom_dept = 'GARD'",
        "no_such_field = 'x'", "1=2", "nom_dept = 'it''s"}) {
    SCOPED_TRACE(where);
    expect_arcgis_error(count(sim, where), 400);
  }
  expect_arcgis_error(query(sim, "returnCountOnly=true"), 400);  // no where at all
  const std::string page = page_parameters("1=1", 0, 10);
  expect_arcgis_error(query(sim, "where=1%3D1&outFields=nom_dept&outSR=4326"), 400);
  expect_arcgis_error(query(sim, "where=1%3D1&outFields=*&outSR=3857&orderByFields=ObjectId%20ASC"),
                      400);
  expect_arcgis_error(
      query(sim, "where=1%3D1&outFields=*&outSR=4326&orderByFields=ObjectId%20DESC"), 400);
  EXPECT_EQ(sim.requests("errors"), 13);
  EXPECT_EQ(ok_json(query(sim, page)).at("features").size(), 10u) << "a good query still works";
}

TEST(ArcGisSim, WithoutPaginationTheFirstPageIsAllThereIs) {
  METEO_SKIP_WITHOUT_SHARED_DATA(kAtmoCsv);
  ArcGisSimOptions options;
  options.pagination = false;
  ArcGisSim sim(options);
  expect_arcgis_error(query(sim, page_parameters("1=1", 0, 1000)), 400);
  const auto first = ok_json(
      query(sim, "where=1%3D1&outFields=*&outSR=4326&orderByFields=" + encode("ObjectId ASC")));
  EXPECT_EQ(first.at("features").size(), 1000u);
  EXPECT_TRUE(first.at("exceededTransferLimit").get<bool>());
}

TEST(ArcGisSim, TheInjectedErrorComesOnceAtItsOffset) {
  METEO_SKIP_WITHOUT_SHARED_DATA(kAtmoCsv);
  ArcGisSimOptions options;
  options.error_at_offset = 1000;
  options.error_code = 500;
  ArcGisSim sim(options);
  EXPECT_EQ(ok_json(query(sim, page_parameters("1=1", 0, 1000))).at("features").size(), 1000u);
  expect_arcgis_error(query(sim, page_parameters("1=1", 1000, 1000)), 500);
  const auto retried = ok_json(query(sim, page_parameters("1=1", 1000, 1000)));
  EXPECT_EQ(retried.at("features").size(), 1000u);
  EXPECT_EQ(retried["features"][0].at("attributes").at("ObjectId"), 1001);
  EXPECT_EQ(ok_json(count(sim, "1=1")).at("count"), kRowsInFile) << "counts are never failed";
  EXPECT_EQ(sim.requests("errors"), 1);
}

TEST(ArcGisSim, TheFirstRequestsAreRateLimitedThenServed) {
  METEO_SKIP_WITHOUT_SHARED_DATA(kAtmoCsv);
  ArcGisSimOptions options;
  options.rate_limit_first = 2;
  options.retry_after_seconds = 7;
  ArcGisSim sim(options);  // its /healthz answered: /healthz and /stats are never limited
  for (int i = 0; i < 2; ++i) {
    const auto limited = count(sim, "1=1");
    EXPECT_EQ(limited.status, 429);
    EXPECT_EQ(limited.headers.at("retry-after"), "7");
    EXPECT_EQ(limited.json().at("error").at("code"), 429);
  }
  EXPECT_EQ(ok_json(count(sim, "1=1")).at("count"), kRowsInFile);
  EXPECT_EQ(sim.requests("rate_limited"), 2);
  EXPECT_EQ(sim.requests("all"), 3);
}

// The attributes of the PM10 measure of `station` starting at `hour`:00Z on 2026-11-22, the
// default present's day, or null when it is not served.
ordered_json measure(const ArcGisSim& sim, const std::string& station, int hour) {
  char window[128];
  std::snprintf(window, sizeof window,
                "date_debut >= TIMESTAMP '2026-11-22 %02d:00:00' AND date_debut < TIMESTAMP "
                "'2026-11-22 %02d:00:00'",
                hour, hour + 1);
  const std::string where =
      "code_station = '" + station + "' AND nom_poll = 'PM10' AND " + std::string(window);
  const auto page = ok_json(query(sim, page_parameters(where, 0, 10)));
  EXPECT_LE(page.at("features").size(), 1u);
  return page.at("features").empty() ? ordered_json() : page["features"][0].at("attributes");
}

TEST(ArcGisSim, ProvisionalHoursAndOverridesChangeWhatIsServed) {
  METEO_SKIP_WITHOUT_SHARED_DATA(kAtmoCsv);
  ArcGisSimOptions options;
  options.provisional_hours = 2;  // the hours starting 07:00Z and 08:00Z
  options.sets = {"FR50214,PM10,1,99.5"};
  options.provisional_sets = {"FR50214,PM10,6,150"};  // 03:00Z, validated in the file
  ArcGisSim sim(options);
  const auto last_two_hours = ok_json(count(sim, "date_debut >= TIMESTAMP '2026-11-22 07:00:00'"));
  const auto provisional = ok_json(count(sim, "statut_valid = 'f'"));
  EXPECT_GT(provisional.at("count").get<int>(), 0);
  EXPECT_EQ(provisional.at("count").get<int>(), last_two_hours.at("count").get<int>() + 1);

  const auto spike = measure(sim, "FR50214", 8);
  EXPECT_EQ(spike.at("valeur"), 99.5);
  EXPECT_EQ(spike.at("statut_valid"), "f") << "in the provisional hours";
  const auto provisional_spike = measure(sim, "FR50214", 3);
  EXPECT_EQ(provisional_spike.at("valeur"), 150);
  EXPECT_EQ(provisional_spike.at("statut_valid"), "f");

  options.revision = 1;  // the hub has validated those measures since: the originals come back
  ArcGisSim revised(options);
  EXPECT_EQ(ok_json(count(revised, "statut_valid = 'f'")).at("count"), 0);
  EXPECT_EQ(measure(revised, "FR50214", 8).at("valeur"), 99.5) << "--set stays";
  const auto original = measure(revised, "FR50214", 3);
  ASSERT_FALSE(original.is_null());
  EXPECT_NE(original.at("valeur"), 150);
  EXPECT_EQ(original.at("statut_valid"), "t");
}

TEST(ArcGisSim, TheLayerIsRewrittenAfterTheFirstPageWhenAsked) {
  METEO_SKIP_WITHOUT_SHARED_DATA(kAtmoCsv);
  ArcGisSimOptions options;
  options.rewrite_after_first_page = true;
  ArcGisSim sim(options);
  const auto last_edit = [&] { return ok_json(layer(sim)).at("editingInfo").at("lastEditDate"); };
  EXPECT_EQ(last_edit(), epoch_ms("2026-11-22T09:00:00Z"));
  EXPECT_EQ(ok_json(count(sim, "1=1")).at("count"), kRowsInFile) << "a count is no page";
  const auto before = ok_json(query(sim, page_parameters("1=1", 0, 100)));
  EXPECT_EQ(before["features"][0].at("attributes").at("ObjectId"), 1);

  EXPECT_EQ(last_edit(), epoch_ms("2026-11-22T09:01:00Z"));
  EXPECT_EQ(ok_json(count(sim, "1=1")).at("count"), kRowsInFile);
  const auto after = ok_json(query(sim, page_parameters("1=1", 0, 100)));
  // Renumbered in file order after the last ObjectId: the file's first row (8001) is now 9628.
  const auto& first = after["features"][0].at("attributes");
  EXPECT_EQ(first.at("ObjectId"), kRowsInFile + 1);
  EXPECT_EQ(first.at("code_station"), "FR50214");
  EXPECT_EQ(first.at("date_debut"), epoch_ms("2026-11-21T19:00:00Z"));
}

TEST(ArcGisSim, NoRowStartsAtOrAfterNow) {
  METEO_SKIP_WITHOUT_SHARED_DATA(kAtmoCsv);
  ArcGisSimOptions options;
  options.now = "2026-11-22T06:30:00Z";  // before the file's newest hour of the day, 08:00Z
  ArcGisSim sim(options);
  EXPECT_EQ(ok_json(count(sim, "date_debut >= TIMESTAMP '2026-11-22 06:30:00'")).at("count"), 0);
  EXPECT_GT(ok_json(count(sim, "date_debut >= TIMESTAMP '2026-11-21 06:30:00'")).at("count"), 0);
  EXPECT_EQ(ok_json(count(sim, "1=1")).at("count"), kRowsInFile) << "shifted by whole days";
}

// A small fixture, not the shared file: the hub quotes a field holding a comma or a quote.
TEST(ArcGisSim, ReadsQuotedFieldsAndDumpsWhatItServesAsTheHubWould) {
  ArcGisSimOptions options;
  options.csv = source_path("tests/fixtures/atmo/quoted.csv");
  options.dump_csv =
      ::testing::TempDir() + "arcgis-sim-served-" + std::to_string(::getpid()) + ".csv";
  ArcGisSim sim(options);

  const auto rows = page_through(sim, "1=1", 1000);
  ASSERT_EQ(rows.features.size(), 3u);
  const auto& first = rows.features[0].at("attributes");  // ObjectId 1, second in the file
  EXPECT_EQ(first.at("ObjectId"), 1);
  EXPECT_EQ(first.at("nom_station"), "Station, with a comma");
  EXPECT_EQ(first.at("valeur"), -0.4);
  EXPECT_EQ(first.at("date_debut"), epoch_ms("2026-11-21T23:00:00Z"));
  EXPECT_EQ(rows.features[2].at("attributes").at("nom_station"), "Site \"quoted\"");
  EXPECT_EQ(rows.features[2].at("geometry"), (ordered_json{{"x", 2.5}, {"y", 44.5}}));

  std::ifstream dumped(options.dump_csv, std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(dumped)),
                         std::istreambuf_iterator<char>());
  std::ifstream original(options.csv, std::ios::binary);
  std::string expected((std::istreambuf_iterator<char>(original)),
                       std::istreambuf_iterator<char>());
  // The same bytes but for the dates, moved by whole days from 2020-03-17 to 2026-11-22.
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"2020-03-16T", "2026-11-21T"}, {"2020-03-17T", "2026-11-22T"}}) {
    for (auto at = expected.find(from); at != std::string::npos; at = expected.find(from, at)) {
      expected.replace(at, from.size(), to);
    }
  }
  EXPECT_EQ(text, expected);
  std::remove(options.dump_csv.c_str());
}

}  // namespace
}  // namespace meteo::testing
