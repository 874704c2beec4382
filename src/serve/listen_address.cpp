#include "meteo/serve/listen_address.hpp"

#include <charconv>

#include "meteo/core/errors.hpp"

namespace meteo::serve {
namespace {

[[noreturn]] void bad_address(std::string_view text, const std::string& why) {
  throw Error(ExitCode::usage,
              "serve: listen address \"" + std::string(text) + "\": " + why + " (host:port)");
}

}  // namespace

ListenAddress parse_listen_address(std::string_view text) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos) bad_address(text, "no port");
  std::string_view host = text.substr(0, colon);
  const std::string_view port_text = text.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string_view::npos) {
    bad_address(text, "an IPv6 host must be written in brackets");
  }
  if (host.empty()) bad_address(text, "no host");
  int port = -1;
  const auto [end, error] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || error != std::errc() || end != port_text.data() + port_text.size() ||
      port < 0 || port > 65535) {
    bad_address(text, "the port must be a number from 0 to 65535");
  }
  return {std::string(host), port};
}

bool is_loopback_host(std::string_view host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

}  // namespace meteo::serve
