#include "meteo/core/file_modes.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <system_error>

namespace meteo {

namespace fs = std::filesystem;

std::vector<fs::path> create_directories_with_mode(const fs::path& directory, fs::perms mode) {
  std::vector<fs::path> missing;
  for (fs::path at = directory; !at.empty() && !fs::exists(at); at = at.parent_path()) {
    missing.push_back(at);
    if (at == at.parent_path()) break;
  }
  std::vector<fs::path> created;
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
    if (::mkdir(it->c_str(), static_cast<mode_t>(mode)) != 0) {
      if (errno == EEXIST && fs::is_directory(*it)) continue;  // another process made it
      throw fs::filesystem_error("cannot create the directory", *it,
                                 std::error_code(errno, std::generic_category()));
    }
    set_mode(*it, mode);  // mkdir applied the umask
    created.push_back(*it);
  }
  return created;
}

void set_mode(const fs::path& path, fs::perms mode) {
  fs::permissions(path, mode, fs::perm_options::replace);
}

}  // namespace meteo
