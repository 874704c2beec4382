#include "private_mariadb.hpp"

#include <signal.h>

#include <chrono>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

#include "paths.hpp"
#include "subprocess.hpp"

namespace meteo::testing {

namespace {

// A script of the repository with a bare environment: METEO_TEST_DB_HOST must not make
// mariadb.sh defer to another server.
void run_script(const std::string& script, const std::vector<std::string>& args) {
  std::vector<std::string> command{"bash", source_path(script)};
  command.insert(command.end(), args.begin(), args.end());
  const auto result = run_process(
      command, {{"PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}},
      std::chrono::seconds(300));  // a cluster's nodes copy their data on first start
  if (result.exit_code != 0) {
    std::string line = script;
    for (const auto& arg : args) line += " " + arg;
    throw std::runtime_error(line + " failed (exit " + std::to_string(result.exit_code) +
                             "): " + result.err);
  }
}

void run_harness_script(const std::string& command, const std::filesystem::path& directory) {
  run_script("tests/harness/mariadb.sh", {command, directory.string()});
}

DatabaseConfig root_over_socket(const std::filesystem::path& server_directory,
                                const std::string& database) {
  DatabaseConfig config;
  config.socket = (server_directory / "mysqld.sock").string();
  config.user = "root";
  config.name = database;
  config.connect_timeout = std::chrono::seconds(5);
  return config;
}

// KEY=VALUE lines of a harness script's env file.
std::map<std::string, std::string> read_env_file(const std::filesystem::path& path) {
  std::map<std::string, std::string> values;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    const auto equals = line.find('=');
    if (equals != std::string::npos) values[line.substr(0, equals)] = line.substr(equals + 1);
  }
  return values;
}

std::vector<std::string> words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> all;
  for (std::string word; in >> word;) all.push_back(word);
  return all;
}

// A zombie counts as gone: whoever adopted the daemon may be slow to reap it.
bool alive(pid_t pid) {
  if (::kill(pid, 0) != 0) return false;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(stat, line);
  const auto state = line.rfind(") ");
  return state == std::string::npos || line.substr(state + 2, 1) != "Z";
}

}  // namespace

PrivateMariaDb::PrivateMariaDb(std::filesystem::path directory) : directory_(std::move(directory)) {
  std::filesystem::create_directories(directory_);
  directory_ = std::filesystem::canonical(directory_);
  start();
}

PrivateMariaDb::~PrivateMariaDb() {
  try {
    stop();
  } catch (...) {  // a destructor must not throw; a leftover server dies with its directory
  }
}

DatabaseConfig PrivateMariaDb::config(const std::string& database) const {
  return root_over_socket(directory_, database);
}

void PrivateMariaDb::start() {
  run_harness_script("start", directory_);
}

void PrivateMariaDb::stop() {
  run_harness_script("stop", directory_);
}

pid_t PrivateMariaDb::server_pid() const {
  std::ifstream in(directory_ / "mysqld.pid");
  pid_t pid = -1;
  if (!(in >> pid) || pid <= 0) {
    throw std::runtime_error("no server pid in " + (directory_ / "mysqld.pid").string());
  }
  return pid;
}

void PrivateMariaDb::kill_hard() {
  const pid_t pid = server_pid();
  if (::kill(pid, SIGKILL) != 0)
    throw std::runtime_error("cannot kill mariadbd " + std::to_string(pid));
  // mariadbd is not our child (setsid in mariadb.sh): poll until it is gone.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (alive(pid)) {
    if (std::chrono::steady_clock::now() > deadline) {
      throw std::runtime_error("mariadbd " + std::to_string(pid) + " survived SIGKILL");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

PrivateGaleraCluster::PrivateGaleraCluster(std::filesystem::path directory)
    : directory_(std::move(directory)) {
  std::filesystem::create_directories(directory_);
  directory_ = std::filesystem::canonical(directory_);
  run_script("tests/harness/galera.sh", {"start", directory_.string()});
  auto env = read_env_file(directory_ / "env");
  sockets_ = words(env["METEO_TEST_DB_NODE_SOCKETS"]);
  ports_ = words(env["METEO_TEST_DB_NODE_PORTS"]);
  if (sockets_.size() != kNodes || ports_.size() != kNodes) {
    throw std::runtime_error("galera.sh described no 3 nodes in " + (directory_ / "env").string());
  }
}

PrivateGaleraCluster::~PrivateGaleraCluster() {
  try {
    run_script("tests/harness/galera.sh", {"stop", directory_.string()});
  } catch (...) {  // a destructor must not throw; leftover nodes die with their directory
  }
}

DatabaseConfig PrivateGaleraCluster::config(int node, const std::string& database) const {
  return root_over_socket(std::filesystem::path(sockets_.at(node - 1)).parent_path(), database);
}

std::string PrivateGaleraCluster::address(int node) const {
  return "127.0.0.1:" + ports_.at(node - 1);
}

void PrivateGaleraCluster::kill_node(int node) {
  run_script("tests/harness/galera.sh", {"kill-node", directory_.string(), std::to_string(node)});
}

void PrivateGaleraCluster::start_node(int node) {
  run_script("tests/harness/galera.sh", {"start-node", directory_.string(), std::to_string(node)});
}

PrivateSpider::PrivateSpider(std::filesystem::path directory) : directory_(std::move(directory)) {
  std::filesystem::create_directories(directory_);
  directory_ = std::filesystem::canonical(directory_);
  run_script("tests/harness/spider.sh", {"start", directory_.string()});
}

PrivateSpider::~PrivateSpider() {
  try {
    run_script("tests/harness/spider.sh", {"stop", directory_.string()});
  } catch (...) {  // a destructor must not throw; leftover servers die with their directory
  }
}

DatabaseConfig PrivateSpider::head(const std::string& database) const {
  DatabaseConfig config = root_over_socket(directory_ / "head", database);
  config.load_data_local = true;
  return config;
}

DatabaseConfig PrivateSpider::backend(int k, const std::string& database) const {
  if (k < 1 || k > kBackends) throw std::out_of_range("no backend " + std::to_string(k));
  return root_over_socket(directory_ / ("backend" + std::to_string(k)), database);
}

void PrivateSpider::shard(const std::string& database, int backends) const {
  std::vector<std::string> args{"--socket=" + (directory_ / "head" / "mysqld.sock").string(),
                                "--user=root", database};
  for (int k = 1; k <= backends; ++k) args.push_back("backend" + std::to_string(k));
  run_script("deploy/spider/shard.sh", args);
}

}  // namespace meteo::testing
