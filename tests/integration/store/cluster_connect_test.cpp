// [database] hosts on the test server: the first node that lets us in and is ready is used, the
// nodes skipped are said why, and when none is usable one Error names each node with its reason.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <sstream>

#include "loopback_server.hpp"
#include "meteo/core/errors.hpp"
#include "store_fixtures.hpp"

namespace meteo::testing {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

std::string address(const DatabaseHost& node) {
  return node.host + ":" + std::to_string(node.port);
}

class ClusterConnect : public ::testing::Test {
 protected:
  void SetUp() override {
    if (scratch_.config().port == 0) GTEST_SKIP() << "the test server has no TCP port";
    log_ = std::make_shared<spdlog::logger>(
        "cluster", std::make_shared<spdlog::sinks::ostream_sink_mt>(log_text_));
    log_->set_level(spdlog::level::debug);
  }

  // The scratch database's settings with these nodes instead of a host, port or socket.
  DatabaseConfig cluster(std::vector<DatabaseHost> nodes) const {
    DatabaseConfig config = scratch_.config();
    config.socket.clear();
    config.hosts = std::move(nodes);
    return config;
  }
  DatabaseHost live() const { return {scratch_.config().host, scratch_.config().port}; }
  static DatabaseHost dead() { return {"127.0.0.1", unused_loopback_port()}; }

  ScratchDatabase scratch_;
  std::ostringstream log_text_;
  std::shared_ptr<spdlog::logger> log_;
};

TEST_F(ClusterConnect, UsesTheFirstNodeThatAnswersAndSaysWhyEarlierOnesWereSkipped) {
  const DatabaseHost down = dead();
  Database db = Database::connect(cluster({down, live()}), log_.get());

  EXPECT_EQ(sql_value(db, "SELECT DATABASE()"), scratch_.config().name);
  EXPECT_THAT(log_text_.str(),
              AllOf(HasSubstr("connected to node " + address(live()) + " of [database] hosts"),
                    HasSubstr("skipped " + address(down) + ": Can't connect"),
                    HasSubstr("MySQL error 2002")));
}

TEST_F(ClusterConnect, TheChosenNodeIsTheSessionsConfigSoASecondSessionReachesIt) {
  Database db = Database::connect(cluster({dead(), live(), dead()}), log_.get());
  const DatabaseConfig& chosen = db.config();
  EXPECT_EQ(chosen.host, live().host);
  EXPECT_EQ(chosen.port, live().port);
  EXPECT_TRUE(chosen.hosts.empty());
  EXPECT_TRUE(chosen.socket.empty());
  EXPECT_EQ(chosen.name, scratch_.config().name);

  Database sibling = Database::connect(chosen);
  EXPECT_EQ(sql_value(sibling, "SELECT @@port"), std::to_string(live().port));
  EXPECT_EQ(sql_value(sibling, "SELECT DATABASE()"), scratch_.config().name);
}

TEST_F(ClusterConnect, TheFirstNodeUsableIsChosenQuietlyAtDebugLevel) {
  log_->set_level(spdlog::level::info);
  Database db = Database::connect(cluster({live(), dead()}), log_.get());
  EXPECT_EQ(db.config().port, live().port);
  EXPECT_EQ(log_text_.str(), "") << "the usual case is not worth an info line";
}

TEST_F(ClusterConnect, NoNodeAnsweringIsTemporaryAndNamesEachNodeWithItsReason) {
  const DatabaseHost first = dead();
  const DatabaseHost second = dead();
  const auto error = error_of([&] { Database::connect(cluster({first, second}), log_.get()); });
  EXPECT_EQ(error.code(), ExitCode::temporary) << error.what();
  EXPECT_THAT(error.what(),
              AllOf(HasSubstr("cannot connect to any node of the database '" +
                              scratch_.config().name + "' ([database] hosts, 2 node(s))"),
                    HasSubstr(address(first) + ": Can't connect"),
                    HasSubstr(address(second) + ": Can't connect"), HasSubstr("MySQL error")));
}

TEST_F(ClusterConnect, EveryNodeRefusingTheDatabaseIsAConfigurationProblem) {
  DatabaseConfig config = cluster({live(), live()});
  config.name += "_missing";
  const auto error = error_of([&] { Database::connect(config); });
  EXPECT_EQ(error.code(), ExitCode::config) << error.what();
  EXPECT_THAT(error.what(), AllOf(HasSubstr("MySQL error 1049"), HasSubstr("check [database] name"),
                                  HasSubstr(config.name)));
}

TEST_F(ClusterConnect, ARefusalBesideANodeDownIsTemporaryTheNodeMayComeBack) {
  DatabaseConfig config = cluster({live(), dead()});
  config.name += "_missing";
  const auto error = error_of([&] { Database::connect(config); });
  EXPECT_EQ(error.code(), ExitCode::temporary) << error.what();
  EXPECT_THAT(error.what(), AllOf(HasSubstr("MySQL error 1049"), Not(HasSubstr("gave up"))));
}

TEST_F(ClusterConnect, WithoutHostsTheSingleServerMessageIsUnchanged) {
  DatabaseConfig config = scratch_.config();
  config.socket.clear();
  config.port = unused_loopback_port();
  const auto error = error_of([&] { Database::connect(config); });
  EXPECT_EQ(error.code(), ExitCode::temporary);
  EXPECT_THAT(error.what(), HasSubstr("cannot connect to the database '" + config.name +
                                      "' at 127.0.0.1:" + std::to_string(config.port) +
                                      " as user '" + config.user + "': Can't connect"));
}

}  // namespace
}  // namespace meteo::testing
