// PortalClient against the simulated Opendatasoft portal on loopback: catalogue, schemas, the
// station list, paging within the portal's limits, one export for a window of more than one page
// (or past the offset ceiling), 429s, an export cut mid-body.
#include <gtest/gtest.h>
#include <spdlog/logger.h>
#include <spdlog/sinks/null_sink.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "meteo/core/errors.hpp"
#include "meteo/http/client.hpp"
#include "meteo/sources/stations/portal.hpp"
#include "paths.hpp"
#include "portal_sim.hpp"

namespace meteo {
namespace {

using namespace std::chrono_literals;
using std::chrono::milliseconds;
using testing::PortalSim;
using testing::PortalSimOptions;

constexpr const char* kMeteopole = "01-station-meteo-toulouse-meteopole";
constexpr const char* kOddSchema = "06-station-meteo-toulouse-ecluse";
constexpr const char* kStations = "stations-meteo-en-place";

UtcSeconds utc(int year, unsigned month, unsigned day, int hour) {
  return std::chrono::sys_days{std::chrono::year{year} / month / day} + std::chrono::hours{hour};
}

const UtcSeconds kNow = utc(2026, 11, 22, 6);  // the simulator's default present

class PortalClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    METEO_SKIP_WITHOUT_SHARED_DATA("toulouse/stations-meteo-en-place.exports.json",
                                   "toulouse/catalog-v1-search-q-meteo.json");
  }
  HttpClient client() {
    HttpSettings settings;
    settings.connect_timeout = milliseconds(2000);
    settings.total_timeout = milliseconds(30000);
    settings.retry.attempts = 4;
    settings.retry.initial_backoff = milliseconds(10);
    settings.retry.max_backoff = milliseconds(5000);
    // Recorded, not slept: the simulator rate-limits by request count, not by time.
    return HttpClient(settings, log_, [this](milliseconds delay) { sleeps_.push_back(delay); });
  }

  // What the portal itself says the window holds: one records request outside the client.
  std::size_t portal_total(const PortalSim& sim, HttpClient& http, const std::string& dataset,
                           TimeWindow window) {
    const std::string url = sim.base_url() + "/api/explore/v2.1/catalog/datasets/" + dataset +
                            "/records?limit=0&where=heure_de_paris%20%3E%3D%20date%27" +
                            to_iso8601(window.from) + "%27%20AND%20heure_de_paris%20%3C%20date%27" +
                            to_iso8601(window.to) + "%27";
    return nlohmann::json::parse(http.get(url).body).at("total_count").get<std::size_t>();
  }

  static void expect_strictly_ordered_within(const ParsedObservations& parsed, TimeWindow window) {
    for (std::size_t i = 0; i < parsed.observations.size(); ++i) {
      const UtcSeconds t = parsed.observations[i].observed_at;
      EXPECT_GE(t, window.from);
      EXPECT_LT(t, window.to);
      if (i > 0) {
        EXPECT_LT(parsed.observations[i - 1].observed_at, t) << "at " << i;
      }
    }
  }

  CurlGlobal curl_;
  spdlog::logger log_{"portal-client-test", std::make_shared<spdlog::sinks::null_sink_mt>()};
  std::vector<milliseconds> sleeps_;
};

TEST_F(PortalClientTest, ListsTheCatalogueAndFiltersIdsClientSide) {
  PortalSim sim;
  HttpClient http = client();
  PortalClient portal(sim.base_url() + "/", http);  // a trailing slash is tolerated

  const auto all = portal.list_datasets("");
  EXPECT_EQ(all.size(), 5u);  // the first 4 measurement datasets and the station list
  EXPECT_NE(std::find(all.begin(), all.end(), kStations), all.end());
  EXPECT_EQ(portal.list_datasets("METEOPOLE"), std::vector<std::string>{kMeteopole});
  EXPECT_EQ(portal.list_datasets("station-meteo").size(), 4u);
  EXPECT_EQ(sim.requests("catalog"), 3);  // one page each
  EXPECT_EQ(portal.requests_made(), 3u);
}

