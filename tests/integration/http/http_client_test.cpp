// HttpClient against the real simulator on loopback: retries, permissions, timeouts, limits, and
// the API key kept out of every log line and message.
#include <gtest/gtest.h>
#include <spdlog/logger.h>
#include <spdlog/sinks/ostream_sink.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "meteo/core/errors.hpp"
#include "meteo/http/client.hpp"
#include "sensor_sim.hpp"

namespace meteo {
namespace {

using std::chrono::milliseconds;
using testing::SensorSim;
using testing::SensorSimOptions;

constexpr const char* kKey = "s3cr3t-Key-0f-the-partner";

HttpSettings fast_settings() {
  HttpSettings settings;
  settings.connect_timeout = milliseconds(2000);
  settings.total_timeout = milliseconds(5000);
  settings.retry.attempts = 4;
  settings.retry.initial_backoff = milliseconds(40);
  settings.retry.max_backoff = milliseconds(60000);
  return settings;
}

// Simulator options expecting kKey, adjusted by `change`.
template <typename Change>
SensorSimOptions with_key(Change change) {
  SensorSimOptions options;
  options.api_key = kKey;
  change(options);
  return options;
}
SensorSimOptions with_key() {
  return with_key([](SensorSimOptions&) {});
}

std::vector<HttpHeader> key_header(const std::string& key = kKey) {
  return {HttpHeader{"X-API-Key", key, true}};
}

class HttpClientTest : public ::testing::Test {
 protected:
  HttpClientTest()
      : logger_(std::make_shared<spdlog::logger>(
            "http-test", std::make_shared<spdlog::sinks::ostream_sink_mt>(log_text_))) {
    logger_->set_level(spdlog::level::trace);
    logger_->set_pattern("%l %v");
  }

  ~HttpClientTest() override {
    // Whatever a test did, the key never reached the log.
    EXPECT_EQ(log_text_.str().find(kKey), std::string::npos) << log_text_.str();
  }

  HttpClient client(HttpSettings settings = fast_settings()) {
    return HttpClient(settings, *logger_, [this](milliseconds delay) { sleeps_.push_back(delay); });
  }

  // The Error `get` throws, or a test failure when it answers.
  Error failure(HttpClient& http, const std::string& url,
                const std::vector<HttpHeader>& headers = key_header()) {
    try {
      const HttpResponse response = http.get(url, headers);
      ADD_FAILURE() << "GET " << url << " answered " << response.status;
    } catch (const Error& error) {
      EXPECT_EQ(std::string(error.what()).find(kKey), std::string::npos) << error.what();
      return error;
    }
    return Error(ExitCode::ok, "");
  }

  std::string log() const { return log_text_.str(); }
  int warnings() const {
    int count = 0;
    std::istringstream lines(log_text_.str());
    for (std::string line; std::getline(lines, line);) count += line.rfind("warning ", 0) == 0;
    return count;
  }

