// Internal to the sources module: an adopted payload's body, read whole (and checked) from the
// archive.
#pragma once

#include <string>

#include "meteo/sources/source.hpp"

namespace meteo::sources {

// Reads the payload to its end, so its checksum is verified; throws as ArchiveReader does.
std::string read_whole(const LandedPayload& payload);

}  // namespace meteo::sources
