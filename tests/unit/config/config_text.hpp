// The config tests' two moves: parse a TOML text (no environment), and expect it refused with
// exit code 78 and a message naming the key.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "meteo/config/config.hpp"
#include "meteo/core/errors.hpp"

namespace meteo::config_test {

inline Config parse(const std::string& text) {
  return parse_config(text, "/etc/meteo-etl/test.toml",
                      [](const std::string&) { return std::nullopt; });
}

inline void expect_config_error(const std::string& text, const std::string& needle) {
  try {
    parse(text);
    ADD_FAILURE() << "accepted " << text;
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ExitCode::config);
    EXPECT_THAT(error.what(), ::testing::HasSubstr(needle));
  }
}

}  // namespace meteo::config_test
