#include "meteo/serve/site_files.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <system_error>

namespace meteo::serve {

namespace fs = std::filesystem;

std::optional<std::string> site_relative_path(std::string_view decoded_path) {
  if (decoded_path.empty() || decoded_path.front() != '/') return std::nullopt;
  if (decoded_path == "/") return "index.html";
  for (const char c : decoded_path) {
    if (c == '\0' || c == '\\' || c == '%') return std::nullopt;
  }
  const std::string_view relative = decoded_path.substr(1);
  std::size_t begin = 0;
  while (true) {
    const std::size_t slash = relative.find('/', begin);
    const std::string_view segment = relative.substr(begin, slash - begin);
    // Also refuses "", so "//etc/passwd" and a trailing "/" never name an absolute path or a
    // directory; "." covers ".." and dotfiles.
    if (segment.empty() || segment.front() == '.') return std::nullopt;
    if (slash == std::string_view::npos) break;
    begin = slash + 1;
  }
  return std::string(relative);
}

std::optional<fs::path> resolve_in_site(const fs::path& site, const std::string& relative) {
  std::error_code error;
  const fs::path root = fs::canonical(site, error);
  if (error) return std::nullopt;
  const fs::path file = fs::canonical(root / relative, error);
  if (error) return std::nullopt;
  // Compared by components: "/srv/site-old" is not inside "/srv/site".
  const auto mismatch = std::mismatch(root.begin(), root.end(), file.begin(), file.end());
  if (mismatch.first != root.end() || mismatch.second == file.end()) return std::nullopt;
  struct stat info {};
  if (::lstat(file.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) return std::nullopt;
  return file;
}

std::string_view content_type_of(const fs::path& file) {
  const std::string extension = file.extension().string();
  if (extension == ".html") return "text/html; charset=utf-8";
  if (extension == ".js") return "text/javascript; charset=utf-8";
  if (extension == ".css") return "text/css; charset=utf-8";
  if (extension == ".json" || extension == ".map") return "application/json";
  if (extension == ".geojson") return "application/geo+json";
  if (extension == ".svg") return "image/svg+xml";
  if (extension == ".png") return "image/png";
  if (extension == ".ico") return "image/x-icon";
  if (extension == ".woff2") return "font/woff2";
  if (extension == ".md" || extension == ".txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

std::string_view cache_control_of(std::string_view) {
  return "no-cache";
}

}  // namespace meteo::serve
