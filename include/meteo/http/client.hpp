// HTTP GET over libcurl with timeouts, TLS verification, retries with backoff and jitter.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "meteo/http/settings.hpp"

namespace spdlog {
class logger;
}

namespace meteo {

struct HttpHeader {
  std::string name;
  std::string value;
  bool secret = false;  // never logged
};

// What a caller takes as a body. The Content-Type of a 2xx answer is checked as soon as its
// headers arrive, so an HTML error page served with 200 never reaches a parser or the raw archive.
enum class AcceptedContent {
  any,
  // JSON media types (application/json, text/json, application/x-json, application/*+json) and
  // the types that say nothing about the content (none, text/plain, application/octet-stream):
  // the parser decides those. Anything else (text/html, XML, CSV...) is refused.
  json,
};

// Whether a Content-Type header value (parameters and case ignored) is what `accepted` takes.
bool accepts_content_type(AcceptedContent accepted, std::string_view content_type);

struct HttpResponse {
  long status = 0;
  std::string body;  // empty when the body was streamed
  std::string content_type;
};

// Where a streamed 2xx body goes as it arrives, decoded, chunk by chunk, so no whole body is ever
// held in memory. `restart` comes before the first chunk of every try (a consumer drops what a
// failed try delivered) and at least once before get() returns, even for an empty body. Whatever
// either throws stops the transfer and leaves get() unchanged, without a retry.
struct BodyStream {
  std::function<void()> restart;
  std::function<void(std::string_view chunk)> append;
};

// libcurl's process-wide state (curl_global_init / curl_global_cleanup). main creates exactly one
// while the process is still single-threaded, before any HttpClient, and keeps it alive until the
// last client is gone: libcurl's global init is not thread-safe on every platform.
class CurlGlobal {
 public:
  CurlGlobal();  // throws Error(software) when libcurl cannot initialise
  ~CurlGlobal();
  CurlGlobal(const CurlGlobal&) = delete;
  CurlGlobal& operator=(const CurlGlobal&) = delete;
};

// Sleeps between retries; injectable so unit tests do not wait.
using Sleeper = std::function<void(std::chrono::milliseconds)>;

// The backoff before retry number `retry` (1-based): initial * 2^(retry-1), capped, with full
// jitter drawn from `unit_random` in [0, 1). A Retry-After value, when given, wins.
std::chrono::milliseconds backoff_delay(const RetryPolicy& policy, int retry, double unit_random);

class HttpClient {
 public:
  HttpClient(HttpSettings settings, spdlog::logger& log, Sleeper sleeper = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Retries network errors, timeouts, 5xx and 429 (honouring Retry-After). Throws
  //   Error(unavailable)   when retries are exhausted, another non-2xx status answers or the
  //                        body (decoded) outgrows max_body_bytes (not retried),
  //   Error(no_permission) on 401/403,
  //   Error(data)          on a 2xx whose Content-Type `accepted` refuses, or a body whose
  //                        Content-Encoding cannot be decoded (neither retried),
  // each message naming the URL (never a secret header) and the last status or curl error.
  HttpResponse get(const std::string& url, const std::vector<HttpHeader>& headers = {},
                   AcceptedContent accepted = AcceptedContent::any);
  // The same, the successful body going to `body` rather than into the response. Error pages
  // and redirects are never streamed.
  HttpResponse get(const std::string& url, const std::vector<HttpHeader>& headers,
                   AcceptedContent accepted, const BodyStream& body);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A URL as messages, logs, the ledger (etl_runs, raw_payloads) and `status` show it: the
// user:password part becomes "***", and so does the value of every query parameter whose name
// ends in key, token, secret, password, passwd, pwd, signature, sig, auth or credential (any
// case, `-`, `_` and `.` ignored): "https://***@h/x?apikey=***&hour=6". Text without "://" is
// returned as it is.
std::string displayable_url(std::string_view url);

// Reads a reference document: http(s):// through `client`, file:// or a plain path from disk.
// Throws Error(unavailable) naming the location when it cannot be read.
std::string read_location(const std::string& location, HttpClient& client);

// libcurl as linked at run time, with its TLS and compression libraries (for --version).
std::string curl_version_text();

}  // namespace meteo