  CurlGlobal curl_;
  std::ostringstream log_text_;
  std::shared_ptr<spdlog::logger> logger_;
  std::vector<milliseconds> sleeps_;
};

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST_F(HttpClientTest, FetchesTheFeedWithTheKey) {
  SensorSim sim(with_key());
  HttpClient http = client();
  const HttpResponse response = http.get(sim.url(), key_header());
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.content_type.rfind("application/json", 0), 0u) << response.content_type;
  const auto payload = nlohmann::json::parse(response.body);
  ASSERT_TRUE(payload.is_array());
  EXPECT_EQ(payload.size(), 200u);
  EXPECT_EQ(sim.calls_served(), 1);
  EXPECT_TRUE(sleeps_.empty());
  EXPECT_EQ(warnings(), 0);
}

TEST_F(HttpClientTest, TheSameSeedGivesTheSameBytes) {
  SensorSim first(with_key([](SensorSimOptions& o) {
    o.records = 50;
    o.seed = 7;
  }));
  SensorSim second(with_key([](SensorSimOptions& o) {
    o.records = 50;
    o.seed = 7;
  }));
  SensorSim other(with_key([](SensorSimOptions& o) {
    o.records = 50;
    o.seed = 8;
  }));
  HttpClient http = client();
  const std::string body = http.get(first.url(), key_header()).body;
  EXPECT_EQ(http.get(second.url(), key_header()).body, body);
  EXPECT_NE(http.get(other.url(), key_header()).body, body);
}

TEST_F(HttpClientTest, AWrongKeyIsNoPermissionWithoutRetry) {
  SensorSim sim(with_key());
  HttpClient http = client();
  const Error error = failure(http, sim.url(), key_header("not-the-key"));
  EXPECT_EQ(error.code(), ExitCode::no_permission);
  EXPECT_EQ(std::string(error.what()),
            "GET " + sim.url() + ": 401 Unauthorized: check the API key");
  EXPECT_EQ(sim.calls_served(), 1);
  EXPECT_TRUE(sleeps_.empty());
}

TEST_F(HttpClientTest, AMissingKeyIsNoPermission) {
  SensorSim sim(with_key());
  HttpClient http = client();
  EXPECT_EQ(failure(http, sim.url(), {}).code(), ExitCode::no_permission);
}

TEST_F(HttpClientTest, ForbiddenIsNoPermission) {
  SensorSim sim(with_key([](SensorSimOptions& o) {
    o.fail_first = 1;
    o.fail_status = 403;
  }));
  HttpClient http = client();
  const Error error = failure(http, sim.url());
  EXPECT_EQ(error.code(), ExitCode::no_permission);
  EXPECT_TRUE(contains(error.what(), "403 Forbidden")) << error.what();
  EXPECT_EQ(sim.calls_served(), 1);
}

TEST_F(HttpClientTest, RetriesServiceUnavailableThenSucceeds) {
  SensorSim sim(with_key([](SensorSimOptions& o) {
    o.fail_first = 2;
    o.fail_status = 503;
  }));
  HttpClient http = client();
  const HttpResponse response = http.get(sim.url(), key_header());
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(sim.calls_served(), 3);
  ASSERT_EQ(sleeps_.size(), 2u);
  EXPECT_LE(sleeps_[0], milliseconds(40));  // full jitter within initial * 2^(retry-1)
  EXPECT_LE(sleeps_[1], milliseconds(80));
  EXPECT_EQ(warnings(), 2);
  EXPECT_TRUE(
      contains(log(), "GET " + sim.url() + " failed (attempt 1/4): 503 Service Unavailable"))
      << log();
  EXPECT_TRUE(contains(log(), "retrying in")) << log();
}

TEST_F(HttpClientTest, RetriesTooManyRequests) {
  SensorSim sim(with_key([](SensorSimOptions& o) {
    o.fail_first = 1;
    o.fail_status = 429;
  }));
  HttpClient http = client();
  EXPECT_EQ(http.get(sim.url(), key_header()).status, 200);
  EXPECT_EQ(sim.calls_served(), 2);
  EXPECT_EQ(sleeps_.size(), 1u);
}

TEST_F(HttpClientTest, GivesUpAfterTheLastAttempt) {
  SensorSim sim(with_key([](SensorSimOptions& o) {
    o.fail_first = 100;
    o.fail_status = 500;
  }));
  HttpSettings settings = fast_settings();
  settings.retry.attempts = 3;
  HttpClient http = client(settings);
  const Error error = failure(http, sim.url());
  EXPECT_EQ(error.code(), ExitCode::unavailable);
  EXPECT_EQ(std::string(error.what()), "GET " + sim.url() +
                                           ": gave up after 3 attempts; last error: 500 Internal "
                                           "Server Error");
  EXPECT_EQ(sim.calls_served(), 3);
  EXPECT_EQ(sleeps_.size(), 2u);
}

TEST_F(HttpClientTest, ASingleAttemptNeverSleeps) {
  SensorSim sim(with_key([](SensorSimOptions& o) { o.fail_first = 1; }));
  HttpSettings settings = fast_settings();
  settings.retry.attempts = 1;
  HttpClient http = client(settings);
  EXPECT_TRUE(contains(failure(http, sim.url()).what(), "gave up after 1 attempt;"));
  EXPECT_TRUE(sleeps_.empty());
}

TEST_F(HttpClientTest, AnotherClientErrorIsNotRetried) {
  SensorSim sim(with_key([](SensorSimOptions& o) {
    o.fail_first = 1;
    o.fail_status = 404;
  }));
  HttpClient http = client();
  const Error error = failure(http, sim.url());
  EXPECT_EQ(error.code(), ExitCode::unavailable);
  EXPECT_EQ(std::string(error.what()), "GET " + sim.url() + ": 404 Not Found");
  EXPECT_EQ(sim.calls_served(), 1);
  EXPECT_TRUE(sleeps_.empty());
}

TEST_F(HttpClientTest, RetryAfterSecondsWinOverTheBackoff) {
  SensorSim sim(with_key([](SensorSimOptions& o) {
    o.fail_first = 2;
    o.retry_after_seconds = 3;
  }));
  HttpClient http = client();
  EXPECT_EQ(http.get(sim.url(), key_header()).status, 200);
  EXPECT_EQ(sleeps_, (std::vector<milliseconds>{milliseconds(3000), milliseconds(3000)}));
}

TEST_F(HttpClientTest, RetryAfterIsCappedByTheMaximumBackoff) {
  SensorSim sim(with_key([](SensorSimOptions& o) {
    o.fail_first = 1;
    o.retry_after_seconds = 3600;
  }));
  HttpSettings settings = fast_settings();
  settings.retry.max_backoff = milliseconds(1500);
  HttpClient http = client(settings);
  EXPECT_EQ(http.get(sim.url(), key_header()).status, 200);
  EXPECT_EQ(sleeps_, std::vector<milliseconds>{milliseconds(1500)});
}

TEST_F(HttpClientTest, TheSimulatorMixesInInvalidAndDuplicateRecords) {
  SensorSim sim(with_key([](SensorSimOptions& o) {
    o.records = 40;
    o.invalid = 5;
    o.duplicates = 3;
  }));
  HttpClient http = client();
  const auto payload = nlohmann::json::parse(http.get(sim.url(), key_header()).body);
  ASSERT_EQ(payload.size(), 48u);
  int not_objects = 0, missing_lat = 0, string_temperature = 0, empty_id = 0, bad_lon = 0;
  std::map<std::string, std::vector<double>> temperatures_by_id;
  for (const auto& record : payload) {
    if (!record.is_object()) {
      ++not_objects;
      continue;
    }
    missing_lat += !record.contains("lat");
    string_temperature += record["temperature"].is_string();
    empty_id += record["id"] == "";
    bad_lon += std::abs(record["lon"].get<double>()) > 180;
    if (record["temperature"].is_number() && record["id"] != "") {
      temperatures_by_id[record["id"]].push_back(record["temperature"]);
    }
  }
  EXPECT_EQ(not_objects, 1);
  EXPECT_EQ(missing_lat, 1);
  EXPECT_EQ(string_temperature, 1);
  EXPECT_EQ(empty_id, 1);
  EXPECT_EQ(bad_lon, 1);
  int repeats = 0;
  for (const auto& [id, temperatures] : temperatures_by_id) {
    repeats += static_cast<int>(temperatures.size()) - 1;
    for (std::size_t i = 1; i < temperatures.size(); ++i)
      EXPECT_NE(temperatures[i], temperatures[0]);
  }
  EXPECT_EQ(repeats, 3);
}

TEST_F(HttpClientTest, TheSimulatorServesAPayloadFileVerbatim) {
  const std::string path = ::testing::TempDir() + "/sensor-payload-" + std::to_string(::getpid());
  const std::string content = "[{\"id\": 1},\n  \"anything\", {\"lat\": \"\u00e9\"}]  \n";
  std::ofstream(path, std::ios::binary) << content;
  {
    SensorSim sim(with_key([&](SensorSimOptions& o) { o.payload_file = path; }));
    HttpClient http = client();
    EXPECT_EQ(http.get(sim.url(), key_header()).body, content);
  }
  std::remove(path.c_str());
}

// integration_http links meteo_http alone, so the JSON check is nlohmann's; parse_sensor_payload's
// verdict on a truncated body is in unit_sources (ATruncatedBodyIsADataErrorNamingOriginAndByte).
TEST_F(HttpClientTest, ATruncatedBodyArrivesIntact) {
  SensorSim whole(with_key());
  SensorSim cut(with_key([](SensorSimOptions& o) { o.truncate = true; }));
  HttpClient http = client();
  const std::string full = http.get(whole.url(), key_header()).body;
  const HttpResponse response = http.get(cut.url(), key_header());
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, full.substr(0, full.size() / 2));  // every byte sent arrived
  EXPECT_FALSE(nlohmann::json::accept(response.body));
}

