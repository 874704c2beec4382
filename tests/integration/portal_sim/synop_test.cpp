// --synop: Météo-France's SYNOP dataset (one dataset, many stations, 3-hourly) on the simulated
// portal: the real paging limits, exports that agree with the records, CSV, consistent units,
// traces and nulls, and the station added mid-period. The portal serves SYNOP alone here, so the
// tests need no shared data.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "portal_client.hpp"
#include "portal_sim.hpp"

namespace meteo::testing {
namespace {

using portal::get;
using portal::ordered_json;

constexpr const char* kSynop = "donnees-synop-essentielles-omm";
constexpr const char* kFrom = "2026-11-01T00:00:00Z";
constexpr const char* kNow = "2027-01-01T00:00:00Z";  // 61 days: past the 10 000 records cap
constexpr std::int64_t kThreeHours = 3 * 3600;
constexpr double kTrace = -0.1;

// Ten days, about 2 000 records: within what records can page through.
const std::string kWindow =
    portal::encode("date >= date'2026-11-10T00:00:00Z' AND date < date'2026-11-20T00:00:00Z'");

PortalSimOptions synop_only(unsigned seed = 1) {
  PortalSimOptions options;
  options.synop = true;
  options.toulouse_datasets = false;
  options.from = kFrom;
  options.now = kNow;
  options.seed = seed;
  return options;
}

bool is_trace(const ordered_json& value) {
  return value.is_number() && std::abs(value.get<double>() - kTrace) < 1e-9;
}

// Rain as an amount to add up: a trace is no measurable rain.
double rain_sum_term(const ordered_json& value) {
  return is_trace(value) ? 0.0 : value.get<double>();
}

// Rain as an amount to order: a trace lies between 0 and 0.1 mm.
double rain_rank(const ordered_json& value) {
  return is_trace(value) ? 0.05 : value.get<double>();
}

std::vector<std::string> split(const std::string& line, char separator) {
  std::vector<std::string> cells;
  std::string cell;
  std::istringstream in(line);
  while (std::getline(in, cell, separator)) cells.push_back(cell);
  if (!line.empty() && line.back() == separator) cells.emplace_back();
  return cells;
}

class PortalSimSynop : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { portal_ = std::make_unique<PortalSim>(synop_only()); }
  static void TearDownTestSuite() {
    portal_.reset();
    full_export_.reset();
  }

  static portal::HttpAnswer fetch(const std::string& resource, const std::string& query) {
    return get(portal_->base_url(), portal::dataset_path(kSynop, resource, query));
  }

  // Every record, from exports/json (no 10 000 cap there), read once.
  static const ordered_json& every_record() {
    if (!full_export_) {
      const auto answer = fetch("exports/json", "");
      if (answer.status != 200) throw std::runtime_error("export failed: " + answer.body);
      full_export_ = std::make_unique<ordered_json>(answer.json());
    }
    return *full_export_;
  }

  // Each station's records by date.
  static std::map<std::string, std::map<std::int64_t, ordered_json>> by_station() {
    std::map<std::string, std::map<std::int64_t, ordered_json>> stations;
    for (const auto& record : every_record()) {
      const auto at = portal::unix_seconds(record.at("date").get<std::string>());
      stations[record.at("numer_sta").get<std::string>()][at] = record;
    }
    return stations;
  }

