// The sensor simulator (tools/sensor-sim) as a real loopback server for one test.
#pragma once

#include <string>

#include "loopback_server.hpp"

namespace meteo::testing {

struct SensorSimOptions {
  int records = 200;  // generated readings per payload
  unsigned seed = 1;  // same seed, same payload
  std::string api_key = "test-key";
  int invalid = 0;     // extra invalid records mixed in
  int duplicates = 0;  // ids repeated later in the payload
  int fail_first = 0;  // answer fail_status to the first N calls
  int fail_status = 503;
  int retry_after_seconds = -1;  // sent with failures when >= 0
  int delay_ms = 0;              // before every answer
  bool truncate = false;         // cut the JSON body in the middle
  std::string payload_file;      // serve this file verbatim instead of generating
  std::string static_dir;        // also serve files under /static/
};

// Starts meteo-sensor-sim on an ephemeral port, waits until it answers, stops it on destruction.
class SensorSim {
 public:
  explicit SensorSim(SensorSimOptions options = {});
  int port() const { return server_.port(); }
  std::string base_url() const { return server_.base_url(); }  // http://127.0.0.1:PORT
  std::string url() const;   // base_url() + "/sensor/temperatures"
  int calls_served() const;  // GET /stats: how many sensor calls were answered

 private:
  LoopbackServer server_;
};

}  // namespace meteo::testing
