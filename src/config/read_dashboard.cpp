// [dashboard]: where the static dashboard is written, in which language, and how it draws.
#include "sections.hpp"

namespace meteo::config_detail {
namespace {

void read_simplify_tolerance(const ConfigReader& reader, const toml::table& t,
                             const std::string& where, DashboardConfig& dashboard) {
  const toml::node* node = t.get("simplify_tolerance_degrees");
  if (!node) return;
  // An integer is accepted too: TOML writes 0 and 1 without a decimal point.
  const auto value = node->value<double>();
  if (!value || !(node->is_floating_point() || node->is_integer())) {
    reader.fail(where + ".simplify_tolerance_degrees", "must be a number");
  }
  if (*value < 0 || *value > 1) {
    reader.fail(where + ".simplify_tolerance_degrees", "must be between 0 and 1");
  }
  dashboard.simplify_tolerance = *value;
}

}  // namespace

DashboardConfig read_dashboard(const ConfigReader& reader, const toml::table& t) {
  const std::string where = "dashboard";
  reader.expect_only(t, where,
                     {"out", "refresh_after_run", "language", "stale_after_minutes",
                      "simplify_tolerance_degrees"});
  DashboardConfig dashboard;
  reader.read_string(t, where, "out", dashboard.out);
  reader.read_bool(t, where, "refresh_after_run", dashboard.refresh_after_run);
  reader.read_string(t, where, "language", dashboard.language);
  if (dashboard.language != "fr" && dashboard.language != "en") {
    reader.fail(where + ".language", "must be fr or en");
  }
  reader.read_integer(t, where, "stale_after_minutes", dashboard.stale_after_minutes, 1,
                      60 * 24 * 366);
  read_simplify_tolerance(reader, t, where, dashboard);
  if (dashboard.refresh_after_run && dashboard.out.empty()) {
    reader.fail(where + ".out", "is required when refresh_after_run is true");
  }
  return dashboard;
}

}  // namespace meteo::config_detail
