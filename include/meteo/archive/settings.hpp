// The raw archive's settings ([archive]): a plain struct.
#pragma once

#include <filesystem>

namespace meteo {

// The raw archive (include/meteo/archive.hpp). A relative root is taken from the config file's
// directory, so a configuration and its archive move together.
struct ArchiveConfig {
  std::filesystem::path root = "archive";
  int retention_days = 0;     // 0 keeps everything
  int compression_level = 1;  // gzip 1-9: 1 keeps up with the network at a ratio near 6's
};

}  // namespace meteo
