// [database] tls against a second private MariaDB that serves TLS with a throw-away CA.
#include <cppconn/connection.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>

#include "meteo/core/errors.hpp"
#include "meteo/store/database.hpp"
#include "paths.hpp"
#include "subprocess.hpp"

namespace meteo::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kUser = "tls_user";
constexpr const char* kPassword = "tls-pw-51ab";

ProcessResult run_script(const std::string& script, std::vector<std::string> args) {
  args.insert(args.begin(), {"/bin/bash", source_path("tests/harness/" + script)});
  return run_process(args, {{"PATH", "/usr/bin:/bin"}}, std::chrono::seconds(120));
}

std::map<std::string, std::string> read_env_file(const fs::path& path) {
  std::map<std::string, std::string> values;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    if (const auto equals = line.find('='); equals != std::string::npos) {
      values[line.substr(0, equals)] = line.substr(equals + 1);
    }
  }
  return values;
}

std::string session_cipher(Database& db) {
  std::unique_ptr<sql::Statement> statement(db.connection().createStatement());
  std::unique_ptr<sql::ResultSet> row(
      statement->executeQuery("SHOW SESSION STATUS LIKE 'Ssl_cipher'"));
  return row->next() ? std::string(row->getString(2)) : std::string();
}

// One TLS server for the whole suite: initialising a datadir is the slow part.
class DatabaseTlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (std::getenv("METEO_TEST_DB_HOST") != nullptr) {
      skip_reason_ = "an external test server is configured; the TLS server is a private MariaDB";
      return;
    }
    directory_ = fs::temp_directory_path() / ("meteo-tls-" + std::to_string(::getpid()));
    const auto certs = run_script("tls_certs.sh", {(directory_ / "certs").string()});
    ASSERT_EQ(certs.exit_code, 0) << certs.err;
    const auto started = run_script(
        "mariadb.sh", {"start", (directory_ / "server").string(), (directory_ / "certs").string()});
    ASSERT_EQ(started.exit_code, 0) << started.out << started.err;
    const auto env = read_env_file(directory_ / "server" / "env");
    port_ = std::stoi(env.at("METEO_TEST_DB_PORT"));

    DatabaseConfig root;
    root.socket = env.at("METEO_TEST_DB_SOCKET");
    root.user = "root";
    root.name.clear();
    Database admin = Database::connect(root);
    admin.execute(std::string("CREATE USER '") + kUser + "'@'127.0.0.1' IDENTIFIED BY '" +
                  kPassword + "'");
    ready_ = true;
  }

  static void TearDownTestSuite() {
    if (directory_.empty()) return;
    const auto stopped = run_script("mariadb.sh", {"stop", (directory_ / "server").string()});
    EXPECT_EQ(stopped.exit_code, 0) << stopped.err;
    fs::remove_all(directory_);
  }

  void SetUp() override {
    if (!skip_reason_.empty()) GTEST_SKIP() << skip_reason_;
    if (!ready_) FAIL() << "the TLS server did not start (see the suite's set-up failure)";
  }

  static DatabaseConfig over_tcp(DatabaseTls tls, const std::string& ca_file = "") {
    DatabaseConfig config;
    config.host = "127.0.0.1";
    config.port = port_;
    config.user = kUser;
    config.password = Secret(kPassword);
    config.name.clear();
    config.connect_timeout = std::chrono::seconds(5);
    config.tls = tls;
    if (!ca_file.empty()) config.tls_ca = (directory_ / "certs" / ca_file).string();
    return config;
  }

  static void expect_tls_refused(const DatabaseConfig& config, const std::string& why) {
    try {
      Database::connect(config);
      ADD_FAILURE() << "connected although " << why;
    } catch (const Error& error) {
      EXPECT_EQ(error.code(), ExitCode::config) << error.what();
      const std::string message = error.what();
      EXPECT_NE(message.find("TLS"), std::string::npos) << message;
      EXPECT_NE(message.find(config.host), std::string::npos) << "names the server: " << message;
    }
  }

  static inline fs::path directory_;
  static inline int port_ = 0;
  static inline std::string skip_reason_;
  static inline bool ready_ = false;
};

// One test: ctest runs each test in its own process, and each process would start a server.
TEST_F(DatabaseTlsTest, ModesAgainstATlsServer) {
  {
    SCOPED_TRACE("verify-ca with the server's CA");
    Database db = Database::connect(over_tcp(DatabaseTls::verify_ca, "ca.pem"));
    EXPECT_FALSE(session_cipher(db).empty());
  }
  {
    SCOPED_TRACE("verify-identity with the server's CA and a name on its certificate");
    Database db = Database::connect(over_tcp(DatabaseTls::verify_identity, "ca.pem"));
    EXPECT_FALSE(session_cipher(db).empty());
  }
  {
    SCOPED_TRACE("verify-ca with another CA");
    expect_tls_refused(over_tcp(DatabaseTls::verify_ca, "other-ca.pem"),
                       "the server's certificate is not signed by tls_ca");
  }
  {
    // 127.1 reaches 127.0.0.1 but is not a name on the certificate (127.0.0.1, localhost).
    SCOPED_TRACE("another host name");
    auto config = over_tcp(DatabaseTls::verify_identity, "ca.pem");
    config.host = "127.1";
    expect_tls_refused(config, "the certificate does not name 127.1");
    config.tls = DatabaseTls::verify_ca;
    Database db = Database::connect(config);
    EXPECT_FALSE(session_cipher(db).empty()) << "verify-ca checks the chain, not the name";
  }
  {
    SCOPED_TRACE("required, no CA");
    Database db = Database::connect(over_tcp(DatabaseTls::required));
    EXPECT_FALSE(session_cipher(db).empty());
  }
  {
    SCOPED_TRACE("off");
    Database db = Database::connect(over_tcp(DatabaseTls::off));
    EXPECT_EQ(session_cipher(db), "");
  }
}

}  // namespace
}  // namespace meteo::testing
