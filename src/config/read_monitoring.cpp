// [monitoring]: staleness for `status` (and a per-source override) and the Prometheus textfile.
#include <algorithm>

#include "sections.hpp"

namespace meteo {
namespace config_detail {
namespace {

constexpr long long kMaxMinutes = 60 * 24 * 366;

void read_stale_by_source(const ConfigReader& reader, const toml::table& by_source,
                          const std::string& table, const Config& config,
                          MonitoringConfig& monitoring) {
  for (const auto& [name, value] : by_source) {
    const std::string source(name.str());
    const bool configured = std::any_of(config.sources.begin(), config.sources.end(),
                                        [&](const SourceConfig& s) { return s.name == source; });
    if (!configured) reader.fail(table + "." + source, "no [[sources]] entry has this name");
    int minutes = 0;
    reader.read_integer(by_source, table, source, minutes, 1, kMaxMinutes);
    monitoring.stale_after_minutes_by_source.emplace_back(source, minutes);
  }
}

void read_metrics_file(const ConfigReader& reader, const toml::table& t, const std::string& where,
                       MonitoringConfig& monitoring) {
  std::string metrics_file;
  reader.read_string(t, where, "metrics_file", metrics_file);
  // node_exporter's textfile collector reads *.prom only: another name would be silently ignored.
  if (!metrics_file.empty() && std::filesystem::path(metrics_file).extension() != ".prom") {
    reader.fail(where + ".metrics_file", "must end in .prom (node_exporter reads only *.prom)");
  }
  monitoring.metrics_file = metrics_file;
  // Relative to the config file, as cron's working directory is anyone's guess.
  if (!metrics_file.empty()) {
    monitoring.metrics_file = reader.resolve(monitoring.metrics_file);
  }
}

}  // namespace

MonitoringConfig read_monitoring(const ConfigReader& reader, const toml::table* t,
                                 const Config& config) {
  MonitoringConfig monitoring;
  if (config.dashboard) monitoring.stale_after_minutes = config.dashboard->stale_after_minutes;
  if (!t) return monitoring;
  const std::string where = "monitoring";
  reader.expect_only(*t, where,
                     {"stale_after_minutes", "stale_after_minutes_by_source", "metrics_file"});
  reader.read_integer(*t, where, "stale_after_minutes", monitoring.stale_after_minutes, 1,
                      kMaxMinutes);
  if (const toml::table* by_source = reader.subtable(*t, where, "stale_after_minutes_by_source")) {
    read_stale_by_source(reader, *by_source, where + ".stale_after_minutes_by_source", config,
                         monitoring);
  }
  read_metrics_file(reader, *t, where, monitoring);
  return monitoring;
}

}  // namespace config_detail
}  // namespace meteo
