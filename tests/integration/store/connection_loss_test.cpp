// A server lost in the middle of a session (killed, shut down, or a Galera node out of the
// cluster) fails what was running with 75, so cron's next run tries again, on another node of
// [database] hosts if this one is gone; and a transaction whose COMMIT never reached the server
// is never taken for committed. The server is killed, so these tests have one of their own.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <thread>

#include "private_mariadb.hpp"
#include "sql_support.hpp"
#include "store_fixtures.hpp"

namespace meteo::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

class ConnectionLoss : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ =
        fs::temp_directory_path() / ("meteo-connection-loss-" + std::to_string(::getpid()));
    fs::remove_all(directory_);
    server_.emplace(directory_ / "mariadb");
    Database admin = Database::connect(server_->config());
    admin.execute("CREATE DATABASE meteo CHARACTER SET utf8mb4");
    admin.execute("CREATE TABLE meteo.t (a INT PRIMARY KEY) ENGINE=InnoDB");
  }
  void TearDown() override {
    server_.reset();
    if (!HasFailure()) fs::remove_all(directory_);
  }

  static store::DatabaseError database_error_of(const std::function<void()>& call) {
    try {
      call();
    } catch (const store::DatabaseError& error) {
      return error;
    }
    ADD_FAILURE() << "no DatabaseError thrown";
    return store::DatabaseError("", 0);
  }

  // The error of a long statement on `db` during which `fault` strikes the server.
  static store::DatabaseError error_of_statement_during(Database& db,
                                                        const std::function<void()>& fault) {
    std::thread striker([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
      fault();
    });
    const auto error = database_error_of([&] { db.execute("SELECT SLEEP(30)"); });
    striker.join();
    return error;
  }

  fs::path directory_;
  std::optional<PrivateMariaDb> server_;
};

TEST_F(ConnectionLoss, AServerKilledMidStatementFailsItAndTheNextWithTemporary) {
  Database db = Database::connect(server_->config("meteo"));
  const auto during = error_of_statement_during(db, [&] { server_->kill_hard(); });
  EXPECT_EQ(during.mysql_error(), 2013) << during.what();
  EXPECT_EQ(during.code(), ExitCode::temporary);
  EXPECT_THAT(during.what(), HasSubstr("Lost connection"));

  const auto after = database_error_of([&] { db.execute("SELECT 1"); });
  EXPECT_EQ(after.mysql_error(), 2006) << after.what();
  EXPECT_EQ(after.code(), ExitCode::temporary);
}

TEST_F(ConnectionLoss, AServerShutDownMidStatementIsTemporaryToo) {
  Database db = Database::connect(server_->config("meteo"));
  const auto during = error_of_statement_during(db, [&] { server_->stop(); });
  EXPECT_EQ(during.code(), ExitCode::temporary) << during.what();
}

TEST_F(ConnectionLoss, ACommitThatNeverReachedTheServerIsAnErrorNotACommit) {
  {
    Database db = Database::connect(server_->config("meteo"));
    store::Transaction transaction(db.connection());
    db.execute("INSERT INTO t VALUES (1)");
    server_->kill_hard();
    const auto error =
        database_error_of([&] { store::guarded("committing", [&] { transaction.commit(); }); });
    EXPECT_EQ(error.code(), ExitCode::temporary) << error.what();
    EXPECT_THAT(error.what(), HasSubstr("committing"));
  }
  server_->start();
  Database db = Database::connect(server_->config("meteo"));
  EXPECT_EQ(sql_value(db, "SELECT COUNT(*) FROM t"), "0");
}

TEST_F(ConnectionLoss, ACommitThatReachedTheServerStillCommits) {
  Database db = Database::connect(server_->config("meteo"));
  {
    store::Transaction transaction(db.connection());
    db.execute("INSERT INTO t VALUES (1)");
    transaction.commit();
  }
  Database other = Database::connect(server_->config("meteo"));
  EXPECT_EQ(sql_value(other, "SELECT COUNT(*) FROM t"), "1");
  EXPECT_EQ(sql_value(db, "SELECT @@autocommit"), "1");
}

// What the server says when it ends our session or cannot serve it any more; each may pass by
// the next run (a restarted server, a node back in the cluster, another node).
TEST(SessionEndedCodes, AreTemporary) {
  for (const int code : {2006, 2013, 2055, 1053, 1927, 4031, 1047}) {
    EXPECT_EQ(store::exit_code_for(code), ExitCode::temporary) << "MySQL error " << code;
  }
}

}  // namespace
}  // namespace meteo::testing
