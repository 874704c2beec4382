#include "site_changes.hpp"

#include <fstream>
#include <sstream>
#include <system_error>

#include "meteo/core/hashing.hpp"

namespace meteo::serve {

namespace fs = std::filesystem;

SiteHashes hash_site(const fs::path& site) {
  SiteHashes hashes;
  std::error_code error;
  for (fs::recursive_directory_iterator it(site, error), end; !error && it != end;
       it.increment(error)) {
    if (!it->is_regular_file(error)) continue;
    const std::string relative = it->path().lexically_relative(site).generic_string();
    if (relative.find(".tmp-") != std::string::npos) continue;  // a write in progress
    std::ifstream in(it->path(), std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    hashes[relative] = fnv1a64(content.str());
  }
  return hashes;
}

std::vector<std::string> changed_files(const SiteHashes& before, const SiteHashes& after) {
  std::vector<std::string> changed;
  for (const auto& [path, hash] : after) {
    const auto found = before.find(path);
    if (found == before.end() || found->second != hash) changed.push_back(path);
  }
  return changed;
}

}  // namespace meteo::serve
