#include "reader.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <system_error>

#include "meteo/core/errors.hpp"
#include "meteo/core/names.hpp"

namespace meteo::config_detail {
namespace {

// Nothing but spaces, tabs or line breaks: no secret, however it was delivered.
bool blank(std::string_view value) {
  return std::all_of(value.begin(), value.end(),
                     [](unsigned char c) { return std::isspace(c) != 0; });
}

}  // namespace

void ConfigReader::fail(const std::string& key, const std::string& problem) const {
  throw Error(ExitCode::config, origin_.string() + ": " + key + ": " + problem);
}

void ConfigReader::expect_only(const toml::table& table, const std::string& where,
                               std::span<const std::string_view> known) const {
  for (const auto& [key, value] : table) {
    bool found = false;
    for (auto k : known) found = found || k == key.str();
    if (found) continue;
    if (key.str() == "password" || key.str() == "api_key") {
      fail(join(where, key.str()),
           "secrets never go in the config file: name an environment "
           "variable with " +
               std::string(key.str()) +
               "_env or a 0600 "
               "file with " +
               std::string(key.str()) + "_file");
    }
    fail(join(where, key.str()), "unknown key");
  }
}

std::filesystem::path ConfigReader::resolve(const std::filesystem::path& path) const {
  if (path.empty() || path.is_absolute()) return path;
  std::error_code error;
  const std::filesystem::path file = std::filesystem::absolute(origin_, error);
  return (error ? origin_ : file).parent_path() / path;
}

void ConfigReader::require_plain_name(const std::string& key, const std::string& name) const {
  if (!is_plain_name(name)) fail(key, std::string(kPlainNameRule) + " (got \"" + name + "\")");
}

void ConfigReader::read_string(const toml::table& t, const std::string& where, std::string_view key,
                               std::string& out) const {
  if (const toml::node* node = t.get(key)) {
    auto value = node->value<std::string>();
    if (!node->is_string() || !value) fail(join(where, key), "must be a string");
    out = *value;
  }
}

void ConfigReader::read_bool(const toml::table& t, const std::string& where, std::string_view key,
                             bool& out) const {
  if (const toml::node* node = t.get(key)) {
    if (!node->is_boolean()) fail(join(where, key), "must be true or false");
    out = node->as_boolean()->get();
  }
}

namespace {

// "0.5", "-10", "100": as few digits as say the value.
std::string format_number(double value) {
  std::ostringstream text;
  text << value;
  return text.str();
}

}  // namespace

void ConfigReader::read_number(const toml::table& t, const std::string& where, std::string_view key,
                               double& out, double min, double max) const {
  const toml::node* node = t.get(key);
  if (node == nullptr) return;
  double value = 0;
  if (const auto* real = node->as_floating_point()) {
    value = real->get();
  } else if (const auto* integer = node->as_integer()) {
    value = static_cast<double>(integer->get());
  } else {
    fail(join(where, key), "must be a number");
  }
  if (!(value >= min && value <= max)) {  // NaN fails too
    fail(join(where, key), "must be between " + format_number(min) + " and " + format_number(max) +
                               " (got " + format_number(value) + ")");
  }
  out = value;
}

std::string ConfigReader::required_string(const toml::table& t, const std::string& where,
                                          std::string_view key) const {
  std::string out;
  read_string(t, where, key, out);
  if (out.empty()) fail(join(where, key), "is required");
  return out;
}

std::vector<std::string> ConfigReader::read_string_array(const toml::table& t,
                                                         const std::string& where,
                                                         std::string_view key) const {
  std::vector<std::string> out;
  const toml::node* node = t.get(key);
  if (!node) return out;
  const toml::array* array = node->as_array();
  if (!array) fail(join(where, key), "must be an array of strings");
  for (const auto& element : *array) {
    auto value = element.value<std::string>();
    if (!element.is_string() || !value) fail(join(where, key), "must be an array of strings");
    out.push_back(*value);
  }
  return out;
}

Secret ConfigReader::read_secret(const toml::table& t, const std::string& where,
                                 std::string_view key) const {
  std::string variable, file;
  read_string(t, where, std::string(key) + "_env", variable);
  read_string(t, where, std::string(key) + "_file", file);
  if (!variable.empty() && !file.empty()) {
    fail(join(where, key),
         "set " + std::string(key) + "_env or " + std::string(key) + "_file, not both");
  }
  if (!variable.empty()) {
    auto value = environment_(variable);
    const std::string key_env = join(where, std::string(key) + "_env");
    if (!value) fail(key_env, "environment variable " + variable + " is not set");
    // Set but blank, as `export KEY=` in a crontab leaves it: refused like an empty file.
    if (blank(*value)) fail(key_env, "environment variable " + variable + " is empty");
    return Secret(*value);
  }
  if (!file.empty()) return read_secret_file(join(where, std::string(key) + "_file"), file);
  return Secret();
}

Secret ConfigReader::read_secret_file(const std::string& key, const std::string& named) const {
  const std::string path = resolve(named).string();
  const auto cannot_read = [&](int error_number) {
    fail(key, "cannot read " + path + ": " + std::strerror(error_number));
  };
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) cannot_read(errno);
  if ((info.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    fail(key, path + " is readable by others: chmod 600 it");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) cannot_read(errno);
  std::stringstream content;
  content << in.rdbuf();
  if (in.bad()) cannot_read(errno);
  std::string value = content.str();
  while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) value.pop_back();
  // An empty file is a deployment mistake, not a secret: sending an empty key would only earn a
  // 401 an hour later, far from the cause.
  if (blank(value)) fail(key, path + " is empty");
  return Secret(std::move(value));
}

const toml::table* ConfigReader::subtable(const toml::table& t, const std::string& where,
                                          std::string_view key) const {
  const toml::node* node = t.get(key);
  if (!node) return nullptr;
  if (!node->is_table()) fail(join(where, key), "must be a table");
  return node->as_table();
}

bool is_http_url(const std::string& url) {
  return url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
}

}  // namespace meteo::config_detail
