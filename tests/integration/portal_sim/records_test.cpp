// The records and exports endpoints: the real portal's paging rules, where/order_by/select, and
// the agreement between a paged read and an export.
#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <string>

#include "paths.hpp"
#include "portal_client.hpp"
#include "portal_sim.hpp"

namespace meteo::testing {
namespace {

using portal::get;
using portal::kMeteopole;
using portal::ordered_json;

const char* const kWindow =
    "heure_de_paris >= date'2026-11-21T00:00:00Z' AND heure_de_paris < date'2026-11-21T06:00:00Z'";

const std::string kStations = "toulouse/stations-meteo-en-place.exports.json";
const std::string kCatalog = "toulouse/catalog-v1-search-q-meteo.json";

class PortalSimRecords : public ::testing::Test {
 protected:
  // Without the reference files the simulator cannot start: each test then skips in SetUp.
  static void SetUpTestSuite() {
    if (missing_shared_data({kStations, kCatalog}).empty()) portal_ = std::make_unique<PortalSim>();
  }
  void SetUp() override { METEO_SKIP_WITHOUT_SHARED_DATA(kStations, kCatalog); }
  static void TearDownTestSuite() { portal_.reset(); }

  static portal::HttpAnswer records(const std::string& query,
                                    const std::string& dataset = kMeteopole) {
    return get(portal_->base_url(), portal::dataset_path(dataset, "records", query));
  }
  static portal::HttpAnswer exports(const std::string& query,
                                    const std::string& dataset = kMeteopole) {
    return get(portal_->base_url(), portal::dataset_path(dataset, "exports/json", query));
  }

  static std::unique_ptr<PortalSim> portal_;
};

std::unique_ptr<PortalSim> PortalSimRecords::portal_;

TEST_F(PortalSimRecords, DefaultPageIsTenRecordsAndTotalCountCountsThemAll) {
  const auto page = records("");
  ASSERT_EQ(page.status, 200) << page.body;
  const auto everything = exports("");
  ASSERT_EQ(everything.status, 200);
  ASSERT_TRUE(everything.json().is_array());
  EXPECT_EQ(page.json().at("results").size(), 10u);
  EXPECT_EQ(page.json().at("total_count"), everything.json().size());
  EXPECT_GT(everything.json().size(), 200u);  // 54 h of quarter-hours: more than two pages
}

TEST_F(PortalSimRecords, LimitAboveOneHundredIsRejected) {
  const auto answer = records("limit=101");
  EXPECT_EQ(answer.status, 400);
  EXPECT_EQ(answer.json().at("error_code"), "InvalidRESTParameterError");
  EXPECT_EQ(records("limit=100").status, 200);
}

TEST_F(PortalSimRecords, OffsetPlusLimitAboveTenThousandIsRejected) {
  const auto too_far = records("offset=9901&limit=100");
  EXPECT_EQ(too_far.status, 400);
  EXPECT_EQ(too_far.json().at("error_code"), "InvalidRESTParameterError");
  const auto default_limit_too_far = records("offset=9991");  // 9991 + the default 10
  EXPECT_EQ(default_limit_too_far.status, 400);

  const auto last_allowed = records("offset=9900&limit=100");
  ASSERT_EQ(last_allowed.status, 200);
  EXPECT_TRUE(last_allowed.json().at("results").empty());  // past the end, still counted
  EXPECT_EQ(last_allowed.json().at("total_count"), records("").json().at("total_count"));
}

TEST_F(PortalSimRecords, PagingThroughRecordsReassemblesTheExport) {
  const auto everything = exports("").json();
  ordered_json paged = ordered_json::array();
  for (std::size_t offset = 0; offset < everything.size(); offset += 100) {
    const auto page = records("limit=100&offset=" + std::to_string(offset));
    ASSERT_EQ(page.status, 200);
    const auto results = page.json().at("results");
    for (const auto& record : results) paged.push_back(record);
  }
  EXPECT_EQ(paged, everything);
}

TEST_F(PortalSimRecords, WhereKeepsAHalfOpenTimeWindowAndCountsAllItsMatches) {
  const auto page = records("limit=100&where=" + portal::encode(kWindow));
  ASSERT_EQ(page.status, 200) << page.body;
  const auto results = page.json().at("results");
  const auto from = portal::unix_seconds("2026-11-21T00:00:00Z");
  const auto to = portal::unix_seconds("2026-11-21T06:00:00Z");
  for (const auto& record : results) {
    const auto at = portal::unix_seconds(record.at("heure_de_paris"));
    EXPECT_GE(at, from);
    EXPECT_LT(at, to);
  }
  EXPECT_EQ(page.json().at("total_count"), results.size());
  EXPECT_GE(results.size(), 20u);  // 24 slots, a few possibly missing, one maybe repeated
  EXPECT_LE(results.size(), 26u);

  const auto limited = records("limit=5&where=" + portal::encode(kWindow));
  EXPECT_EQ(limited.json().at("results").size(), 5u);
  EXPECT_EQ(limited.json().at("total_count"), results.size());
  EXPECT_EQ(exports("where=" + portal::encode(kWindow)).json(), results);
}

TEST_F(PortalSimRecords, WhereReadsOffsetsQuotesAndLowerCaseKeywords) {
  const auto reference = records("limit=100&where=" + portal::encode(kWindow)).body;
  const std::string same_window = R"(heure_de_paris>="2026-11-21T01:00:00+01:00" and )"
                                  R"((heure_de_paris < date'2026-11-21T07:00:00+01:00'))";
  const auto answer = records("limit=100&where=" + portal::encode(same_window));
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(answer.body, reference);
}

TEST_F(PortalSimRecords, BadWhereClausesAreRejectedAsODSQLErrors) {
  for (const std::string where :
       {"no_such_field >= date'2026-11-21T00:00:00Z'", "heure_de_paris >= date'yesterday'",
        "heure_de_paris >=",
        "heure_de_paris >= date'2026-11-21T00:00:00Z' OR heure_de_paris < "
        "date'2026-11-21T06:00:00Z'"}) {
    const auto answer = records("where=" + portal::encode(where));
    EXPECT_EQ(answer.status, 400) << where;
    EXPECT_EQ(answer.json().at("error_code"), "ODSQLError") << where;
  }
  // An unencoded "+" arrives as a space: the offset is lost and the date does not parse.
  const auto plus = records("where=heure_de_paris%20%3E%3D%20date'2026-11-21T00:00:00+01:00'");
  EXPECT_EQ(plus.status, 400);
}

TEST_F(PortalSimRecords, OrderByDescendingReversesTheSeries) {
  const auto ascending = exports("").json();
  const auto descending = records("limit=3&order_by=" + portal::encode("heure_de_paris desc"));
  ASSERT_EQ(descending.status, 200) << descending.body;
  const auto results = descending.json().at("results");
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0], ascending[ascending.size() - 1]);
  EXPECT_EQ(results[2], ascending[ascending.size() - 3]);
  EXPECT_EQ(records("order_by=" + portal::encode("heure_de_paris asc")).json().at("results")[0],
            ascending[0]);
  EXPECT_EQ(records("order_by=temperature_en_degre_c").status, 400);
}

