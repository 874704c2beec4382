// The static files of the site directory, and only them: a request path mapped to a file inside
// it, never outside (no "..", no absolute path, no symlink leading out, no dotfile).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace meteo::serve {

// The site-relative path a request names, from its percent-decoded path: "/" is "index.html".
// None for anything that could leave the site or show a hidden file: a path not starting with
// "/", NUL, a backslash, "%" left after decoding (a double encoding), an empty, "." or ".."
// segment, a segment starting with "." (dotfiles), a trailing "/".
std::optional<std::string> site_relative_path(std::string_view decoded_path);

// The file `relative` names under `site`, canonical, when it exists, is a regular file and its
// canonical path stays inside the canonical site (a symlink leading out is refused). None else.
std::optional<std::filesystem::path> resolve_in_site(const std::filesystem::path& site,
                                                     const std::string& relative);

// The Content-Type a file is served with, by its extension.
std::string_view content_type_of(const std::filesystem::path& file);

// Cache-Control for a site-relative path: the page and data change after each run (no-cache:
// revalidate every time); the page's assets carry no hash in their names, so no-cache too.
std::string_view cache_control_of(std::string_view relative);

}  // namespace meteo::serve
