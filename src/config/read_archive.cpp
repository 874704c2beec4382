// [archive], [cache] and [verify]: where raw payloads and region indexes are kept, and whether a
// run checks what it stored.
#include "sections.hpp"

namespace meteo::config_detail {

ArchiveConfig read_archive(const ConfigReader& reader, const toml::table* t) {
  ArchiveConfig archive;
  if (t) {
    const std::string where = "archive";
    reader.expect_only(*t, where, {"root", "retention_days", "compression_level"});
    std::string root = archive.root.string();
    reader.read_string(*t, where, "root", root);
    if (root.empty()) reader.fail("archive.root", "must not be empty");
    archive.root = root;
    reader.read_integer(*t, where, "retention_days", archive.retention_days, 0, 365 * 100);
    reader.read_integer(*t, where, "compression_level", archive.compression_level, 1, 9);
  }
  archive.root = reader.resolve(archive.root);
  return archive;
}

CacheConfig read_cache(const ConfigReader& reader, const toml::table* t) {
  CacheConfig cache;
  if (t) {
    reader.expect_only(*t, "cache", {"dir"});
    std::string dir = cache.dir.string();
    reader.read_string(*t, "cache", "dir", dir);
    if (dir.empty()) reader.fail("cache.dir", "must not be empty");
    cache.dir = dir;
  }
  cache.dir = reader.resolve(cache.dir);
  return cache;
}

VerifyConfig read_verify(const ConfigReader& reader, const toml::table* t) {
  VerifyConfig verify;
  if (!t) return verify;
  reader.expect_only(*t, "verify", {"after_run"});
  reader.read_bool(*t, "verify", "after_run", verify.after_run);
  return verify;
}

}  // namespace meteo::config_detail
