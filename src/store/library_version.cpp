// The connector's version from its driver object: no server is contacted.
#include <cppconn/driver.h>
#include <mysql_driver.h>

#include <algorithm>

#include "meteo/store/migrations.hpp"

namespace meteo {

std::string connector_version() {
  sql::Driver* driver = sql::mysql::get_mysql_driver_instance();
  return driver->getName().asStdString() + " " + std::to_string(driver->getMajorVersion()) + "." +
         std::to_string(driver->getMinorVersion()) + "." +
         std::to_string(driver->getPatchVersion());
}

int latest_schema_version() {
  int latest = 0;
  for (const Migration& migration : bundled_migrations()) {
    latest = std::max(latest, migration.version);
  }
  return latest;
}

}  // namespace meteo
