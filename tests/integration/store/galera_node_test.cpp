// [database] hosts with a real Galera node (galera-4), bootstrapped alone so that it is the whole
// primary component: usable. Pointed at a cluster address nobody answers, it leaves its primary
// component and, still accepting logins, refuses queries with 1047: a new session skips it for
// the next node, and a session that was open on it fails with 75.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <sstream>
#include <thread>

#include "loopback_server.hpp"
#include "sql_support.hpp"
#include "store_fixtures.hpp"
#include "subprocess.hpp"

namespace meteo::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::AllOf;
using ::testing::AnyOf;
using ::testing::HasSubstr;

constexpr const char* kProvider = "/usr/lib/galera/libgalera_smm.so";
const Environment kEnvironment{{"PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin"}};

class GaleraNode : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(kProvider)) GTEST_SKIP() << "no Galera provider " << kProvider << " (galera-4)";
    if (test_server_config().port == 0) GTEST_SKIP() << "the test server has no TCP port";
    directory_ = fs::temp_directory_path() / ("meteo-galera-" + std::to_string(::getpid()));
    fs::remove_all(directory_);
    // Temporary tables of its own: a shared /tmp saw a concurrent test's bootstrap collide.
    fs::create_directories(directory_ / "tmp");
    const std::string tmpdir = "--tmpdir=" + (directory_ / "tmp").string();
    const std::string as_root = ::getuid() == 0 ? "--user=root" : "--verbose";
    const auto installed = run_process(
        {"mariadb-install-db", "--no-defaults", "--datadir=" + (directory_ / "data").string(),
         as_root, "--auth-root-authentication-method=normal", "--skip-test-db", tmpdir},
        kEnvironment);
    ASSERT_EQ(installed.exit_code, 0) << installed.err;
    port_ = unused_loopback_port();
    const int replication_port = unused_loopback_port();
    server_.emplace(
        std::vector<std::string>{
            "mariadbd", "--no-defaults", "--datadir=" + (directory_ / "data").string(),
            "--socket=" + socket(), "--port=" + std::to_string(port_), "--bind-address=127.0.0.1",
            tmpdir, as_root, "--log-error=" + (directory_ / "error.log").string(),
            "--skip-name-resolve", "--binlog-format=ROW", "--innodb-autoinc-lock-mode=2",
            "--wsrep-on=ON", std::string("--wsrep-provider=") + kProvider,
            "--wsrep-cluster-address=gcomm://",
            "--wsrep-provider-options=gmcast.listen_addr=tcp://127.0.0.1:" +
                std::to_string(replication_port),
            "--wsrep-node-address=127.0.0.1"},
        kEnvironment);
    ASSERT_TRUE(wait_for_ready("ON")) << "the node never became ready; see " << directory_;
  }
  void TearDown() override {
    server_.reset();
    if (!HasFailure()) fs::remove_all(directory_);
  }

  std::string socket() const { return (directory_ / "mysqld.sock").string(); }

  // Root over the socket: the setup's and the checks' session, not the tool's.
  DatabaseConfig over_socket() const {
    DatabaseConfig config;
    config.socket = socket();
    config.user = "root";
    config.name = "";
    return config;
  }
  DatabaseHost node() const { return {"127.0.0.1", port_}; }
  static DatabaseHost test_server() {
    return {test_server_config().host, test_server_config().port};
  }
  static DatabaseConfig cluster(std::vector<DatabaseHost> nodes) {
    DatabaseConfig config = test_server_config();
    config.socket.clear();
    config.hosts = std::move(nodes);
    return config;
  }

  bool wait_for_ready(const std::string& expected) const {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
      try {
        Database db = Database::connect(over_socket());
        // The tool's sessions wait for causal reads, which a node out of its primary component
        // cannot give (1205): this one reads the node's own state only.
        db.execute("SET SESSION wsrep_sync_wait = 0");
        const auto ready = sql_value(db,
                                     "SELECT VARIABLE_VALUE FROM information_schema."
                                     "GLOBAL_STATUS WHERE VARIABLE_NAME = 'WSREP_READY'");
        if (ready == expected) return true;
      } catch (const Error&) {  // not up yet
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return false;
  }

  // The node looks for a cluster at an address nobody answers: it leaves its primary component.
  // The statement waits for that cluster, so its client is given up after a few seconds.
  void leave_primary_component() const {
    const std::string nowhere = "gcomm://127.0.0.1:" + std::to_string(unused_loopback_port());
    run_process({"timeout", "3", "mariadb", "--no-defaults", "--socket=" + socket(), "--user=root",
                 "-e", "SET GLOBAL wsrep_cluster_address = '" + nowhere + "'"},
                kEnvironment, std::chrono::seconds(30));
    ASSERT_TRUE(wait_for_ready("OFF")) << "the node stayed ready";
  }

  fs::path directory_;
  int port_ = 0;
  std::optional<BackgroundProcess> server_;
};

TEST_F(GaleraNode, AReadyNodeIsUsedANodeOutOfThePrimaryComponentSkippedAndItsSessionsFail75) {
  std::ostringstream log_text;
  auto log = std::make_shared<spdlog::logger>(
      "galera", std::make_shared<spdlog::sinks::ostream_sink_mt>(log_text));

  Database open = Database::connect(cluster({node(), test_server()}), log.get());
  EXPECT_EQ(sql_value(open, "SELECT @@port"), std::to_string(port_)) << "the ready node first";
  EXPECT_EQ(sql_value(open, "SELECT @@wsrep_on"), "1");

  leave_primary_component();

  const auto mid_run = error_of([&] { open.execute("CREATE DATABASE meteo_galera"); });
  EXPECT_EQ(mid_run.code(), ExitCode::temporary) << mid_run.what();
  // Leaving the component this way ends the node's client sessions (2013); a node cut off by the
  // network keeps them and refuses their statements (1047). Either fails the run with 75.
  EXPECT_THAT(mid_run.what(), AnyOf(HasSubstr("MySQL error 1047"), HasSubstr("MySQL error 2013")));

  Database next = Database::connect(cluster({node(), test_server()}), log.get());
  EXPECT_EQ(sql_value(next, "SELECT @@port"), std::to_string(test_server().port));
  EXPECT_THAT(log_text.str(),
              AllOf(HasSubstr("connected to node 127.0.0.1:" + std::to_string(test_server().port) +
                              " of [database] hosts"),
                    HasSubstr("skipped 127.0.0.1:" + std::to_string(port_) +
                              ": the Galera node is not ready for queries (wsrep_ready = OFF")));

  const auto none = error_of([&] { Database::connect(cluster({node()})); });
  EXPECT_EQ(none.code(), ExitCode::temporary) << none.what();
  EXPECT_THAT(none.what(), AllOf(HasSubstr("cannot connect to any node"),
                                 HasSubstr("127.0.0.1:" + std::to_string(port_) +
                                           ": the Galera node is not ready for queries")));
}

}  // namespace
}  // namespace meteo::testing
