// A server that refuses to let us in says so with a code that cron must not wait on: a refused
// login is 77 (like a refused API key), a missing database or grant 78; only what may pass by
// itself (the server down) is 75.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "meteo/core/errors.hpp"
#include "store_fixtures.hpp"

namespace meteo::testing {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

bool is_mariadb(Database& db) {
  return sql_value(db, "SELECT VERSION()").value_or("").find("MariaDB") != std::string::npos;
}

// An account of this test's own, dropped afterwards, on a scratch database.
class ConnectRefusal : public ::testing::Test {
 protected:
  void TearDown() override {
    Database admin = scratch_.connect();
    admin.execute("DROP USER IF EXISTS '" + account_ + "'@'%'");
  }

  void create_account(const std::string& password, bool grant) {
    Database admin = scratch_.connect();
    // MySQL 8's default plugin would need TLS or an RSA key over TCP, which says nothing here.
    const std::string identified =
        is_mariadb(admin) ? "IDENTIFIED BY" : "IDENTIFIED WITH mysql_native_password BY";
    admin.execute("CREATE USER '" + account_ + "'@'%' " + identified + " '" + password + "'");
    if (grant)
      admin.execute("GRANT SELECT ON `" + scratch_.config().name + "`.* TO '" + account_ + "'@'%'");
  }

  DatabaseConfig as_account(const std::string& password) const {
    DatabaseConfig config = scratch_.config();
    config.user = account_;
    config.password = Secret(password);
    return config;
  }

  ScratchDatabase scratch_;
  const std::string account_ = scratch_.config().name + "_c";
};

TEST_F(ConnectRefusal, AWrongPasswordIsRefusedCredentialsNotATemporaryProblem) {
  create_account("right-pw-7d1f", true);
  ASSERT_NO_THROW(Database::connect(as_account("right-pw-7d1f")));  // the account works

  const auto error = error_of([&] { Database::connect(as_account("wrong-pw-3e9a")); });
  EXPECT_EQ(error.code(), ExitCode::no_permission) << error.what();
  EXPECT_THAT(error.what(),
              AllOf(HasSubstr("Access denied"), HasSubstr("MySQL error 1045"), HasSubstr(account_),
                    HasSubstr("check [database] user"), Not(HasSubstr("wrong-pw-3e9a"))));
}

TEST_F(ConnectRefusal, UnixSocketAuthenticationRefusingUsIsRefusedCredentials) {
  if (scratch_.config().socket.empty()) GTEST_SKIP() << "the test server has no socket";
  {
    Database admin = scratch_.connect();
    if (!is_mariadb(admin)) GTEST_SKIP() << "unix_socket authentication is MariaDB's";
    // Only the operating-system user of the same name may log in: we are not that user.
    admin.execute("CREATE USER '" + account_ + "'@'%' IDENTIFIED VIA unix_socket");
  }
  const auto error = error_of([&] { Database::connect(as_account("")); });
  EXPECT_EQ(error.code(), ExitCode::no_permission) << error.what();
  EXPECT_THAT(error.what(), HasSubstr("MySQL error 1698"));
}

TEST_F(ConnectRefusal, AnAccountWithoutGrantsOnTheDatabaseIsAConfigurationProblem) {
  create_account("right-pw-7d1f", false);
  const auto error = error_of([&] { Database::connect(as_account("right-pw-7d1f")); });
  EXPECT_EQ(error.code(), ExitCode::config) << error.what();
  EXPECT_THAT(error.what(), AllOf(HasSubstr("MySQL error 1044"), HasSubstr("grants")));
}

TEST_F(ConnectRefusal, AMissingDatabaseIsAConfigurationProblem) {
  DatabaseConfig config = scratch_.config();
  config.name += "_missing";
  const auto error = error_of([&] { Database::connect(config); });
  EXPECT_EQ(error.code(), ExitCode::config) << error.what();
  EXPECT_THAT(error.what(), AllOf(HasSubstr("MySQL error 1049"), HasSubstr(config.name)));
}

}  // namespace
}  // namespace meteo::testing
