// Runs tools/arcgis-sim for one test and reads its counters over a plain loopback socket.
#include "arcgis_sim.hpp"

#include <nlohmann/json.hpp>

#include "paths.hpp"

namespace meteo::testing {
namespace {

// Everything but --host, --port and --port-file, which LoopbackServer adds. Options left at
// their defaults stay off the command line, so the simulator's own defaults apply.
std::vector<std::string> command_line(const ArcGisSimOptions& o) {
  std::vector<std::string> argv{arcgis_sim_binary()};
  const auto add = [&argv](std::string flag, std::string value) {
    argv.push_back(std::move(flag));
    argv.push_back(std::move(value));
  };
  add("--csv", o.csv.empty() ? shared_data(kAtmoCsv) : o.csv);
  add("--service", kAtmoService);
  add("--now", o.now);
  add("--max-record-count", std::to_string(o.max_record_count));
  if (!o.pagination) argv.emplace_back("--no-pagination");
  if (o.error_at_offset >= 0) {
    add("--error-at-offset", std::to_string(o.error_at_offset));
    add("--error-code", std::to_string(o.error_code));
  }
  if (o.rewrite_after_first_page) argv.emplace_back("--rewrite-after-first-page");
  add("--rate-limit-first", std::to_string(o.rate_limit_first));
  add("--retry-after", std::to_string(o.retry_after_seconds));
  add("--provisional-hours", std::to_string(o.provisional_hours));
  add("--revision", std::to_string(o.revision));
  for (const auto& set : o.sets) add("--set", set);
  for (const auto& set : o.provisional_sets) add("--provisional-set", set);
  if (!o.dump_csv.empty()) add("--dump-csv", o.dump_csv);
  return argv;
}

}  // namespace

ArcGisSim::ArcGisSim(ArcGisSimOptions options)
    : server_("meteo-arcgis-sim", command_line(options)) {}

std::string ArcGisSim::layer_path() {
  return std::string("/arcgis/rest/services/") + kAtmoService + "/FeatureServer/0";
}

int ArcGisSim::requests(const std::string& kind) const {
  return nlohmann::json::parse(server_.get("/stats")).at(kind).get<int>();
}

}  // namespace meteo::testing