TEST_F(PortalClientTest, DetectsTheOddSchema) {
  PortalSim sim;
  HttpClient http = client();
  PortalClient portal(sim.base_url(), http);
  const auto odd = portal.dataset_schema(kOddSchema, {});
  EXPECT_FALSE(odd.supported);
  EXPECT_EQ(odd.reason, "no field heure_de_paris");
  const auto standard = portal.dataset_schema(kMeteopole, {});
  EXPECT_TRUE(standard.supported) << standard.reason;
}

TEST_F(PortalClientTest, ReadsTheStationList) {
  PortalSim sim;
  HttpClient http = client();
  PortalClient portal(sim.base_url(), http);
  std::vector<std::string> skipped;
  const auto stations = portal.stations(kStations, {}, &skipped);
  EXPECT_EQ(stations.size(), 77u);
  EXPECT_TRUE(skipped.empty());
  EXPECT_TRUE(std::any_of(stations.begin(), stations.end(), [](const WeatherStation& s) {
    return s.dataset_id == "63-station-meteo-toulouse-life-soufflot";
  }));
  EXPECT_EQ(sim.requests("exports"), 1);
}

// Forced: a window of more than one page is exported unless the threshold says otherwise.
TEST_F(PortalClientTest, PagesPastOneHundredRecords) {
  PortalSim sim;
  HttpClient http = client();
  PortalClient portal(sim.base_url(), http, /*export_threshold_pages=*/2);
  const TimeWindow two_days{utc(2026, 11, 20, 0), utc(2026, 11, 22, 0)};
  const std::size_t total = portal_total(sim, http, kMeteopole, two_days);
  ASSERT_GT(total, 100u);
  ASSERT_LE(total, 200u);
  const int records_before = sim.requests("records");

  const auto parsed = portal.observations(kMeteopole, two_days, {}, kNow);
  EXPECT_EQ(sim.requests("records") - records_before, 2);
  EXPECT_EQ(sim.requests("exports"), 0);
  EXPECT_EQ(portal.requests_made(), 2u);
  EXPECT_EQ(parsed.record_count, total);
  EXPECT_TRUE(parsed.rejected.empty());
  EXPECT_EQ(parsed.duplicates, 2u);  // one repeated record per UTC day
  EXPECT_EQ(parsed.observations.size(), total - 2);
  ASSERT_FALSE(parsed.observations.empty());
  // The first slot is never missing: its local time with offset lands exactly on the window.
  EXPECT_EQ(parsed.observations.front().observed_at, two_days.from);
  expect_strictly_ordered_within(parsed, two_days);
}

// What is landed is what a replay reads again: the first page an export replaces is not, or its
// records would count twice; pages read one by one all are.
TEST_F(PortalClientTest, LandsTheExportAloneWhereItReplacesThePages) {
  PortalSim sim;
  HttpClient http = client();
  const TimeWindow two_days{utc(2026, 11, 20, 0), utc(2026, 11, 22, 0)};
  std::vector<std::string> landed;
  const auto keep_url = [&](const std::string& url, const HttpResponse&) { landed.push_back(url); };
  PortalClient portal(sim.base_url(), http);
  portal.set_payload_sink(keep_url);
  const auto exported = portal.observations(kMeteopole, two_days, {}, kNow);
  EXPECT_EQ(portal.requests_made(), 2u);
  ASSERT_EQ(landed.size(), 1u);
  EXPECT_NE(landed[0].find("/exports/json"), std::string::npos) << landed[0];

  landed.clear();
  PortalClient paging(sim.base_url(), http, /*export_threshold_pages=*/2);
  paging.set_payload_sink(keep_url);
  const auto paged = paging.observations(kMeteopole, two_days, {}, kNow);
  ASSERT_EQ(landed.size(), 2u);
  EXPECT_NE(landed[0].find("/records?"), std::string::npos) << landed[0];
  EXPECT_NE(landed[1].find("offset=100"), std::string::npos) << landed[1];
  EXPECT_EQ(exported.record_count, paged.record_count);
}

