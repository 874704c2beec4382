// [database] hosts: a cluster's nodes as "host", "host:port" or "[IPv6]:port", in the order they
// are tried; whatever could be read two ways is refused naming the file and the key.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config_text.hpp"

namespace meteo {
namespace {

using config_test::expect_config_error;
using config_test::parse;

DatabaseConfig database(const std::string& table) {
  return parse("[database]\n" + table).database;
}

std::vector<std::string> nodes(const DatabaseConfig& db) {
  std::vector<std::string> out;
  for (const auto& node : db.hosts) out.push_back(node.host + " " + std::to_string(node.port));
  return out;
}

TEST(DatabaseHostsConfig, NoHostsByDefault) {
  EXPECT_TRUE(database("").hosts.empty());
  EXPECT_TRUE(database("host = \"db.example\"\nport = 3307\n").hosts.empty());
}

TEST(DatabaseHostsConfig, ReadsEachNodeInOrderWithTheDefaultPort) {
  const DatabaseConfig db =
      database("hosts = [\"c.example:3307\", \"a.example\", \"[::1]:3308\", \"[fe80::2]\"]\n");
  EXPECT_THAT(nodes(db), ::testing::ElementsAre("c.example 3307", "a.example 3306", "::1 3308",
                                                "fe80::2 3306"));
}

TEST(DatabaseHostsConfig, RefusesMalformedNodesNamingTheEntry) {
  const std::string file = "/etc/meteo-etl/test.toml: ";
  expect_config_error("[database]\nhosts = []\n", file + "database.hosts: must name at least one");
  expect_config_error("[database]\nhosts = \"a:3306\"\n", "database.hosts: must be an array");
  expect_config_error("[database]\nhosts = [3306]\n", "database.hosts: must be an array");
  expect_config_error("[database]\nhosts = [\"a\", \"\"]\n", file + "database.hosts[1]: no host");
  expect_config_error("[database]\nhosts = [\":3306\"]\n", "database.hosts[0]: no host");
  expect_config_error("[database]\nhosts = [\"a:0\"]\n", "database.hosts[0]: the port must be");
  expect_config_error("[database]\nhosts = [\"a:65536\"]\n", "between 1 and 65535 (got \"65536\")");
  expect_config_error("[database]\nhosts = [\"a:\"]\n", "database.hosts[0]: the port must be");
  expect_config_error("[database]\nhosts = [\"a:33o6\"]\n", "(got \"33o6\")");
  expect_config_error("[database]\nhosts = [\"a:-1\"]\n", "(got \"-1\")");
  expect_config_error("[database]\nhosts = [\"fe80::1:3306\"]\n",
                      "database.hosts[0]: an IPv6 address goes in brackets");
  expect_config_error("[database]\nhosts = [\"[::1\"]\n", "database.hosts[0]: no ']'");
  expect_config_error("[database]\nhosts = [\"[::1]3306\"]\n", "expected \":port\" after ']'");
  expect_config_error("[database]\nhosts = [\"[]:3306\"]\n", "database.hosts[0]: no host");
  expect_config_error("[database]\nhosts = [\"a b:3306\"]\n", "\"a b\" is not a host name");
}

TEST(DatabaseHostsConfig, RefusesTheSameNodeTwiceWhateverItsSpelling) {
  expect_config_error("[database]\nhosts = [\"a:3306\", \"b\", \"a\"]\n",
                      "database.hosts[2]: \"a\" is the same node as hosts[0] (\"a:3306\")");
  expect_config_error("[database]\nhosts = [\"[::1]\", \"[::1]:3306\"]\n",
                      "database.hosts[1]: \"[::1]:3306\" is the same node as hosts[0]");
  EXPECT_EQ(database("hosts = [\"a:3306\", \"a:3307\"]\n").hosts.size(),
            2u);  // two ports, two nodes
}

TEST(DatabaseHostsConfig, RefusesHostsBesideASingleServer) {
  for (const std::string single :
       {"host = \"a\"", "port = 3306", "socket = \"/run/mysqld.sock\""}) {
    expect_config_error("[database]\n" + single + "\nhosts = [\"a:3306\", \"b:3306\"]\n",
                        "/etc/meteo-etl/test.toml: database.hosts: cannot be set with " +
                            single.substr(0, single.find(' ')));
  }
}

}  // namespace
}  // namespace meteo
