// The ATMO Occitanie ArcGIS layer simulator (tools/arcgis-sim) as a real loopback server for one
// test, serving the shared hub CSV.
#pragma once

#include <string>
#include <vector>

#include "loopback_server.hpp"

namespace meteo::testing {

// The hub CSV under <shared>/data, for METEO_SKIP_WITHOUT_SHARED_DATA.
inline constexpr const char* kAtmoCsv = "atmo/Mesure_72h_Region_Occitanie_Polluants_Principaux.csv";
inline constexpr const char* kAtmoService = "mesures_occitanie_72h_poll_princ";

struct ArcGisSimOptions {
  std::string csv;  // the layer's CSV; empty: the shared hub download (kAtmoCsv)
  // The layer's present. The file's newest hour (08:00Z) is moved to the last day before it, so
  // at 09:00Z the whole file is served and its newest row starts an hour before now.
  std::string now = "2026-11-22T09:00:00Z";
  int max_record_count = 1000;
  bool pagination = true;
  long long error_at_offset = -1;  // the first page at this resultOffset fails; -1: none
  int error_code = 400;
  bool rewrite_after_first_page = false;  // then: ObjectIds renumbered, lastEditDate + 1 min
  int rate_limit_first = 0;  // answer HTTP 429 with Retry-After to the first N requests
  int retry_after_seconds = 1;
  int provisional_hours = 0;      // rows of the last N hours: statut_valid 'f', value x 1.1
  int revision = 0;               // 1: those rows come back validated; 2: provisional again
  std::vector<std::string> sets;  // "STATION,POLL,HOURS_BEFORE_NOW,VALUE", each a --set
  std::vector<std::string> provisional_sets;  // the same, each a --provisional-set
  std::string dump_csv;                       // when set, the simulator writes what it serves here
};

class ArcGisSim {
 public:
  explicit ArcGisSim(ArcGisSimOptions options = {});
  std::string base_url() const { return server_.base_url(); }  // http://127.0.0.1:PORT
  int port() const { return server_.port(); }
  // /arcgis/rest/services/<service>/FeatureServer/0, the layer's path on base_url().
  static std::string layer_path();
  // GET /stats: "all", "pages", "counts", "errors", "rate_limited".
  int requests(const std::string& kind) const;

 private:
  LoopbackServer server_;
};

}  // namespace meteo::testing
