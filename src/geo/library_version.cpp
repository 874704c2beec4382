// The GEOS version, asked of the library actually loaded rather than of the headers.
#include <geos_c.h>

#include "meteo/geo/regions.hpp"

namespace meteo {

std::string geos_version() {
  return GEOSversion();
}

}  // namespace meteo
