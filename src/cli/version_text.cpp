// `--version`: what an operator pastes into a bug report. Each module names its own library, so
// the command line includes none of their headers. Needs no configuration and no database.
#include "command_line.hpp"
#include "meteo/analysis/impact.hpp"
#include "meteo/geo/regions.hpp"
#include "meteo/git_commit.hpp"
#include "meteo/http/client.hpp"
#include "meteo/store/migrations.hpp"
#include "meteo/version.hpp"

namespace meteo {

std::string version_text() {
  return std::string("meteo-etl ") + kVersion + " (commit " + kGitCommit + ")\n" + "GEOS " +
         geos_version() + "\n" +  //
         "libcurl " + curl_version_text() + "\n" + connector_version() + "\n" + "XGBoost " +
         analysis::xgboost_library_version() + "\n" + "schema version " +
         std::to_string(latest_schema_version());
}

}  // namespace meteo
