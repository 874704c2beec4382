// Where `serve` listens: host:port, checked before anything binds.
#pragma once

#include <string>
#include <string_view>

namespace meteo::serve {

struct ListenAddress {
  std::string host;  // an IPv4 address or a name; [v6] written with brackets, kept without
  int port = 0;      // 0: any free port (tests)
};

// "127.0.0.1:8080", "localhost:8080", "[::1]:8080", "0.0.0.0:80". Throws Error(usage) naming
// `text` when it has no port, an empty host or a port outside 0..65535.
ListenAddress parse_listen_address(std::string_view text);

// 127.0.0.0/8, ::1 and "localhost": reachable from this machine only.
bool is_loopback_host(std::string_view host);

}  // namespace meteo::serve
