// The Opendatasoft portal simulator (tools/portal-sim) as a real loopback server for one test.
#pragma once

#include <string>

#include "loopback_server.hpp"

namespace meteo::testing {

struct PortalSimOptions {
  std::string now = "2026-11-22T06:00:00Z";   // the portal's present: no record after it
  std::string from = "2026-11-20T00:00:00Z";  // the first record of every series
  int datasets = 4;  // serve the first N measurement datasets of the catalogue (0 = all)
  unsigned seed = 1;
  int revision = 0;          // >= 1: one record an hour before `now` is corrected (+0.5 °C)
  int rate_limit_first = 0;  // answer 429 with Retry-After to the first N requests
  int retry_after_seconds = 1;
  int rate_limit_exports = 0;      // answer 429 to the first N exports of a measurement dataset
  bool cut_exports = false;        // drop every measurement dataset's export after its first chunk
  bool future_row = true;          // each dataset also serves one record dated after `now`
  bool include_odd_schema = true;  // keep the real catalogue's datasets without heure_de_paris
  bool overflow_row = false;       // the record at now - 2 h gives its temperature as 1e309
  std::string events_file;  // --events: a JSON array of planted events (tools/portal-sim --help)
  std::string now_file;     // --now-file: re-read per request, replaces `now` while it parses
  int port = 0;             // 0: any free port; a restarted portal asks for the one it had
  // --synop: also serve Météo-France's SYNOP dataset donnees-synop-essentielles-omm (26 stations,
  // 3-hourly, records + exports/json + exports/csv; conventions in tools/portal-sim --help).
  bool synop = false;
  // false (only with synop): leave out Toulouse's reference files, so the portal serves SYNOP
  // alone and the test needs no shared data.
  bool toulouse_datasets = true;
  int daily_quota = 5000;  // --daily-quota: X-RateLimit-Limit on every API answer
};

class PortalSim {
 public:
  explicit PortalSim(PortalSimOptions options = {});
  std::string base_url() const { return server_.base_url(); }  // http://127.0.0.1:PORT
  int port() const { return server_.port(); }
  // GET /stats: "records", "exports", "catalog", "all"
  int requests(const std::string& kind) const;

 private:
  LoopbackServer server_;
};

}  // namespace meteo::testing
