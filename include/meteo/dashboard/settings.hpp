// The dashboard's settings ([dashboard]): a plain struct.
#pragma once

#include <string>

namespace meteo {

// The static dashboard written by `meteo-etl dashboard` (and by `run` when refresh_after_run).
struct DashboardConfig {
  std::string out;  // the site's directory
  bool refresh_after_run = false;
  std::string language = "fr";        // fr or en: the page's language
  int stale_after_minutes = 90;       // a source without success for this long is shown stale
  double simplify_tolerance = 0.002;  // degrees, for the shapes sent to the browser
};

}  // namespace meteo
