// The modes of what the tool writes, whatever the umask it runs under: the archive and the cache
// are private to the service's user and group (a planted payload would be replayed, a planted
// index trusted); the dashboard is published, so readable by all but writable by the tool only.
#pragma once

#include <filesystem>
#include <vector>

namespace meteo {

inline constexpr auto kPrivateDirectoryMode = static_cast<std::filesystem::perms>(0750);
inline constexpr auto kPrivateFileMode = static_cast<std::filesystem::perms>(0640);
inline constexpr auto kPublishedDirectoryMode = static_cast<std::filesystem::perms>(0755);
inline constexpr auto kPublishedFileMode = static_cast<std::filesystem::perms>(0644);

// Creates the missing directories of `directory`, parents first, each with exactly `mode` (the
// umask does not apply); existing ones are left as they are. Returns those it created, parents
// first. Throws std::filesystem::filesystem_error naming the directory and the OS error.
std::vector<std::filesystem::path> create_directories_with_mode(
    const std::filesystem::path& directory, std::filesystem::perms mode);

// Sets `path`'s mode to exactly `mode`; throws std::filesystem::filesystem_error.
void set_mode(const std::filesystem::path& path, std::filesystem::perms mode);

}  // namespace meteo