TEST_F(PortalSimRecords, SelectKeepsOnlyTheNamedFieldsInThatOrder) {
  const auto answer =
      records("limit=1&select=" + portal::encode("temperature_en_degre_c, heure_de_paris"));
  ASSERT_EQ(answer.status, 200) << answer.body;
  const auto record = answer.json().at("results").at(0);
  ASSERT_EQ(record.size(), 2u);
  EXPECT_EQ(record.begin().key(), "temperature_en_degre_c");
  EXPECT_TRUE(record.contains("heure_de_paris"));
  EXPECT_EQ(records("select=nonexistent").status, 400);
}

TEST_F(PortalSimRecords, TheStationsDatasetServesTheReferenceFile) {
  std::ifstream file(shared_data("toulouse/stations-meteo-en-place.exports.json"));
  const auto reference = ordered_json::parse(file);
  const auto exported = exports("", portal::kStationsDataset);
  ASSERT_EQ(exported.status, 200);
  EXPECT_EQ(exported.json(), reference);
  EXPECT_EQ(exported.json().size(), 77u);

  const auto page = records("limit=100", portal::kStationsDataset);
  EXPECT_EQ(page.json().at("total_count"), 77);
  EXPECT_EQ(page.json().at("results").size(), 77u);
  EXPECT_EQ(records("", portal::kStationsDataset).json().at("results").size(), 10u);
}

TEST(PortalSimStats, CountsEveryKindOfRequest) {
  METEO_SKIP_WITHOUT_SHARED_DATA("toulouse/stations-meteo-en-place.exports.json",
                                 "toulouse/catalog-v1-search-q-meteo.json");
  PortalSim portal;
  get(portal.base_url(), portal::kCatalog);
  get(portal.base_url(), portal::dataset_path(kMeteopole, ""));
  get(portal.base_url(), portal::dataset_path(kMeteopole, "records"));
  get(portal.base_url(), portal::dataset_path(kMeteopole, "records", "limit=1000"));  // a 400
  get(portal.base_url(), portal::dataset_path(kMeteopole, "exports/json"));
  EXPECT_EQ(portal.requests("catalog"), 2);
  EXPECT_EQ(portal.requests("records"), 2);
  EXPECT_EQ(portal.requests("exports"), 1);
  EXPECT_EQ(portal.requests("all"), 5);  // /stats itself never counts
}

}  // namespace
}  // namespace meteo::testing
