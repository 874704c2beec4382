// Which files of the site a regeneration changed: content hashes taken before and after.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace meteo::serve {

using SiteHashes = std::map<std::string, std::uint64_t>;  // site-relative path -> FNV-1a 64

// Every regular file under `site` (temporaries of an atomic write left out); none when the
// directory cannot be read.
SiteHashes hash_site(const std::filesystem::path& site);

// The paths whose content differs or that are new, in path order.
std::vector<std::string> changed_files(const SiteHashes& before, const SiteHashes& after);

}  // namespace meteo::serve
