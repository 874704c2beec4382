// The sensor simulator (tools/sensor-sim) as a real loopback server for one test.
#pragma once

#include <cstdint>
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
  // Body faults (at most one, truncate included):
  bool identity = false;              // never compressed, Content-Length known
  bool chunked = false;               // chunked, never compressed: no Content-Length
  bool trickle = false;               // one byte every 100 ms, never done
  bool reset_mid_body = false;        // half the body, then a TCP reset
  bool html_error = false;            // 200 with an HTML maintenance page
  bool gzip = false;                  // gzip-encoded, asked or not
  bool gzip_corrupt = false;          // gzip-encoded, damaged in the middle
  std::uint64_t gzip_bomb_bytes = 0;  // gzip inflating to this many bytes, chunked
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
