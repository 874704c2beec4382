// Runs tools/sensor-sim for one test and talks to it over a plain loopback socket.
#include "sensor_sim.hpp"

#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

#include "paths.hpp"

namespace meteo::testing {
namespace {

// Everything but --host, --port and --port-file, which LoopbackServer adds.
std::vector<std::string> command_line(const SensorSimOptions& o) {
  std::vector<std::string> argv{sensor_sim_binary(),
                                "--records",
                                std::to_string(o.records),
                                "--seed",
                                std::to_string(o.seed),
                                "--api-key",
                                o.api_key,
                                "--invalid",
                                std::to_string(o.invalid),
                                "--duplicates",
                                std::to_string(o.duplicates),
                                "--fail-first",
                                std::to_string(o.fail_first),
                                "--fail-status",
                                std::to_string(o.fail_status),
                                "--delay-ms",
                                std::to_string(o.delay_ms)};
  const auto add = [&argv](std::string flag, std::string value) {
    argv.push_back(std::move(flag));
    argv.push_back(std::move(value));
  };
  if (o.retry_after_seconds >= 0) add("--retry-after", std::to_string(o.retry_after_seconds));
  if (o.truncate) argv.emplace_back("--truncate");
  if (!o.payload_file.empty()) add("--payload", o.payload_file);
  if (!o.static_dir.empty()) add("--static", o.static_dir);
  const std::pair<bool, const char*> flags[] = {
      {o.identity, "--identity"},         {o.chunked, "--chunked"},
      {o.trickle, "--trickle"},           {o.reset_mid_body, "--reset-mid-body"},
      {o.html_error, "--html-error"},     {o.gzip, "--gzip"},
      {o.gzip_corrupt, "--gzip-corrupt"},
  };
  for (const auto& [set, flag] : flags) {
    if (set) argv.emplace_back(flag);
  }
  if (o.gzip_bomb_bytes > 0) add("--gzip-bomb", std::to_string(o.gzip_bomb_bytes));
  return argv;
}

}  // namespace

SensorSim::SensorSim(SensorSimOptions options)
    : server_("meteo-sensor-sim", command_line(options)) {}

std::string SensorSim::url() const {
  return base_url() + "/sensor/temperatures";
}

int SensorSim::calls_served() const {
  return nlohmann::json::parse(server_.get("/stats")).at("sensor_calls").get<int>();
}

}  // namespace meteo::testing
