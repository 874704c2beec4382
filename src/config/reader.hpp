// The reading every section of the configuration shares: typed keys, secrets, paths relative to the
// file, and messages that name the file and the key. Internal to src/config.
#pragma once

#include <toml++/toml.h>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "meteo/config/config.hpp"

namespace meteo::config_detail {

// Every message names the file and the key: "<file>: sources[1].url: must be http(s)".
class ConfigReader {
 public:
  ConfigReader(std::filesystem::path origin, const EnvironmentLookup& environment)
      : origin_(std::move(origin)), environment_(environment) {}

  [[noreturn]] void fail(const std::string& key, const std::string& problem) const;

  // Unknown keys are errors: a typo must not silently fall back to a default.
  void expect_only(const toml::table& table, const std::string& where,
                   std::span<const std::string_view> known) const;
  void expect_only(const toml::table& table, const std::string& where,
                   std::initializer_list<std::string_view> known) const {
    expect_only(table, where, std::span(known.begin(), known.size()));
  }

  // A relative path in the file is relative to the file's directory, never to the working
  // directory (cron's is anyone's guess); made absolute, so messages name the full path.
  std::filesystem::path resolve(const std::filesystem::path& path) const;

  void require_plain_name(const std::string& key, const std::string& name) const;

  static std::string join(const std::string& where, std::string_view key) {
    return where.empty() ? std::string(key) : where + "." + std::string(key);
  }

  void read_string(const toml::table& t, const std::string& where, std::string_view key,
                   std::string& out) const;
  void read_bool(const toml::table& t, const std::string& where, std::string_view key,
                 bool& out) const;
  std::string required_string(const toml::table& t, const std::string& where,
                              std::string_view key) const;
  // An integer or a float, within [min, max].
  void read_number(const toml::table& t, const std::string& where, std::string_view key,
                   double& out, double min, double max) const;

  template <typename Int>
  void read_integer(const toml::table& t, const std::string& where, std::string_view key, Int& out,
                    long long min, long long max) const {
    if (const toml::node* node = t.get(key)) {
      if (!node->is_integer()) fail(join(where, key), "must be an integer");
      const long long value = node->as_integer()->get();
      if (value < min || value > max) {
        fail(join(where, key), "must be between " + std::to_string(min) + " and " +
                                   std::to_string(max) + " (got " + std::to_string(value) + ")");
      }
      out = static_cast<Int>(value);
    }
  }

  // A whole number of hours (`<name>_hours` keys), bounds in hours.
  void read_hours(const toml::table& t, const std::string& where, std::string_view key,
                  std::chrono::hours& out, long long min, long long max) const {
    long long hours = out.count();
    read_integer(t, where, key, hours, min, max);
    out = std::chrono::hours(hours);
  }

  std::vector<std::string> read_string_array(const toml::table& t, const std::string& where,
                                             std::string_view key) const;

  // A secret comes from the environment variable named by <key>_env, or the file named by
  // <key>_file, which must not be readable by group or others. Never from the file itself.
  Secret read_secret(const toml::table& t, const std::string& where, std::string_view key) const;

  const toml::table* subtable(const toml::table& t, const std::string& where,
                              std::string_view key) const;

  template <typename Visit>
  void for_each_table_in_array(const toml::table& t, std::string_view key, Visit visit) const {
    const toml::node* node = t.get(key);
    if (!node) return;
    const toml::array* array = node->as_array();
    if (!array) fail(std::string(key), "must be an array of tables: [[" + std::string(key) + "]]");
    for (std::size_t i = 0; i < array->size(); ++i) {
      const std::string where = std::string(key) + "[" + std::to_string(i) + "]";
      const toml::table* table = array->get(i)->as_table();
      if (!table) fail(where, "must be a table");
      visit(*table, where);
    }
  }

 private:
  Secret read_secret_file(const std::string& key, const std::string& named) const;

  std::filesystem::path origin_;
  const EnvironmentLookup& environment_;
};

bool is_http_url(const std::string& url);

}  // namespace meteo::config_detail
