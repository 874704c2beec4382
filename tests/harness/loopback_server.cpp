#include "loopback_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <system_error>
#include <thread>

namespace meteo::testing {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr auto kStartupLimit = std::chrono::seconds(10);
constexpr auto kPollInterval = std::chrono::milliseconds(20);

std::string make_temporary_directory(const std::string& name) {
  std::string pattern = (fs::temp_directory_path() / (name + "-XXXXXX")).string();
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
  Socket() : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    if (fd_ < 0) throw std::runtime_error("socket() failed");
  }
  ~Socket() { ::close(fd_); }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

void remove_directory(const std::string& directory) {
  std::error_code ignored;
  fs::remove_all(directory, ignored);
}

}  // namespace

LoopbackServer::LoopbackServer(std::string name, std::vector<std::string> argv, int port)
    : name_(std::move(name)), directory_(make_temporary_directory(name_)) {
  const std::string port_file = directory_ + "/port";
  const std::vector<std::string> listen{"--host",      "127.0.0.1", "--port", std::to_string(port),
                                        "--port-file", port_file};
  argv.insert(argv.begin() + 1, listen.begin(), listen.end());
  process_ = std::make_unique<BackgroundProcess>(argv, Environment{});

  const auto deadline = Clock::now() + kStartupLimit;
  while (Clock::now() < deadline) {
    if (has_exited(process_->pid())) break;
    if (!port_) port_ = read_port(port_file).value_or(0);
    if (port_ && http_get_loopback(port_, "/healthz") == "ok") return;
    std::this_thread::sleep_for(kPollInterval);
  }
  process_.reset();
  remove_directory(directory_);
  throw std::runtime_error(name_ + " did not come up within 10 s (port file " + port_file + ")");
}

LoopbackServer::~LoopbackServer() {
  process_.reset();
  remove_directory(directory_);
}

std::string LoopbackServer::base_url() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}

std::string LoopbackServer::get(const std::string& path) const {
  auto body = http_get_loopback(port_, path);
  if (!body) throw std::runtime_error(name_ + ": GET " + path + " failed on " + base_url());
  return std::move(*body);
}

int unused_loopback_port() {
  Socket socket;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  if (::bind(socket.get(), reinterpret_cast<sockaddr*>(&address), size) != 0 ||
      ::getsockname(socket.get(), reinterpret_cast<sockaddr*>(&address), &size) != 0) {
    throw std::runtime_error("no free loopback port");
  }
  return ntohs(address.sin_port);
}

LoopbackConnection::LoopbackConnection(int port, std::chrono::seconds timeout)
    : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
  if (fd_ < 0) throw std::runtime_error("socket() failed");
  timeval limit{static_cast<time_t>(timeout.count()), 0};
  ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

LoopbackConnection::~LoopbackConnection() {
  if (fd_ >= 0) ::close(fd_);
}

bool LoopbackConnection::send_all(const std::string& bytes) const {
  return open() && ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) ==
                       static_cast<ssize_t>(bytes.size());
}

long LoopbackConnection::receive(char* buffer, std::size_t size) const {
  return open() ? ::recv(fd_, buffer, size, 0) : -1;
}

bool LoopbackConnection::timed_out() {
  return errno == EAGAIN || errno == EWOULDBLOCK;
}

std::string LoopbackConnection::receive_all() const {
  std::string received;
  char buffer[65536];
  for (long n; (n = receive(buffer, sizeof buffer)) > 0;) {
    received.append(buffer, static_cast<std::size_t>(n));
  }
  return received;
}

std::string loopback_get(int port, const std::string& path, std::chrono::seconds timeout,
                         const std::vector<std::string>& extra_headers) {
  const LoopbackConnection connection(port, timeout);
  if (!connection.open())
    throw std::runtime_error("cannot connect to port " + std::to_string(port));
  std::string request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  for (const auto& header : extra_headers) request += header + "\r\n";
  request += "\r\n";
  if (!connection.send_all(request)) throw std::runtime_error("cannot send the request");
  return connection.receive_all();
}

std::optional<std::string> http_get_loopback(int port, const std::string& path) {
  std::string response;
  try {
    response = loopback_get(port, path);
  } catch (const std::runtime_error&) {
    return std::nullopt;
  }
  const auto body_start = response.find("\r\n\r\n");
  if (response.rfind("HTTP/1.1 200", 0) != 0 || body_start == std::string::npos) {
    return std::nullopt;
  }
  return response.substr(body_start + 4);
}

}  // namespace meteo::testing
