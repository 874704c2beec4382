// What the simulators (tools/sensor-sim, tools/portal-sim) share: cpp-httplib as Debian builds it,
// and serving one httplib::Server on loopback until SIGTERM or SIGINT.
#pragma once

// Debian builds libcpp-httplib with these; the header must see them too, or the library's
// struct layouts (Request, Response) and ours would differ.
#ifndef CPPHTTPLIB_OPENSSL_SUPPORT
#define CPPHTTPLIB_OPENSSL_SUPPORT
#endif
#ifndef CPPHTTPLIB_ZLIB_SUPPORT
#define CPPHTTPLIB_ZLIB_SUPPORT
#endif
#ifndef CPPHTTPLIB_BROTLI_SUPPORT
#define CPPHTTPLIB_BROTLI_SUPPORT
#endif

#include <httplib.h>

#include <string>

namespace loopback {

// Exit codes (sysexits.h): cannot listen or serve, cannot write the port file.
inline constexpr int kUnavailable = 69;
inline constexpr int kCannotCreate = 73;

struct ListenOptions {
  std::string host;
  int port = 0;           // 0: an ephemeral one
  std::string port_file;  // when set, the bound port is written here once listening
};

// SIGTERM and SIGINT are blocked in every thread and taken by one waiter, which stops the
// server from ordinary code rather than from a signal handler. Blocks them in the calling thread:
// call it before any thread exists, so that all inherit it; until then a signal simply ends the
// process.
void block_stop_signals();

// Binds `server`, writes the port file, serves until a stop signal, then returns the exit code
// (0, kUnavailable or kCannotCreate). Messages go to stderr prefixed with `program`. Call
// block_stop_signals() first.
int serve(httplib::Server& server, const ListenOptions& options, const char* program);

}  // namespace loopback
