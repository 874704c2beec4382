#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "meteo/core/errors.hpp"
#include "store_fixtures.hpp"

namespace meteo::testing {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(Database, SessionRunsInUtcWithUtf8mb4AndStrictMode) {
  ScratchDatabase scratch;
  auto db = scratch.connect();
  EXPECT_EQ(sql_value(db, "SELECT @@SESSION.time_zone"), "+00:00");
  EXPECT_EQ(sql_value(db, "SELECT @@SESSION.character_set_client"), "utf8mb4");
  EXPECT_EQ(sql_value(db, "SELECT @@SESSION.character_set_connection"), "utf8mb4");
  EXPECT_EQ(sql_value(db, "SELECT @@SESSION.character_set_results"), "utf8mb4");
  EXPECT_THAT(sql_value(db, "SELECT @@SESSION.sql_mode").value_or(""),
              HasSubstr("STRICT_ALL_TABLES"));
  EXPECT_EQ(sql_value(db, "SELECT DATABASE()"), scratch.config().name);
  // A 4-byte character survives the round trip only when the connection is utf8mb4.
  EXPECT_EQ(sql_value(db, "SELECT '🌡️ Île'"), "🌡️ Île");
}

TEST(Database, ExecuteRunsExactlyOneStatement) {
  ScratchDatabase scratch;
  auto db = scratch.connect();
  db.execute("CREATE TABLE t (x INT)");
  db.execute("INSERT INTO t VALUES (1)");
  // Multi-statements are off: a second statement is a syntax error, nothing runs.
  const auto error =
      error_of([&] { db.execute("INSERT INTO t VALUES (2); INSERT INTO t VALUES (3)"); });
  EXPECT_EQ(error.code(), ExitCode::software);
  EXPECT_THAT(error.what(), HasSubstr("INSERT INTO t VALUES (2)"));
  EXPECT_EQ(sql_value(db, "SELECT GROUP_CONCAT(x) FROM t"), "1");
  // Rows of a statement run through execute() are dropped: the connection stays usable.
  db.execute("SELECT * FROM t");
  db.execute("INSERT INTO t VALUES (4)");
  EXPECT_EQ(sql_value(db, "SELECT GROUP_CONCAT(x ORDER BY x) FROM t"), "1,4");
}

TEST(Database, ConnectsOverTcp) {
  auto config = test_server_config();
  if (config.port == 0) GTEST_SKIP() << "the test server has no TCP port";
  config.socket.clear();
  if (config.host == "localhost") config.host = "127.0.0.1";  // "localhost" means the socket
  auto db = Database::connect(config);
  EXPECT_EQ(sql_value(db, "SELECT @@SESSION.time_zone"), "+00:00");
}

TEST(Database, UnreachableSocketIsTemporaryAndNamed) {
  auto config = test_server_config();
  config.socket = "/nonexistent/meteo-test.sock";
  const auto error = error_of([&] { Database::connect(config); });
  EXPECT_EQ(error.code(), ExitCode::temporary);
  EXPECT_THAT(error.what(), HasSubstr("socket /nonexistent/meteo-test.sock"));
}

TEST(Database, UnreachablePortIsTemporaryAndNamed) {
  auto config = test_server_config();
  config.socket.clear();
  config.host = "127.0.0.1";
  config.port = 1;  // nothing listens there
  config.connect_timeout = std::chrono::seconds(5);
  const auto error = error_of([&] { Database::connect(config); });
  EXPECT_EQ(error.code(), ExitCode::temporary);
  EXPECT_THAT(error.what(), HasSubstr("127.0.0.1:1"));
}

TEST(Database, RefusedLoginGivesTheServersMessageButNeverThePassword) {
  auto config = test_server_config();
  config.user = "meteo_no_such_user";
  config.password = Secret("pa55-W0rd-never-shown");
  const auto error = error_of([&] { Database::connect(config); });
  EXPECT_EQ(error.code(), ExitCode::no_permission);
  EXPECT_THAT(error.what(), AllOf(HasSubstr("Access denied"), HasSubstr("meteo_no_such_user"),
                                  Not(HasSubstr("pa55-W0rd-never-shown"))));
}

}  // namespace
}  // namespace meteo::testing