  static std::unique_ptr<PortalSim> portal_;
  static std::unique_ptr<ordered_json> full_export_;
};

std::unique_ptr<PortalSim> PortalSimSynop::portal_;
std::unique_ptr<ordered_json> PortalSimSynop::full_export_;

TEST_F(PortalSimSynop, TheCatalogueListsTheDatasetWithItsRecordCount) {
  const auto catalogue = get(portal_->base_url(), portal::kCatalog).json();
  ASSERT_EQ(catalogue.at("total_count").get<int>(), 1) << "SYNOP alone, no Toulouse dataset";
  const auto& dataset = catalogue.at("results").at(0);
  EXPECT_EQ(dataset.at("dataset_id").get<std::string>(), kSynop);
  const auto count = dataset.at("metas").at("default").at("records_count").get<std::size_t>();
  EXPECT_EQ(count, every_record().size());
  EXPECT_GT(count, 10000u) << "the period must be longer than records can page through";
  EXPECT_EQ(fetch("records", "limit=1").json().at("total_count").get<std::size_t>(), count);
}

TEST_F(PortalSimSynop, RecordsKeepThePortalsPagingLimits) {
  EXPECT_EQ(fetch("records", "limit=100").json().at("results").size(), 100u);
  EXPECT_EQ(fetch("records", "").json().at("results").size(), 10u) << "limit 10 by default";
  EXPECT_EQ(fetch("records", "limit=101").status, 400);
  const auto last_page = fetch("records", "limit=100&offset=9900");
  ASSERT_EQ(last_page.status, 200) << last_page.body;
  EXPECT_EQ(last_page.json().at("results").size(), 100u);
  const auto past_cap = fetch("records", "limit=100&offset=9901");
  EXPECT_EQ(past_cap.status, 400);
  EXPECT_EQ(past_cap.json().at("error_code").get<std::string>(), "InvalidRESTParameterError");
  EXPECT_EQ(fetch("records", "where=" + portal::encode("t > 280")).status, 400)
      << "only `date` filters";
}

TEST_F(PortalSimSynop, AnswersCarryRateLimitHeaders) {
  const auto first = fetch("records", "limit=1");
  const auto second = fetch("records", "limit=1");
  ASSERT_EQ(first.headers.count("x-ratelimit-limit"), 1u);
  EXPECT_EQ(first.headers.at("x-ratelimit-limit"), "5000");
  ASSERT_EQ(second.headers.count("x-ratelimit-remaining"), 1u);
  EXPECT_LT(std::stoi(second.headers.at("x-ratelimit-remaining")),
            std::stoi(first.headers.at("x-ratelimit-remaining")));
  EXPECT_EQ(std::stoll(first.headers.at("x-ratelimit-reset")), portal::unix_seconds(kNow) + 86400)
      << "the next UTC midnight on the portal's clock";
}

TEST_F(PortalSimSynop, TheJsonExportEqualsTheRecordsPagesConcatenated) {
  const auto exported = fetch("exports/json", "order_by=date&where=" + kWindow).json();
  ordered_json paged = ordered_json::array();
  for (int offset = 0;; offset += 100) {
    const auto page = fetch("records", "order_by=date&limit=100&offset=" + std::to_string(offset) +
                                           "&where=" + kWindow)
                          .json();
    for (const auto& record : page.at("results")) paged.push_back(record);
    if (page.at("results").size() < 100) break;
  }
  EXPECT_GT(exported.size(), 1000u);
  EXPECT_EQ(paged, exported);
  const auto newest = fetch("records", "order_by=date%20desc&limit=1&where=" + kWindow).json();
  EXPECT_EQ(newest.at("results").at(0).at("date").get<std::string>(), "2026-11-19T21:00:00+00:00");
}

TEST_F(PortalSimSynop, TheCsvExportHoldsTheSameRecords) {
  const auto json = fetch("exports/json", "where=" + kWindow).json();
  const auto csv = fetch("exports/csv", "where=" + kWindow);
  ASSERT_EQ(csv.status, 200) << csv.body;
  std::istringstream lines(csv.body);
  std::string line;
  ASSERT_TRUE(std::getline(lines, line));
  const auto header = split(line, ';');
  std::vector<std::string> names;
  for (const auto& [name, value] : json.at(0).items()) names.push_back(name);
  ASSERT_EQ(header, names);

  std::size_t row = 0;
  while (std::getline(lines, line)) {
    ASSERT_LT(row, json.size());
    const auto cells = split(line, ';');
    ASSERT_EQ(cells.size(), names.size()) << line;
    const auto& record = json.at(row);
    for (std::size_t i = 0; i < names.size(); ++i) {
      const auto& value = record.at(names[i]);
      if (value.is_null()) {
        EXPECT_EQ(cells[i], "") << names[i] << " in " << line;
      } else if (value.is_string()) {
        EXPECT_EQ(cells[i], value.get<std::string>()) << names[i];
      } else {
        EXPECT_DOUBLE_EQ(std::stod(cells[i]), value.get<double>()) << names[i];
      }
    }
    ++row;
  }
  EXPECT_EQ(row, json.size());
}

TEST_F(PortalSimSynop, RecordsComeEveryThreeHoursByDateWithTextStationIds) {
  std::int64_t previous = 0;
  std::set<std::string> stations;
  for (const auto& record : every_record()) {
    const auto at = portal::unix_seconds(record.at("date").get<std::string>());
    EXPECT_EQ(at % kThreeHours, 0) << record.dump();
    EXPECT_GE(at, previous) << "ordered by date";
    previous = at;
    const auto id = record.at("numer_sta").get<std::string>();
    EXPECT_EQ(id.size(), 5u);
    EXPECT_EQ(id.front(), '0') << "the WMO id keeps its leading zero";
    stations.insert(id);
  }
  EXPECT_GE(stations.size(), 15u);
  EXPECT_EQ(stations.count("07630"), 1u) << "Toulouse-Blagnac";
  EXPECT_LT(previous, portal::unix_seconds(kNow));
}

TEST_F(PortalSimSynop, UnitsAreConsistent) {
  for (const auto& r : every_record()) {
    EXPECT_NEAR(r.at("t").get<double>(), r.at("tc").get<double>() + 273.15, 1e-6) << r.dump();
    const double tc = r.at("tc").get<double>();
    EXPECT_TRUE(tc > -25 && tc < 30) << r.dump();
    const int pmer = r.at("pmer").get<int>();
    EXPECT_TRUE(pmer > 97000 && pmer < 106000) << r.dump();
    EXPECT_LE(r.at("pres").get<int>(), pmer) << "stations stand at or above sea level";
    const double ff = r.at("ff").get<double>();
    EXPECT_TRUE(ff >= 0 && ff < 25) << r.dump();
    if (!r.at("raf10").is_null()) EXPECT_GE(r.at("raf10").get<double>(), ff) << r.dump();
    for (const char* extreme : {"tn12", "tn24"}) {
      if (!r.at(extreme).is_null()) EXPECT_LE(r.at(extreme).get<double>(), r.at("t").get<double>());
    }
    for (const char* extreme : {"tx12", "tx24"}) {
      if (!r.at(extreme).is_null()) EXPECT_GE(r.at(extreme).get<double>(), r.at("t").get<double>());
    }
  }
}

TEST_F(PortalSimSynop, RainWindowsAreOrderedAndAddUp) {
  const char* const windows[] = {"rr1", "rr3", "rr6", "rr12", "rr24"};
  int rr6_checks = 0;
  int rr24_checks = 0;
  for (const auto& [station, records] : by_station()) {
    for (const auto& [at, r] : records) {
      double previous = -1;
      for (const char* window : windows) {
        if (r.at(window).is_null()) continue;
        EXPECT_GE(rain_rank(r.at(window)), previous) << window << " in " << r.dump();
        previous = rain_rank(r.at(window));
      }
      // rr6 = this rr3 + the previous one; rr24 = the last eight rr3.
      const auto earlier = records.find(at - kThreeHours);
      if (earlier != records.end()) {
        EXPECT_NEAR(rain_sum_term(r.at("rr6")),
                    rain_sum_term(r.at("rr3")) + rain_sum_term(earlier->second.at("rr3")), 1e-6)
            << r.dump();
        ++rr6_checks;
      }
      if (r.at("rr24").is_null()) continue;
      double sum = 0;
      int found = 0;
      for (int k = 0; k < 8; ++k) {
        const auto it = records.find(at - k * kThreeHours);
        if (it == records.end()) break;
        sum += rain_sum_term(it->second.at("rr3"));
        ++found;
      }
      if (found < 8) continue;
      EXPECT_NEAR(rain_sum_term(r.at("rr24")), sum, 1e-6) << r.dump();
      ++rr24_checks;
    }
  }
  EXPECT_GT(rr6_checks, 10000);
  EXPECT_GT(rr24_checks, 1000);
}

TEST_F(PortalSimSynop, TracesRainAndNullsOccurWhereThePortalHasThem) {
  int traces = 0;
  int rainy = 0;
  int gusts_missing = 0;
  for (const auto& r : every_record()) {
    if (is_trace(r.at("rr3"))) ++traces;
    if (r.at("rr3").get<double>() > 0) ++rainy;
    if (r.at("raf10").is_null()) ++gusts_missing;
    const int hour =
        static_cast<int>(portal::unix_seconds(r.at("date").get<std::string>()) % 86400 / 3600);
    EXPECT_EQ(r.at("rr12").is_null(), hour != 6 && hour != 18) << r.dump();
    EXPECT_EQ(r.at("tn12").is_null(), hour != 6 && hour != 18) << r.dump();
    EXPECT_EQ(r.at("rr24").is_null(), hour != 6) << r.dump();
    EXPECT_EQ(r.at("tx24").is_null(), hour != 6) << r.dump();
  }
  EXPECT_GT(traces, 0) << "some -0.1 traces";
  EXPECT_GT(rainy, 100);
  EXPECT_GT(gusts_missing, 0);
}

TEST_F(PortalSimSynop, OneStationIsAddedMidPeriodAndAFewRecordsAreMissing) {
  const auto from = portal::unix_seconds(kFrom);
  const auto now = portal::unix_seconds(kNow);
  std::vector<std::string> late;
  std::size_t missing = 0;
  for (const auto& [station, records] : by_station()) {
    const auto first = records.begin()->first;
    if (first != from) {
      late.push_back(station);
      EXPECT_EQ(first, from + 14 * 86400) << station << " starts on the 15th";
    }
    missing += static_cast<std::size_t>((now - first) / kThreeHours) - records.size();
  }
  EXPECT_EQ(late, std::vector<std::string>{"07558"});
  EXPECT_GT(missing, 0u) << "a few gaps";
  EXPECT_LT(missing, every_record().size() / 100) << "only a few";
}

TEST_F(PortalSimSynop, TheSameSeedGivesTheSameRecords) {
  const std::string query = "limit=20&where=" + kWindow;
  const auto mine = fetch("exports/csv", query).body;
  PortalSim same(synop_only(1));
  PortalSim other(synop_only(2));
  EXPECT_EQ(get(same.base_url(), portal::dataset_path(kSynop, "exports/csv", query)).body, mine);
  EXPECT_NE(get(other.base_url(), portal::dataset_path(kSynop, "exports/csv", query)).body, mine);
}

}  // namespace
}  // namespace meteo::testing
