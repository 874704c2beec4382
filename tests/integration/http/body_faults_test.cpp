// HttpClient against the simulator's body faults: a body that trickles, a connection reset
// mid-body, an HTML error page served with 200, gzip (sound, corrupt, a bomb) and the size cap
// with and without a Content-Length. Each ends in one clear Error, within seconds. Then the same
// paths with the body streamed to the caller.
#include <gtest/gtest.h>
#include <spdlog/logger.h>
#include <spdlog/sinks/ostream_sink.h>

#include <chrono>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "loopback_server.hpp"
#include "meteo/core/errors.hpp"
#include "meteo/http/client.hpp"
#include "sensor_sim.hpp"

namespace meteo {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::SensorSim;
using testing::SensorSimOptions;
using Clock = std::chrono::steady_clock;

constexpr const char* kKey = "body-faults-key";

// Simulator options expecting kKey, adjusted by `change`.
template <typename Change>
SensorSimOptions sim_options(Change change) {
  SensorSimOptions options;
  options.api_key = kKey;
  change(options);
  return options;
}

const std::vector<HttpHeader> kKeyHeader{HttpHeader{"X-API-Key", kKey, true}};

HttpSettings fast_settings() {
  HttpSettings settings;
  settings.connect_timeout = milliseconds(2000);
  settings.total_timeout = milliseconds(10000);
  settings.retry.attempts = 3;
  settings.retry.initial_backoff = milliseconds(20);
  settings.retry.max_backoff = milliseconds(100);
  return settings;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class BodyFaults : public ::testing::Test {
 protected:
  BodyFaults()
      : logger_(std::make_shared<spdlog::logger>(
            "body-faults", std::make_shared<spdlog::sinks::ostream_sink_mt>(log_text_))) {
    logger_->set_level(spdlog::level::trace);
  }

  HttpClient client(HttpSettings settings = fast_settings()) {
    return HttpClient(settings, *logger_, [this](milliseconds delay) { sleeps_.push_back(delay); });
  }

  // The Error a JSON fetch of `sim` throws; a test failure when it answers.
  Error failure(HttpClient& http, const SensorSim& sim) {
    try {
      const HttpResponse response = http.get(sim.url(), kKeyHeader, AcceptedContent::json);
      ADD_FAILURE() << "GET " << sim.url() << " answered " << response.status;
    } catch (const Error& error) {
      return error;
    }
    return Error(ExitCode::ok, "");
  }

  CurlGlobal curl_;
  std::ostringstream log_text_;
  std::shared_ptr<spdlog::logger> logger_;
  std::vector<milliseconds> sleeps_;
};

// ---- a. A body that trickles ------------------------------------------------------------------

TEST_F(BodyFaults, ATricklingBodyEndsAtTheTotalTimeout) {
  SensorSim sim(sim_options([](SensorSimOptions& o) { o.trickle = true; }));
  HttpSettings settings = fast_settings();
  settings.total_timeout = milliseconds(1200);
  settings.low_speed_bytes_per_second = 0;  // the total timeout alone
  settings.retry.attempts = 2;
  HttpClient http = client(settings);
  const auto start = Clock::now();
  const Error error = failure(http, sim);
  EXPECT_LT(Clock::now() - start, seconds(8)) << "the trickle never ends by itself";
  EXPECT_EQ(error.code(), ExitCode::unavailable);
  EXPECT_TRUE(contains(error.what(), "GET " + sim.url() + ": gave up after 2 attempts"))
      << error.what();
  EXPECT_TRUE(contains(error.what(), "curl error 28: Operation timed out after")) << error.what();
  EXPECT_TRUE(contains(error.what(), "bytes received")) << "some body did arrive: " << error.what();
  EXPECT_EQ(sim.calls_served(), 2);
  EXPECT_EQ(sleeps_.size(), 1u);
}

TEST_F(BodyFaults, ATricklingBodyEndsAtTheLowSpeedGuardLongBeforeTheTotalTimeout) {
  SensorSim sim(sim_options([](SensorSimOptions& o) { o.trickle = true; }));
  HttpSettings settings = fast_settings();
  settings.total_timeout = milliseconds(60000);
  settings.low_speed_bytes_per_second = 100;  // the trickle sends 10
  settings.low_speed_window = seconds(1);
  settings.retry.attempts = 1;
  HttpClient http = client(settings);
  const auto start = Clock::now();
  const Error error = failure(http, sim);
  EXPECT_LT(Clock::now() - start, seconds(15)) << "not the 60 s total timeout";
  EXPECT_EQ(error.code(), ExitCode::unavailable);
  EXPECT_TRUE(contains(error.what(), "curl error 28: Operation too slow")) << error.what();
}

// ---- b. A connection reset mid-body -----------------------------------------------------------

TEST_F(BodyFaults, AConnectionResetMidBodyIsRetriedThenUnavailable) {
  SensorSim sim(sim_options([](SensorSimOptions& o) { o.reset_mid_body = true; }));
  HttpClient http = client();
  const Error error = failure(http, sim);
  EXPECT_EQ(error.code(), ExitCode::unavailable);
  // 56: the reset itself; 18: the reset seen as a body cut short. Both are network errors.
  const std::string message = error.what();
  EXPECT_TRUE(contains(message, "GET " + sim.url() +
                                    ": gave up after 3 attempts; last error: "
                                    "curl error 56: ") ||
              contains(message, "GET " + sim.url() +
                                    ": gave up after 3 attempts; last error: "
                                    "curl error 18: "))
      << message;
  EXPECT_EQ(sim.calls_served(), 3);
  EXPECT_EQ(sleeps_.size(), 2u);
}

// ---- c. An HTML error page served with 200 ----------------------------------------------------

TEST_F(BodyFaults, AnHtmlPageIsADataErrorNamingTheTypeAndTheFirstBytes) {
  SensorSim sim(sim_options([](SensorSimOptions& o) { o.html_error = true; }));
  HttpClient http = client();
  const Error error = failure(http, sim);
  EXPECT_EQ(error.code(), ExitCode::data);
  EXPECT_EQ(std::string(error.what()),
            "GET " + sim.url() +
                ": answered 200 with Content-Type \"text/html; charset=utf-8\", not JSON; the body "
                "starts \"<!DOCTYPE html> <html><head><title>Maintenance</title></head> "
                "<body><h1>Service en maintenance</h1><p>The sensor API is\"")
      << "the first 120 bytes, on one line";
  EXPECT_EQ(sim.calls_served(), 1) << "not retried: cron's next run will do";
  EXPECT_TRUE(sleeps_.empty());
}

TEST_F(BodyFaults, TheContentTypeCheckIsTheCallersChoice) {
  SensorSim sim(sim_options([](SensorSimOptions& o) { o.html_error = true; }));
  HttpClient http = client();
  const HttpResponse page = http.get(sim.url(), kKeyHeader);  // AcceptedContent::any
  EXPECT_EQ(page.status, 200);
  EXPECT_TRUE(contains(page.body, "<h1>Service en maintenance</h1>")) << page.body;
}

TEST_F(BodyFaults, JsonIsAcceptedWithACharsetAndWhenChunked) {
  SensorSim sim(sim_options([](SensorSimOptions& o) { o.chunked = true; }));
  HttpClient http = client();
  const HttpResponse response = http.get(sim.url(), kKeyHeader, AcceptedContent::json);
  EXPECT_EQ(response.content_type, "application/json; charset=utf-8");
  EXPECT_EQ(response.body.front(), '[');
}

// ---- d. gzip ----------------------------------------------------------------------------------

TEST_F(BodyFaults, AGzipBodyIsDecodedToTheSameBytesAsThePlainOne) {
  SensorSim plain(sim_options([](SensorSimOptions& o) { o.identity = true; }));
  SensorSim gzip(sim_options([](SensorSimOptions& o) { o.gzip = true; }));
  HttpClient http = client();
  const HttpResponse decoded = http.get(gzip.url(), kKeyHeader, AcceptedContent::json);
  const HttpResponse original = http.get(plain.url(), kKeyHeader, AcceptedContent::json);
  ASSERT_GT(original.body.size(), 10000u);
  EXPECT_EQ(decoded.body, original.body);
  // What travelled was gzip indeed: magic bytes, and far fewer of them.
  const std::string raw = testing::loopback_get(gzip.port(), "/sensor/temperatures", seconds(5),
                                                {std::string("X-API-Key: ") + kKey});
  const auto body_start = raw.find("\r\n\r\n");
  ASSERT_NE(body_start, std::string::npos) << raw;
  EXPECT_TRUE(contains(raw.substr(0, body_start), "Content-Encoding: gzip")) << raw;
  EXPECT_EQ(raw.substr(body_start + 4, 2), "\x1f\x8b");
  EXPECT_LT(raw.size() - body_start - 4, original.body.size() / 2);
}

TEST_F(BodyFaults, ACorruptGzipBodyIsADataErrorNotRetried) {
  SensorSim sim(sim_options([](SensorSimOptions& o) { o.gzip_corrupt = true; }));
  HttpClient http = client();
  const Error error = failure(http, sim);
  EXPECT_EQ(error.code(), ExitCode::data);
  EXPECT_TRUE(contains(error.what(), "GET " + sim.url() +
                                         ": the body cannot be decoded (Content-Encoding "
                                         "\"gzip\"): curl error 61: "))
      << error.what();
  EXPECT_EQ(sim.calls_served(), 1);
  EXPECT_TRUE(sleeps_.empty());
}

TEST_F(BodyFaults, AGzipBombIsStoppedByTheCapOnDecodedBytes) {
  // 64 GiB once inflated: were the cap checked on the compressed bytes or after buffering, this
  // test would run out of time or memory.
  SensorSim sim(sim_options([](SensorSimOptions& o) { o.gzip_bomb_bytes = 64ULL << 30; }));
  HttpSettings settings = fast_settings();
  settings.max_body_bytes = 1 << 20;
  HttpClient http = client(settings);
  const auto start = Clock::now();
  const Error error = failure(http, sim);
  EXPECT_LT(Clock::now() - start, seconds(8));
  EXPECT_EQ(error.code(), ExitCode::unavailable);
  EXPECT_EQ(std::string(error.what()),
            "GET " + sim.url() +
                ": body exceeds 1048576 bytes (the max_body_mb cap, after decoding gzip); not "
                "retried");
  EXPECT_EQ(sim.calls_served(), 1);
  EXPECT_TRUE(sleeps_.empty());
}

// ---- e. The size cap --------------------------------------------------------------------------

TEST_F(BodyFaults, AnAnnouncedLengthOverTheCapIsRefusedBeforeTheBody) {
  SensorSim sim(sim_options([](SensorSimOptions& o) { o.identity = true; }));
  HttpSettings settings = fast_settings();
  settings.max_body_bytes = 1000;
  HttpClient http = client(settings);
  const Error error = failure(http, sim);
  EXPECT_EQ(error.code(), ExitCode::unavailable);
  EXPECT_EQ(std::string(error.what()),
            "GET " + sim.url() +
                ": Content-Length announces more than 1000 bytes (the max_body_mb cap); not "
                "retried");
  EXPECT_EQ(sim.calls_served(), 1);
  EXPECT_TRUE(sleeps_.empty());
}

TEST_F(BodyFaults, AChunkedBodyOverTheCapIsStoppedWhileStreaming) {
  SensorSim sim(sim_options([](SensorSimOptions& o) { o.chunked = true; }));
  const std::size_t size = client().get(sim.url(), kKeyHeader).body.size();
  HttpSettings settings = fast_settings();
  settings.max_body_bytes = size - 1;
  HttpClient http = client(settings);
  const Error error = failure(http, sim);
  EXPECT_EQ(error.code(), ExitCode::unavailable);
  EXPECT_EQ(std::string(error.what()), "GET " + sim.url() + ": body exceeds " +
                                           std::to_string(size - 1) +
                                           " bytes (the max_body_mb cap); not retried");
  EXPECT_EQ(sim.calls_served(), 2);  // the measuring call, then one try
  settings.max_body_bytes = size;
  EXPECT_EQ(client(settings).get(sim.url(), kKeyHeader).body.size(), size);
}

// ---- h. A streamed body (HttpClient::get with a BodyStream) -----------------------------------
// The body reaches the stream chunk by chunk and never the response; a failed try's bytes are
// dropped by restart(); what the stream throws ends the fetch as it is, without a retry.

// Records what a BodyStream hears.
struct Recorder {
  int restarts = 0;
  int chunks = 0;
  std::string body;

  BodyStream stream() {
    return {[this] {
              ++restarts;
              body.clear();
            },
            [this](std::string_view chunk) {
              ++chunks;
              body.append(chunk);
            }};
  }
};

TEST_F(BodyFaults, AStreamedBodyReachesTheStreamWholeAndTheResponseEmpty) {
  SensorSim sim(sim_options([](SensorSimOptions& o) { o.records = 5000; }));
  HttpClient http = client();
  const std::string whole = http.get(sim.url(), kKeyHeader, AcceptedContent::json).body;
  Recorder recorder;
  const HttpResponse response =
      http.get(sim.url(), kKeyHeader, AcceptedContent::json, recorder.stream());
  EXPECT_EQ(response.status, 200);
  EXPECT_TRUE(response.body.empty());
  EXPECT_EQ(recorder.restarts, 1);
  EXPECT_GT(recorder.chunks, 1) << "a 5000-reading body arrives in several chunks";
  EXPECT_EQ(recorder.body, whole);
}

TEST_F(BodyFaults, AStreamedGzipBodyArrivesDecoded) {
  SensorSim plain(sim_options([](SensorSimOptions& o) { o.identity = true; }));
  SensorSim gzip(sim_options([](SensorSimOptions& o) { o.gzip = true; }));
  HttpClient http = client();
  Recorder recorder;
  http.get(gzip.url(), kKeyHeader, AcceptedContent::json, recorder.stream());
  EXPECT_EQ(recorder.body, http.get(plain.url(), kKeyHeader).body);
}

TEST_F(BodyFaults, AStreamRestartsOnEveryTrySoAFailedTrysBytesAreDropped) {
  SensorSim sim(sim_options([](SensorSimOptions& o) { o.reset_mid_body = true; }));
  HttpClient http = client();
  Recorder recorder;
  try {
    http.get(sim.url(), kKeyHeader, AcceptedContent::json, recorder.stream());
    ADD_FAILURE() << "a body reset every time cannot succeed";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ExitCode::unavailable) << error.what();
  }
  EXPECT_EQ(sim.calls_served(), 3);
  EXPECT_EQ(recorder.restarts, 3);
}

TEST_F(BodyFaults, ErrorPagesAreNeverStreamed) {
  SensorSim sim(sim_options([](SensorSimOptions& o) {
    o.fail_first = 2;
    o.fail_status = 503;
  }));
  HttpClient http = client();
  Recorder recorder;
  http.get(sim.url(), kKeyHeader, AcceptedContent::json, recorder.stream());
  EXPECT_EQ(sim.calls_served(), 3);
  EXPECT_EQ(recorder.restarts, 1) << "only the 200 reached the stream";
  EXPECT_EQ(recorder.body.front(), '[');
}

TEST_F(BodyFaults, WhatAStreamThrowsEndsTheFetchWithoutRetry) {
  SensorSim sim(sim_options([](SensorSimOptions&) {}));
  HttpClient http = client();
  const BodyStream failing{
      [] {},
      [](std::string_view) { throw Error(ExitCode::io, "raw archive: cannot write: disk full"); }};
  try {
    http.get(sim.url(), kKeyHeader, AcceptedContent::json, failing);
    ADD_FAILURE() << "the stream's error was lost";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ExitCode::io);
    EXPECT_STREQ(error.what(), "raw archive: cannot write: disk full");
  }
  EXPECT_EQ(sim.calls_served(), 1);
}

TEST_F(BodyFaults, TheSizeCapHoldsForStreamedBodies) {
  SensorSim sim(sim_options([](SensorSimOptions& o) {
    o.records = 5000;
    o.chunked = true;
  }));
  HttpSettings settings = fast_settings();
  settings.max_body_bytes = 64 * 1024;
  HttpClient http = client(settings);
  Recorder recorder;
  try {
    http.get(sim.url(), kKeyHeader, AcceptedContent::json, recorder.stream());
    ADD_FAILURE() << "a body over the cap was taken";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ExitCode::unavailable) << error.what();
  }
  EXPECT_LE(recorder.body.size(), settings.max_body_bytes);
}

}  // namespace
}  // namespace meteo
