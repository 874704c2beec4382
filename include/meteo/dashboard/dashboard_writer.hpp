// The static dashboard: the page's files and the data files of docs/dashboard-data.md.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "meteo/analysis/settings.hpp"
#include "meteo/core/time.hpp"
#include "meteo/dashboard/settings.hpp"
#include "meteo/model/region_set_spec.hpp"
#include "meteo/model/source_scope.hpp"
#include "meteo/store/database.hpp"

namespace spdlog {
class logger;
}

namespace meteo::dashboard {

// A file of web/dist compiled into the binary (see cmake/EmbedFiles.cmake).
struct EmbeddedFile {
  std::string_view path;  // relative to web/dist: "index.html", "assets/app.js"
  std::string_view bytes;
};

// Every file of web/dist at build time; empty when the page was not built.
const std::vector<EmbeddedFile>& dashboard_assets();

// What the dashboard reads of the configuration: [dashboard] (its defaults when the file has no
// such table), the sources shown and the region sets drawn, each in the configuration's order,
// and the interventions ([[interventions]]) marked on the normalised series.
struct DashboardInputs {
  DashboardConfig dashboard;
  std::vector<SourceScope> sources;
  std::vector<RegionSetConfig> region_sets;
  std::vector<analysis::Intervention> interventions;
};

struct DashboardSettings {
  std::filesystem::path out;
  std::string language = "fr";
  int stale_after_minutes = 90;
  double simplify_tolerance = 0.002;
};

// [dashboard] with `out_override` (the command line) winning over its `out`. Throws
// Error(usage) when neither names a directory.
DashboardSettings dashboard_settings(const DashboardInputs& inputs,
                                     const std::string& out_override);

struct DashboardReport {
  std::size_t data_files = 0;
  std::size_t page_files = 0;
};

// Writes the site under settings.out. Each file goes to a temporary name first and is renamed,
// data/meta.json last, so a reader never sees half a file nor a meta.json naming missing files.
DashboardReport write_dashboard(Database& db, const DashboardInputs& inputs,
                                const DashboardSettings& settings, UtcSeconds generated_at,
                                spdlog::logger& log);

}  // namespace meteo::dashboard
