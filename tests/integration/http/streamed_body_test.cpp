// HttpClient::get with a BodyStream against the real simulator: the body reaches the stream chunk
// by chunk and never the response; a failed try's bytes are dropped by restart(); what the stream
// throws ends the fetch as it is, without a retry.
#include <gtest/gtest.h>
#include <spdlog/logger.h>
#include <spdlog/sinks/null_sink.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "meteo/errors.hpp"
#include "meteo/http.hpp"
#include "sensor_sim.hpp"

namespace meteo {
namespace {

using std::chrono::milliseconds;
using testing::SensorSim;
using testing::SensorSimOptions;

constexpr const char* kKey = "streamed-body-key";
const std::vector<HttpHeader> kKeyHeader{HttpHeader{"X-API-Key", kKey, true}};

template <typename Change>
SensorSimOptions sim_options(Change change) {
  SensorSimOptions options;
  options.api_key = kKey;
  change(options);
  return options;
}

SensorSimOptions sim_options() {
  return sim_options([](SensorSimOptions&) {});
}

HttpSettings fast_settings() {
  HttpSettings settings;
  settings.connect_timeout = milliseconds(2000);
  settings.total_timeout = milliseconds(10000);
  settings.retry.attempts = 3;
  settings.retry.initial_backoff = milliseconds(1);
  settings.retry.max_backoff = milliseconds(1);
  return settings;
}

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

class StreamedBody : public ::testing::Test {
 protected:
  HttpClient client(HttpSettings settings = fast_settings()) {
    return HttpClient(settings, *logger_, [](milliseconds) {});
  }

  CurlGlobal curl_;
  std::shared_ptr<spdlog::logger> logger_ =
      std::make_shared<spdlog::logger>("streamed", std::make_shared<spdlog::sinks::null_sink_mt>());
};

TEST_F(StreamedBody, TheStreamGetsExactlyTheBodyAndTheResponseNone) {
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

TEST_F(StreamedBody, AGzipBodyIsStreamedDecoded) {
  SensorSim plain(sim_options([](SensorSimOptions& o) { o.identity = true; }));
  SensorSim gzip(sim_options([](SensorSimOptions& o) { o.gzip = true; }));
  HttpClient http = client();
  Recorder recorder;
  http.get(gzip.url(), kKeyHeader, AcceptedContent::json, recorder.stream());
  EXPECT_EQ(recorder.body, http.get(plain.url(), kKeyHeader).body);
}

TEST_F(StreamedBody, EveryTryRestartsTheStreamSoAFailedTrysBytesAreDropped) {
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

TEST_F(StreamedBody, ErrorPagesAreNeverStreamed) {
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

TEST_F(StreamedBody, WhatTheStreamThrowsEndsTheFetchWithoutRetry) {
  SensorSim sim(sim_options());
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

TEST_F(StreamedBody, TheSizeCapHoldsForStreamedBodies) {
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