TEST_F(HttpClientTest, AnAnswerSlowerThanTheTimeoutIsUnavailable) {
  // Margins wide enough for a loaded machine: two 300 ms tries against a 4 s answer.
  SensorSim sim(with_key([](SensorSimOptions& o) { o.delay_ms = 4000; }));
  HttpSettings settings = fast_settings();
  settings.total_timeout = milliseconds(300);
  settings.retry.attempts = 2;
  HttpClient http = client(settings);
  const auto start = std::chrono::steady_clock::now();
  const Error error = failure(http, sim.url());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(3000));
  EXPECT_EQ(error.code(), ExitCode::unavailable);
  EXPECT_TRUE(contains(error.what(), "gave up after 2 attempts")) << error.what();
  EXPECT_TRUE(contains(error.what(), "curl error 28")) << error.what();
  EXPECT_EQ(sleeps_.size(), 1u);
}

TEST_F(HttpClientTest, ARefusedConnectionIsRetriedThenUnavailable) {
  std::string url;
  {
    SensorSim gone(with_key());
    url = gone.url();
  }  // the port is closed now
  HttpSettings settings = fast_settings();
  settings.retry.attempts = 3;
  HttpClient http = client(settings);
  const Error error = failure(http, url);
  EXPECT_EQ(error.code(), ExitCode::unavailable);
  EXPECT_TRUE(
      contains(error.what(), "GET " + url + ": gave up after 3 attempts; last error: curl error 7"))
      << error.what();
  EXPECT_EQ(sleeps_.size(), 2u);
}

