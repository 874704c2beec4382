// [database] tls and tls_ca: the modes, and the combinations refused because they would mislead.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "meteo/config/config.hpp"
#include "meteo/core/errors.hpp"

namespace meteo {
namespace {

const EnvironmentLookup kNoEnvironment = [](const std::string&) -> std::optional<std::string> {
  return std::nullopt;
};

DatabaseConfig database(const std::string& table) {
  return parse_config("[database]\n" + table, "tls.toml", kNoEnvironment).database;
}

void expect_database_error(const std::string& table, const std::string& expected) {
  try {
    database(table);
    ADD_FAILURE() << "accepted: " << table;
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ExitCode::config);
    EXPECT_NE(std::string(error.what()).find(expected), std::string::npos) << error.what();
  }
}

class DatabaseTlsConfig : public ::testing::Test {
 protected:
  void SetUp() override { std::ofstream(ca_) << "-----BEGIN CERTIFICATE-----\n"; }
  void TearDown() override { std::filesystem::remove(ca_); }
  const std::filesystem::path ca_ =
      std::filesystem::temp_directory_path() / ("meteo-ca-" + std::to_string(::getpid()) + ".pem");
};

TEST_F(DatabaseTlsConfig, OffByDefault) {
  const auto db = database("");
  EXPECT_EQ(db.tls, DatabaseTls::off);
  EXPECT_EQ(db.tls_ca, "");
}

TEST_F(DatabaseTlsConfig, EachModeIsRead) {
  EXPECT_EQ(database("tls = \"off\"\n").tls, DatabaseTls::off);
  EXPECT_EQ(database("tls = \"required\"\n").tls, DatabaseTls::required);
  const std::string ca = "tls_ca = \"" + ca_.string() + "\"\n";
  const auto verify_ca = database("tls = \"verify-ca\"\n" + ca);
  EXPECT_EQ(verify_ca.tls, DatabaseTls::verify_ca);
  EXPECT_EQ(verify_ca.tls_ca, ca_.string());
  EXPECT_EQ(database("tls = \"verify-identity\"\n" + ca).tls, DatabaseTls::verify_identity);
}

TEST_F(DatabaseTlsConfig, MisleadingCombinationsAreRefused) {
  expect_database_error("tls = \"on\"\n",
                        "database.tls: must be off, required, verify-ca or verify-identity");
  expect_database_error("tls = \"verify-ca\"\n", "database.tls_ca: is required");
  expect_database_error("tls = \"required\"\ntls_ca = \"" + ca_.string() + "\"\n",
                        "database.tls_ca: is only used with");
  expect_database_error("tls = \"verify-identity\"\ntls_ca = \"/nonexistent/ca.pem\"\n",
                        "database.tls_ca: cannot read /nonexistent/ca.pem");
}

}  // namespace
}  // namespace meteo
