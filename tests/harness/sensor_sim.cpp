// Runs tools/sensor-sim for one test and talks to it over a plain loopback socket, so the harness
// needs no HTTP library of its own.
#include "sensor_sim.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

namespace meteo::testing {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr auto kStartupLimit = std::chrono::seconds(10);
constexpr auto kPollInterval = std::chrono::milliseconds(20);

std::vector<std::string> command_line(const SensorSimOptions& o, const std::string& port_file) {
  std::vector<std::string> argv{METEO_SENSOR_SIM_BINARY,
                                "--host",
                                "127.0.0.1",
                                "--port",
                                "0",
                                "--port-file",
                                port_file,
                                "--records",
                                std::to_string(o.records),
                                "--seed",
                                std::to_string(o.seed),
                                "--api-key",
                                o.api_key,
                                "--invalid",
                                std::to_string(o.invalid),
                                "--duplicates",
                                std::to_string(o.duplicates),
                                "--fail-first",
                                std::to_string(o.fail_first),
                                "--fail-status",
                                std::to_string(o.fail_status),
                                "--delay-ms",
                                std::to_string(o.delay_ms)};
  const auto add = [&argv](std::string flag, std::string value) {
    argv.push_back(std::move(flag));
    argv.push_back(std::move(value));
  };
  if (o.retry_after_seconds >= 0) add("--retry-after", std::to_string(o.retry_after_seconds));
  if (o.truncate) argv.emplace_back("--truncate");
  if (!o.payload_file.empty()) add("--payload", o.payload_file);
  if (!o.static_dir.empty()) add("--static", o.static_dir);
  return argv;
}

std::string make_temporary_directory() {
  std::string pattern = (fs::temp_directory_path() / "meteo-sensor-sim-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  return pattern;
}

std::optional<int> read_port(const std::string& port_file) {
  std::ifstream in(port_file);
  int port = 0;
  if (in >> port && port > 0) return port;
  return std::nullopt;
}

// True once the child has exited; WNOWAIT leaves it for BackgroundProcess to reap.
bool has_exited(pid_t pid) {
  siginfo_t info{};
  return ::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
         info.si_pid == pid;
}

class Socket {
 public:
  Socket() : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {}
  ~Socket() {
    if (fd_ >= 0) ::close(fd_);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// A minimal HTTP/1.1 GET with Connection: close; nothing when the server does not answer 200.
std::optional<std::string> http_get(int port, const std::string& path) {
  Socket socket;
  if (socket.get() < 0) return std::nullopt;
  timeval timeout{5, 0};
  ::setsockopt(socket.get(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  ::setsockopt(socket.get(), SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(socket.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    return std::nullopt;
  }
  const std::string request =
      "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  if (::send(socket.get(), request.data(), request.size(), MSG_NOSIGNAL) !=
      static_cast<ssize_t>(request.size())) {
    return std::nullopt;
  }
  std::string response;
  char buffer[4096];
  for (ssize_t n; (n = ::recv(socket.get(), buffer, sizeof buffer, 0)) > 0;)
    response.append(buffer, n);
  const auto body_start = response.find("\r\n\r\n");
  if (response.rfind("HTTP/1.1 200", 0) != 0 || body_start == std::string::npos) {
    return std::nullopt;
  }
  return response.substr(body_start + 4);
}

}  // namespace

SensorSim::SensorSim(SensorSimOptions options) {
  const std::string directory = make_temporary_directory();
  port_file_ = directory + "/port";
  process_ = std::make_unique<BackgroundProcess>(command_line(options, port_file_), Environment{});

  const auto deadline = Clock::now() + kStartupLimit;
  while (Clock::now() < deadline) {
    if (has_exited(process_->pid())) break;
    if (!port_) port_ = read_port(port_file_).value_or(0);
    if (port_ && http_get(port_, "/healthz") == "ok") return;
    std::this_thread::sleep_for(kPollInterval);
  }
  process_.reset();
  std::error_code ignored;
  fs::remove_all(directory, ignored);
  throw std::runtime_error("meteo-sensor-sim did not come up within 10 s (port file " + port_file_ +
                           ")");
}

SensorSim::~SensorSim() {
  process_.reset();
  std::error_code ignored;
  fs::remove_all(fs::path(port_file_).parent_path(), ignored);
}

std::string SensorSim::base_url() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}

std::string SensorSim::url() const {
  return base_url() + "/sensor/temperatures";
}

int SensorSim::calls_served() const {
  const auto body = http_get(port_, "/stats");
  if (!body) throw std::runtime_error("meteo-sensor-sim: GET /stats failed on " + base_url());
  return nlohmann::json::parse(*body).at("sensor_calls").get<int>();
}

}  // namespace meteo::testing