TEST_F(HttpClientTest, ABodyOverTheLimitIsRefused) {
  SensorSim sim(with_key());
  const std::size_t full_size = client().get(sim.url(), key_header()).body.size();
  // A tiny limit trips on Content-Length; one byte short trips while the (compressed) body
  // streams in and is decoded.
  const std::map<std::size_t, std::string> expected{
      {100, "Content-Length announces more than 100 bytes (the max_body_mb cap); not retried"},
      {full_size - 1, "body exceeds " + std::to_string(full_size - 1) +
                          " bytes (the max_body_mb cap, after decoding "}};
  for (const auto& [limit, message] : expected) {
    HttpSettings settings = fast_settings();
    settings.max_body_bytes = limit;
    HttpClient http = client(settings);
    const int calls_before = sim.calls_served();
    const Error error = failure(http, sim.url());
    EXPECT_EQ(error.code(), ExitCode::unavailable);
    EXPECT_TRUE(contains(error.what(), "GET " + sim.url() + ": " + message)) << error.what();
    EXPECT_EQ(sim.calls_served(), calls_before + 1);  // no retry: it would not shrink
  }
  HttpSettings exact = fast_settings();
  exact.max_body_bytes = full_size;
  EXPECT_EQ(client(exact).get(sim.url(), key_header()).body.size(), full_size);
}

TEST_F(HttpClientTest, TheKeyNeverReachesLogsOrMessages) {
  SensorSim flaky(with_key([](SensorSimOptions& o) {
    o.fail_first = 2;
    o.retry_after_seconds = 0;
  }));
  SensorSim down(with_key([](SensorSimOptions& o) { o.fail_first = 100; }));
  HttpSettings settings = fast_settings();
  settings.retry.attempts = 3;
  HttpClient http = client(settings);
  http.get(flaky.url(), key_header());
  failure(http, down.url());
  // Even a URL that carries the key is scrubbed from what we print.
  failure(http, down.url() + "?key=" + kKey);
  EXPECT_EQ(warnings(), 6);
  EXPECT_FALSE(contains(log(), kKey)) << log();
}

TEST_F(HttpClientTest, UserInfoInAUrlIsNotPrinted) {
  SensorSim sim(with_key([](SensorSimOptions& o) { o.fail_first = 100; }));
  HttpSettings settings = fast_settings();
  settings.retry.attempts = 2;
  HttpClient http = client(settings);
  const std::string url =
      "http://user:hunter2@127.0.0.1:" + std::to_string(sim.port()) + "/sensor/temperatures";
  const Error error = failure(http, url);
  EXPECT_FALSE(contains(error.what(), "hunter2")) << error.what();
  EXPECT_FALSE(contains(log(), "hunter2")) << log();
  EXPECT_TRUE(contains(error.what(), "http://***@127.0.0.1:")) << error.what();
}

TEST_F(HttpClientTest, AHeaderWithALineBreakIsRefused) {
  SensorSim sim(with_key());
  HttpClient http = client();
  const Error error = failure(http, sim.url(),
                              {HttpHeader{"X-API-Key", std::string(kKey) + "\r\nX-Evil: 1", true}});
  EXPECT_EQ(error.code(), ExitCode::config);
  EXPECT_EQ(sim.calls_served(), 0);
}

TEST_F(HttpClientTest, OnlyHttpAndHttpsAreFetched) {
  HttpClient http = client();
  const Error error = failure(http, "ftp://127.0.0.1/regions.json", {});
  EXPECT_EQ(error.code(), ExitCode::unavailable);
  EXPECT_TRUE(sleeps_.empty());  // not worth a retry
}

}  // namespace
}  // namespace meteo
