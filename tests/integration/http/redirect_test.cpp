// Redirects and request headers, against canned loopback servers that record what they receive:
// the simulator cannot redirect, and these checks need to see the raw request.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <spdlog/logger.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/sinks/ostream_sink.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "meteo/core/errors.hpp"
#include "meteo/http/client.hpp"
#include "meteo/version.hpp"

namespace meteo {
namespace {

constexpr const char* kKey = "redirect-test-secret";

// Answers the i-th connection with responses[i] (the last one repeats), then closes it.
class CannedServer {
 public:
  explicit CannedServer(std::vector<std::string> responses) : responses_(std::move(responses)) {
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (listener_ < 0 || ::bind(listener_, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
        ::listen(listener_, 8) != 0 ||
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      throw std::runtime_error("CannedServer: cannot listen");
    }
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~CannedServer() {
    ::shutdown(listener_, SHUT_RDWR);  // wakes accept()
    thread_.join();
    ::close(listener_);
  }
  CannedServer(const CannedServer&) = delete;
  CannedServer& operator=(const CannedServer&) = delete;

  std::string url(const std::string& path = "/") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  std::vector<std::string> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  void serve() {
    for (std::size_t i = 0;; ++i) {
      const int connection = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
      if (connection < 0) return;
      std::string request;
      char buffer[4096];
      while (request.find("\r\n\r\n") == std::string::npos) {
        const ssize_t n = ::recv(connection, buffer, sizeof buffer, 0);
        if (n <= 0) break;
        request.append(buffer, static_cast<std::size_t>(n));
      }
      {
        std::lock_guard lock(mutex_);
        requests_.push_back(request);
      }
      const std::string& response = responses_[std::min(i, responses_.size() - 1)];
      ::send(connection, response.data(), response.size(), MSG_NOSIGNAL);
      ::close(connection);
    }
  }

  std::vector<std::string> responses_;
  int listener_ = -1;
  int port_ = 0;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::vector<std::string> requests_;
};

std::string redirect_to(const std::string& location) {
  return "HTTP/1.1 302 Found\r\nLocation: " + location +
         "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
}

std::string ok(const std::string& body) {
  return "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class RedirectTest : public ::testing::Test {
 protected:
  HttpClient client() {
    HttpSettings settings;
    settings.total_timeout = std::chrono::milliseconds(5000);
    settings.retry.attempts = 3;
    return HttpClient(settings, log_, [this](std::chrono::milliseconds) { ++sleeps_; });
  }
  static std::vector<HttpHeader> headers() {
    return {HttpHeader{"X-API-Key", kKey, true}, HttpHeader{"Accept", "application/json", false}};
  }

  CurlGlobal curl_;
  spdlog::logger log_{"redirect-test", std::make_shared<spdlog::sinks::null_sink_mt>()};
  int sleeps_ = 0;
};

TEST_F(RedirectTest, SendsTheUserAgentAndAcceptsGzip) {
  CannedServer server({ok("fine")});
  HttpClient http = client();
  EXPECT_EQ(http.get(server.url(), headers()).body, "fine");
  const std::string request = server.requests().at(0);
  EXPECT_TRUE(contains(request, std::string("User-Agent: meteo-etl/") + kVersion + "\r\n"))
      << request;
  // Every encoding libcurl can decode is offered; gzip is the one feeds actually use.
  EXPECT_TRUE(contains(request, "Accept-Encoding: ")) << request;
  EXPECT_TRUE(contains(request, "gzip")) << request;
  EXPECT_TRUE(contains(request, std::string("X-API-Key: ") + kKey + "\r\n")) << request;
}

TEST_F(RedirectTest, FollowsARedirectOnTheSameOriginWithTheKey) {
  CannedServer server({redirect_to("/final"), ok("arrived")});
  HttpClient http = client();
  EXPECT_EQ(http.get(server.url("/start"), headers()).body, "arrived");
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[1].rfind("GET /final HTTP/1.1\r\n", 0), 0u) << requests[1];
  EXPECT_TRUE(contains(requests[1], kKey));
}

TEST_F(RedirectTest, DropsSecretHeadersWhenTheRedirectLeavesTheOrigin) {
  CannedServer elsewhere({redirect_to("/back-on-elsewhere"), ok("arrived elsewhere")});
  CannedServer origin({redirect_to(elsewhere.url("/moved"))});
  HttpClient http = client();
  EXPECT_EQ(http.get(origin.url("/feed"), headers()).body, "arrived elsewhere");
  EXPECT_TRUE(contains(origin.requests().at(0), kKey));
  for (const auto& request : elsewhere.requests()) {
    EXPECT_FALSE(contains(request, kKey)) << request;  // never, not even later hops
    EXPECT_TRUE(contains(request, "Accept: application/json")) << request;  // public ones stay
  }
  EXPECT_EQ(elsewhere.requests().size(), 2u);
}

TEST_F(RedirectTest, StopsAfterFiveRedirectsWithoutRetrying) {
  CannedServer loop({redirect_to("/again")});
  HttpClient http = client();
  try {
    http.get(loop.url(), headers());
    ADD_FAILURE() << "a redirect loop answered";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ExitCode::unavailable);
    EXPECT_EQ(std::string(error.what()), "GET " + loop.url() + ": more than 5 redirects");
  }
  EXPECT_EQ(loop.requests().size(), 6u);  // the request and five redirects
  EXPECT_EQ(sleeps_, 0);
}

TEST_F(RedirectTest, RefusesARedirectToAnotherProtocol) {
  CannedServer server({redirect_to("file:///etc/passwd")});
  HttpClient http = client();
  try {
    http.get(server.url(), headers());
    ADD_FAILURE() << "followed a redirect to file://";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ExitCode::unavailable);
    EXPECT_TRUE(contains(error.what(), "curl error 1:")) << error.what();
  }
  EXPECT_EQ(sleeps_, 0);
}

TEST_F(RedirectTest, HonoursARetryAfterDate) {
  // An HTTP-date a minute ahead: the wait is capped by max_backoff (30 s by default).
  const std::time_t later = std::time(nullptr) + 60;
  char date[64];
  std::tm utc{};
  gmtime_r(&later, &utc);
  std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &utc);
  CannedServer server({"HTTP/1.1 503 Service Unavailable\r\nRetry-After: " + std::string(date) +
                           "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                       ok("later")});
  std::vector<std::chrono::milliseconds> waits;
  HttpSettings settings;
  settings.retry.max_backoff = std::chrono::milliseconds(120000);
  HttpClient http(settings, log_, [&](std::chrono::milliseconds delay) { waits.push_back(delay); });
  EXPECT_EQ(http.get(server.url(), headers()).body, "later");
  ASSERT_EQ(waits.size(), 1u);
  EXPECT_GT(waits[0], std::chrono::seconds(55));
  EXPECT_LE(waits[0], std::chrono::seconds(60));
}

// Issue 15: a source configured without a key (or a blank one) sent "X-API-Key:" empty.
TEST_F(RedirectTest, AnEmptySecretHeaderIsNotSentAtAll) {
  CannedServer server({ok("fine")});
  HttpClient http = client();
  EXPECT_EQ(http.get(server.url(), {HttpHeader{"X-API-Key", "", true}}).body, "fine");
  const std::string request = server.requests().at(0);
  EXPECT_FALSE(contains(request, "X-API-Key")) << request;
}

// Issue 15: a key in the query string reached the retry warnings and the error message (hence
// etl_runs and `status --json`); only user:password was masked.
TEST_F(RedirectTest, MessagesAndLogLinesMaskCredentialsInTheUrl) {
  CannedServer server(
      {"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n"
       "Connection: close\r\n\r\n"});
  std::ostringstream lines;
  spdlog::logger log("masking-test", std::make_shared<spdlog::sinks::ostream_sink_mt>(lines));
  HttpSettings settings;
  settings.retry.attempts = 2;
  HttpClient http(settings, log, [](std::chrono::milliseconds) {});
  const std::string secret = "query-secret-5f1";
  const std::string url = server.url("/t") + "?hour=6&access_token=" + secret + "&sig=" + secret;
  const std::string with_user =
      "http://user:pw-" + secret + "@" + url.substr(std::string("http://").size());
  try {
    http.get(with_user, headers());
    ADD_FAILURE() << "a 503 was accepted";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ExitCode::unavailable);
    const std::string shown = "http://***@" +
                              server.url("/t").substr(std::string("http://").size()) +
                              "?hour=6&access_token=***&sig=***";
    EXPECT_TRUE(contains(error.what(), "GET " + shown + ": ")) << error.what();
    EXPECT_FALSE(contains(error.what(), secret)) << error.what();
  }
  EXPECT_TRUE(contains(lines.str(), "access_token=***&sig=***")) << lines.str();
  EXPECT_FALSE(contains(lines.str(), secret)) << lines.str();
  EXPECT_FALSE(contains(lines.str(), kKey)) << lines.str();
}

}  // namespace
}  // namespace meteo
