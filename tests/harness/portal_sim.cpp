// Runs tools/portal-sim for one test and reads its counters over a plain loopback socket.
#include "portal_sim.hpp"

#include <nlohmann/json.hpp>
#include <vector>

#include "paths.hpp"

namespace meteo::testing {
namespace {

std::string toulouse_file(const std::string& name) {
  return shared_data("toulouse/" + name);
}

// Everything but --host, --port and --port-file, which LoopbackServer adds.
std::vector<std::string> command_line(const PortalSimOptions& o) {
  std::vector<std::string> argv{portal_sim_binary()};
  const auto add = [&argv](std::string flag, std::string value) {
    argv.push_back(std::move(flag));
    argv.push_back(std::move(value));
  };
  if (o.toulouse_datasets || !o.synop) {
    add("--stations", toulouse_file("stations-meteo-en-place.exports.json"));
    add("--catalog", toulouse_file("catalog-v1-search-q-meteo.json"));
  }
  if (o.synop) argv.emplace_back("--synop");
  add("--daily-quota", std::to_string(o.daily_quota));
  add("--now", o.now);
  add("--from", o.from);
  add("--datasets", std::to_string(o.datasets));
  add("--seed", std::to_string(o.seed));
  add("--revision", std::to_string(o.revision));
  add("--rate-limit-first", std::to_string(o.rate_limit_first));
  add("--retry-after", std::to_string(o.retry_after_seconds));
  add("--rate-limit-exports", std::to_string(o.rate_limit_exports));
  if (o.cut_exports) argv.emplace_back("--cut-exports");
  argv.emplace_back(o.future_row ? "--future-row" : "--no-future-row");
  argv.emplace_back(o.include_odd_schema ? "--include-odd-schema" : "--no-odd-schema");
  if (o.overflow_row) argv.emplace_back("--overflow-row");
  if (!o.events_file.empty()) add("--events", o.events_file);
  if (!o.now_file.empty()) add("--now-file", o.now_file);
  return argv;
}

}  // namespace

PortalSim::PortalSim(PortalSimOptions options)
    : server_("meteo-portal-sim", command_line(options), options.port) {}

int PortalSim::requests(const std::string& kind) const {
  return nlohmann::json::parse(server_.get("/stats")).at(kind).get<int>();
}

}  // namespace meteo::testing