TEST_F(PortalClientTest, ExportsAWindowOfMoreThanOnePageInOneRequestAsPagingReadIt) {
  PortalSim sim;
  HttpClient http = client();
  const TimeWindow two_days{utc(2026, 11, 20, 0), utc(2026, 11, 22, 0)};
  PortalClient paging(sim.base_url(), http,
                      PortalClient::kOffsetCeiling / PortalClient::kPageLimit);
  const auto paged = paging.observations(kMeteopole, two_days, {}, kNow);
  ASSERT_EQ(sim.requests("exports"), 0);
  const int records_before = sim.requests("records");

  PortalClient portal(sim.base_url(), http);
  const auto exported = portal.observations(kMeteopole, two_days, {}, kNow);
  EXPECT_EQ(sim.requests("records") - records_before, 1) << "the first page only";
  EXPECT_EQ(sim.requests("exports"), 1);
  EXPECT_EQ(portal.requests_made(), 2u);
  EXPECT_EQ(exported.record_count, paged.record_count) << "the first page is not counted twice";
  EXPECT_EQ(exported.duplicates, paged.duplicates);
  ASSERT_EQ(exported.observations.size(), paged.observations.size());
  for (std::size_t i = 0; i < paged.observations.size(); ++i) {
    EXPECT_EQ(exported.observations[i].observed_at, paged.observations[i].observed_at);
    EXPECT_EQ(exported.observations[i].temperature_c, paged.observations[i].temperature_c);
  }
  expect_strictly_ordered_within(exported, two_days);
}

TEST_F(PortalClientTest, CollapsesTheDayDuplicate) {
  PortalSim sim;
  HttpClient http = client();
  PortalClient portal(sim.base_url(), http);
  const TimeWindow one_day{utc(2026, 11, 21, 0), utc(2026, 11, 22, 0)};
  const std::size_t total = portal_total(sim, http, kMeteopole, one_day);
  const auto parsed = portal.observations(kMeteopole, one_day, {}, kNow);
  EXPECT_EQ(sim.requests("exports"), 0) << "one page: nothing to export";
  EXPECT_EQ(portal.requests_made(), 1u);
  EXPECT_EQ(parsed.record_count, total);
  EXPECT_EQ(parsed.duplicates, 1u);
  EXPECT_EQ(parsed.observations.size(), total - 1);
  expect_strictly_ordered_within(parsed, one_day);
}

