// A simulator (tools/sensor-sim, tools/portal-sim) as a real loopback server for one test, and a
// plain loopback socket to talk HTTP to it, so the harness needs no HTTP library of its own.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "subprocess.hpp"

namespace meteo::testing {

// Starts `argv` with `--host 127.0.0.1 --port <port> --port-file <file>` inserted after argv[0],
// waits until its port file names a port and GET /healthz answers "ok", stops it on destruction.
// `port` 0 lets the server pick a free one; a restarted server asks for its old port, so the
// clients configured with its URL find it again. `name` names it in the temporary directory and
// in errors.
class LoopbackServer {
 public:
  LoopbackServer(std::string name, std::vector<std::string> argv, int port = 0);
  ~LoopbackServer();
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;
  int port() const { return port_; }
  std::string base_url() const;  // http://127.0.0.1:PORT
  // The body of GET `path` (a 200); throws when it fails.
  std::string get(const std::string& path) const;

 private:
  std::string name_;
  std::string directory_;
  std::unique_ptr<BackgroundProcess> process_;
  int port_ = 0;
};

// A TCP connection to 127.0.0.1:port for raw HTTP (requests sent as written, bytes read as sent),
// closed on destruction. Not open when nothing listens. Each read waits at most `timeout`.
class LoopbackConnection {
 public:
  LoopbackConnection(int port, std::chrono::seconds timeout);
  ~LoopbackConnection();
  LoopbackConnection(const LoopbackConnection&) = delete;
  LoopbackConnection& operator=(const LoopbackConnection&) = delete;
  bool open() const { return fd_ >= 0; }
  bool send_all(const std::string& bytes) const;
  // Up to `size` bytes: > 0 read, 0 when the server closed, < 0 on an error or the timeout
  // (`timed_out()` tells which).
  long receive(char* buffer, std::size_t size) const;
  static bool timed_out();  // after a negative receive: errno says the timeout passed
  // Everything until the server closes (or a read times out or fails).
  std::string receive_all() const;

 private:
  int fd_;
};

// A loopback TCP port that was free a moment ago, for a server the test configures before it
// starts (the server may still lose it to another process: tests retry nothing on that).
int unused_loopback_port();

// Sends `GET path` (HTTP/1.1, Connection: close, plus `extra_headers`, each "Name: value") to
// 127.0.0.1:port and returns the whole response, head included and bytes as sent (no decoding),
// once the server closes. Throws when it cannot connect or send.
std::string loopback_get(int port, const std::string& path,
                         std::chrono::seconds timeout = std::chrono::seconds(5),
                         const std::vector<std::string>& extra_headers = {});

// The body of a 200 answer to GET `path` (never chunked: /healthz, /stats); nothing when the
// server cannot be reached or does not answer 200.
std::optional<std::string> http_get_loopback(int port, const std::string& path);

}  // namespace meteo::testing
