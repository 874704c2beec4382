#include "landed_body.hpp"

#include <sstream>

namespace meteo::sources {

std::string read_whole(const LandedPayload& payload) {
  ArchiveReader reader = payload.open();
  std::ostringstream body;
  body << reader.body().rdbuf();
  reader.read_to_end();
  return body.str();
}

}  // namespace meteo::sources