TEST_F(PortalClientTest, ReadsAWindowPastTheOffsetCeilingThroughTheExport) {
  PortalSimOptions options;
  options.from = "2026-07-25T06:00:00Z";  // 120 days before now: 11 520 quarter-hours
  options.datasets = 1;
  PortalSim sim(options);
  HttpClient http = client();
  PortalClient portal(sim.base_url(), http);
  const TimeWindow window{utc(2026, 7, 25, 6), kNow};
  const std::size_t total = portal_total(sim, http, kMeteopole, window);
  ASSERT_GT(total, static_cast<std::size_t>(PortalClient::kOffsetCeiling));
  const int records_before = sim.requests("records");

  const auto parsed = portal.observations(kMeteopole, window, {}, kNow);
  EXPECT_EQ(sim.requests("records") - records_before, 1);  // only to learn total_count
  EXPECT_EQ(sim.requests("exports"), 1);
  EXPECT_EQ(parsed.record_count, total);
  EXPECT_TRUE(parsed.rejected.empty());
  EXPECT_GE(parsed.duplicates, 119u);
  EXPECT_LE(parsed.duplicates, 121u);
  EXPECT_EQ(parsed.observations.size(), total - parsed.duplicates);
  EXPECT_GT(parsed.observations.size(), 11'000u);  // ~2% of slots are gaps
  expect_strictly_ordered_within(parsed, window);
}

TEST_F(PortalClientTest, RejectsTheFutureDatedRecord) {
  PortalSim sim;
  HttpClient http = client();
  PortalClient portal(sim.base_url(), http);
  const TimeWindow window{kNow - 1h, kNow + 72h};
  const auto parsed = portal.observations(kMeteopole, window, {}, kNow);
  ASSERT_EQ(parsed.rejected.size(), 1u);
  EXPECT_EQ(parsed.rejected[0].reason,
            "dated in the future (2026-11-24T06:00:00Z > now 2026-11-22T06:00:00Z)");
  EXPECT_NE(parsed.rejected[0].record_json.find("heure_de_paris"), std::string::npos);
  EXPECT_EQ(parsed.observations.size() + parsed.rejected.size(), parsed.record_count);
  for (const auto& observation : parsed.observations) EXPECT_LT(observation.observed_at, kNow);
}

TEST_F(PortalClientTest, HonoursRateLimiting) {
  PortalSimOptions options;
  options.rate_limit_first = 2;
  options.retry_after_seconds = 1;
  PortalSim sim(options);
  HttpClient http = client();
  PortalClient portal(sim.base_url(), http);

  const auto stations = portal.stations(kStations, {});
  EXPECT_EQ(stations.size(), 77u);
  EXPECT_EQ(sim.requests("all"), 3);  // two 429s, then the answer
  EXPECT_EQ(sleeps_, (std::vector<milliseconds>{milliseconds(1000), milliseconds(1000)}));
  EXPECT_EQ(portal.requests_made(), 1u);  // retries happen inside HttpClient

  const auto parsed =
      portal.observations(kMeteopole, {utc(2026, 11, 21, 0), utc(2026, 11, 21, 6)}, {}, kNow);
  EXPECT_FALSE(parsed.observations.empty());
  EXPECT_EQ(sim.requests("all"), 4);
}

TEST_F(PortalClientTest, WaitsOutAnExportAnswered429) {
  PortalSimOptions options;
  options.rate_limit_exports = 1;
  PortalSim sim(options);
  HttpClient http = client();
  PortalClient portal(sim.base_url(), http);
  const TimeWindow two_days{utc(2026, 11, 20, 0), utc(2026, 11, 22, 0)};
  const auto parsed = portal.observations(kMeteopole, two_days, {}, kNow);
  EXPECT_EQ(sim.requests("exports"), 2) << "a 429, then the export";
  EXPECT_EQ(sleeps_, (std::vector<milliseconds>{milliseconds(1000)})) << "Retry-After: 1";
  EXPECT_EQ(portal.requests_made(), 2u);
  EXPECT_GT(parsed.observations.size(), 180u);
  expect_strictly_ordered_within(parsed, two_days);
}

TEST_F(PortalClientTest, AnExportCutMidBodyFailsNamingItsUrl) {
  PortalSimOptions options;
  options.cut_exports = true;
  PortalSim sim(options);
  HttpClient http = client();
  PortalClient portal(sim.base_url(), http);
  const TimeWindow two_days{utc(2026, 11, 20, 0), utc(2026, 11, 22, 0)};
  try {
    portal.observations(kMeteopole, two_days, {}, kNow);
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ExitCode::unavailable);
    EXPECT_NE(std::string(error.what()).find("/exports/json?"), std::string::npos) << error.what();
  }
  EXPECT_EQ(sim.requests("exports"), 4) << "every try cut, each retried";
}

TEST_F(PortalClientTest, UnknownDatasetFailsNamingTheUrl) {
  PortalSim sim;
  HttpClient http = client();
  PortalClient portal(sim.base_url(), http);
  try {
    portal.dataset_schema("no-such-dataset", {});
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ExitCode::unavailable);
    EXPECT_NE(std::string(error.what()).find("/catalog/datasets/no-such-dataset"),
              std::string::npos)
        << error.what();
  }
}

}  // namespace
}  // namespace meteo
