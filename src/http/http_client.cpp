// HttpClient: one libcurl easy handle, retries with backoff, redirects followed by hand so a
// secret header never travels to another origin.
#include <curl/curl.h>
#include <spdlog/logger.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <ctime>
#include <exception>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "content_type.hpp"
#include "curl_handles.hpp"
#include "meteo/core/errors.hpp"
#include "meteo/http/client.hpp"
#include "meteo/version.hpp"

namespace meteo {
namespace {

using std::chrono::milliseconds;

constexpr int kMaxRedirects = 5;

// ---- Text for messages ------------------------------------------------------------------------

std::string status_text(long status) {
  static constexpr std::pair<long, const char*> kReasons[] = {
      {400, "Bad Request"},
      {401, "Unauthorized"},
      {403, "Forbidden"},
      {404, "Not Found"},
      {405, "Method Not Allowed"},
      {408, "Request Timeout"},
      {410, "Gone"},
      {429, "Too Many Requests"},
      {500, "Internal Server Error"},
      {501, "Not Implemented"},
      {502, "Bad Gateway"},
      {503, "Service Unavailable"},
      {504, "Gateway Timeout"},
      {300, "Multiple Choices"},
      {304, "Not Modified"},
  };
  for (const auto& [code, reason] : kReasons) {
    if (code == status) return std::to_string(status) + " " + reason;
  }
  return "HTTP status " + std::to_string(status);
}

// Replaces every secret header value in `text`: a last line of defence for messages.
std::string scrubbed(std::string text, const std::vector<HttpHeader>& headers) {
  for (const auto& header : headers) {
    if (!header.secret || header.value.empty()) continue;
    for (auto at = text.find(header.value); at != std::string::npos;
         at = text.find(header.value, at + 3)) {
      text.replace(at, header.value.size(), "***");
    }
  }
  return text;
}

// ---- Headers ----------------------------------------------------------------------------------

void reject_line_breaks(const HttpHeader& header) {
  const auto has_break = [](const std::string& text) {
    return text.find_first_of("\r\n") != std::string::npos;
  };
  // A line break would let a configured value inject headers; the value itself is not shown.
  if (has_break(header.name) || has_break(header.value)) {
    throw Error(ExitCode::config, "HTTP header \"" + header.name + "\" contains a line break");
  }
}

bool has_header(const std::vector<HttpHeader>& headers, std::string_view name) {
  return std::any_of(headers.begin(), headers.end(), [name](const HttpHeader& header) {
    return header.name.size() == name.size() &&
           std::equal(name.begin(), name.end(), header.name.begin(), [](char a, char b) {
             return std::tolower(static_cast<unsigned char>(a)) ==
                    std::tolower(static_cast<unsigned char>(b));
           });
  });
}

// Says what we take, for a server that negotiates; the caller's own Accept wins.
std::vector<HttpHeader> with_accept(std::vector<HttpHeader> headers, AcceptedContent accepted) {
  if (accepted == AcceptedContent::json && !has_header(headers, "Accept")) {
    headers.push_back({"Accept", "application/json", false});
  }
  return headers;
}

curl::Slist header_list(const std::vector<HttpHeader>& headers, bool include_secrets) {
  std::vector<std::string> lines;
  for (const auto& header : headers) {
    reject_line_breaks(header);
    // An empty secret (a source configured without a key) is not sent at all: an empty
    // X-API-Key would only earn a 401 that blames the key.
    if (header.secret && (!include_secrets || header.value.empty())) continue;
    // curl sends "Name;" as an empty header; "Name:" would remove it instead.
    lines.push_back(header.value.empty() ? header.name + ";" : header.name + ": " + header.value);
  }
  return curl::make_slist(lines);
}

// ---- Retry-After ------------------------------------------------------------------------------

// Seconds ("120") or an HTTP-date ("Wed, 21 Oct 2015 07:28:00 GMT"); nothing when unreadable.
std::optional<milliseconds> parse_retry_after(std::string text) {
  const auto not_space = [](unsigned char c) { return !std::isspace(c); };
  text.erase(text.begin(), std::find_if(text.begin(), text.end(), not_space));
  text.erase(std::find_if(text.rbegin(), text.rend(), not_space).base(), text.end());
  if (text.empty()) return std::nullopt;
  if (std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); })) {
    constexpr long long kDay = 86400;  // anything longer is capped by max_backoff anyway
    const long long seconds = text.size() > 6 ? kDay : std::min(std::stoll(text), kDay);
    return std::chrono::seconds(seconds);
  }
  const time_t when = curl_getdate(text.c_str(), nullptr);
  if (when == -1) return std::nullopt;
  const auto wait = std::chrono::system_clock::from_time_t(when) - std::chrono::system_clock::now();
  return std::max(milliseconds(0), std::chrono::duration_cast<milliseconds>(wait));
}

// ---- URLs -------------------------------------------------------------------------------------

// scheme://host:port, lower-cased by libcurl; empty when the URL cannot be parsed.
std::string origin_of(const std::string& url) {
  curl::Url parsed(curl_url());
  if (!parsed || curl_url_set(parsed.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) return {};
  std::string origin;
  for (const auto part : {CURLUPART_SCHEME, CURLUPART_HOST, CURLUPART_PORT}) {
    char* text = nullptr;
    if (curl_url_get(parsed.get(), part, &text, CURLU_DEFAULT_PORT) != CURLUE_OK) return {};
    origin += std::string(text) + "|";
    curl_free(text);
  }
  return origin;
}

bool same_origin(const std::string& from, const std::string& to) {
  const std::string origin = origin_of(from);
  return !origin.empty() && origin == origin_of(to);
}

// ---- One exchange -----------------------------------------------------------------------------

bool is_success(long status) {
  return status >= 200 && status < 300;
}

// A 2xx whose Content-Type the caller does not take. Headers are complete once libcurl hands
// over body bytes, so this can be asked from the write callback.
bool refuses_content(CURL* handle, AcceptedContent accepted) {
  long status = 0;
  char* type = nullptr;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_getinfo(handle, CURLINFO_CONTENT_TYPE, &type);
  return is_success(status) && !accepts_content_type(accepted, type ? type : "");
}

// Takes the (decoded) body as it arrives, so memory stays bounded by the limit whether the length
// was announced or not: stops the transfer once the body outgrows the limit, or once it holds an
// excerpt of a body of the wrong type. A 2xx body goes to the caller's stream when there is one.
struct BodySink {
  CURL* handle = nullptr;
  AcceptedContent accepted = AcceptedContent::any;
  std::size_t limit = 0;
  const BodyStream* stream = nullptr;
  std::string body;
  std::size_t received = 0;
  bool overflowed = false;
  bool streaming = false;             // this try's body goes to `stream`
  std::optional<bool> refused;        // decided at the first bytes
  std::exception_ptr consumer_error;  // what the stream threw: it cannot cross libcurl

  static std::size_t write(char* data, std::size_t size, std::size_t count, void* user) {
    auto& sink = *static_cast<BodySink*>(user);
    const std::size_t bytes = size * count;
    if (!sink.refused) sink.start();
    // Any short count makes libcurl abort the transfer with CURLE_WRITE_ERROR.
    if (sink.consumer_error) return 0;
    if (*sink.refused) return sink.keep_excerpt(data, bytes);
    if (bytes > sink.limit - sink.received) {
      sink.overflowed = true;
      return 0;
    }
    sink.received += bytes;
    if (!sink.streaming) {
      sink.body.append(data, bytes);
      return bytes;
    }
    return sink.consume([&] { sink.stream->append(std::string_view(data, bytes)); }) ? bytes : 0;
  }

  void start() {
    refused = refuses_content(handle, accepted);
    long status = 0;
    curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
    streaming = stream != nullptr && !*refused && is_success(status);
    if (streaming) consume([&] { stream->restart(); });
  }

  template <typename Call>
  bool consume(Call&& call) {
    try {
      call();
      return true;
    } catch (...) {
      consumer_error = std::current_exception();
      return false;
    }
  }

  std::size_t keep_excerpt(const char* data, std::size_t bytes) {
    const std::size_t room = http_detail::kExcerptBytes - body.size();
    body.append(data, std::min(bytes, room));
    return bytes < room ? bytes : 0;
  }
};

// What one try (redirects included) came to.
struct Outcome {
  CURLcode code = CURLE_OK;
  std::string curl_error;  // when code != CURLE_OK
  bool body_too_large = false;
  bool content_refused = false;  // a 2xx of a type the caller does not take; body: an excerpt
  bool streamed = false;         // the body went to the caller's stream
  std::size_t body_bytes = 0;    // decoded
  std::string content_encoding;  // "gzip"... as announced, for messages
  HttpResponse response;
  std::optional<milliseconds> retry_after;
  std::string redirect_url;

  bool network_failed() const { return code != CURLE_OK && !content_refused; }
  // "503 Service Unavailable" or the curl error: the reason a try failed.
  std::string failure() const {
    return network_failed() ? curl_error : status_text(response.status);
  }
};

bool is_redirect(long status) {
  return status >= 300 && status < 400;
}
bool is_retryable_status(long status) {
  return status == 429 || status >= 500;
}

// Failures that another try cannot fix.
bool is_permanent(CURLcode code) {
  switch (code) {
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
    case CURLE_NOT_BUILT_IN:
    case CURLE_TOO_MANY_REDIRECTS:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_FILESIZE_EXCEEDED:
      return true;
    default:
      return false;
  }
}

template <typename Value>
void set_option(CURL* handle, CURLoption option, Value value, const char* name) {
  if (const CURLcode code = curl_easy_setopt(handle, option, value); code != CURLE_OK) {
    throw Error(ExitCode::software,
                std::string("libcurl rejected ") + name + ": " + curl_easy_strerror(code));
  }
}

}  // namespace

// ---- The client -------------------------------------------------------------------------------

struct HttpClient::Impl {
  HttpSettings settings;
  spdlog::logger& log;
  Sleeper sleeper;
  std::mt19937_64 random{std::random_device{}()};
  curl::Easy handle = curl::make_easy();
  char error_buffer[CURL_ERROR_SIZE] = {};

  Impl(HttpSettings http_settings, spdlog::logger& logger, Sleeper sleep)
      : settings(std::move(http_settings)), log(logger), sleeper(std::move(sleep)) {
    if (!sleeper) sleeper = [](milliseconds delay) { std::this_thread::sleep_for(delay); };
    configure();
  }

  void configure() {
    CURL* h = handle.get();
    set_option(h, CURLOPT_NOSIGNAL, 1L, "NOSIGNAL");  // timeouts without SIGALRM
    set_option(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(settings.connect_timeout.count()),
               "CONNECTTIMEOUT_MS");
    set_option(h, CURLOPT_TIMEOUT_MS, static_cast<long>(settings.total_timeout.count()),
               "TIMEOUT_MS");
    set_option(h, CURLOPT_SSL_VERIFYPEER, 1L, "SSL_VERIFYPEER");
    set_option(h, CURLOPT_SSL_VERIFYHOST, 2L, "SSL_VERIFYHOST");
    if (!settings.ca_file.empty())
      set_option(h, CURLOPT_CAINFO, settings.ca_file.c_str(), "CAINFO");
    // Redirects are followed in follow_redirects(): curl would resend custom headers (the API
    // key) to whatever host a Location names. The protocol list still applies to every hop.
    set_option(h, CURLOPT_FOLLOWLOCATION, 0L, "FOLLOWLOCATION");
    set_option(h, CURLOPT_PROTOCOLS_STR, "http,https", "PROTOCOLS_STR");
    // "": every encoding this libcurl decodes (gzip, deflate, br, zstd). The body cap applies to
    // the decoded bytes, so a small compressed body cannot inflate past it.
    set_option(h, CURLOPT_ACCEPT_ENCODING, "", "ACCEPT_ENCODING");
    // A stalled body (a byte now and then keeps the connection alive) ends well before the total
    // timeout; curl ignores the guard when either value is zero.
    set_option(h, CURLOPT_LOW_SPEED_LIMIT, settings.low_speed_bytes_per_second, "LOW_SPEED_LIMIT");
    set_option(h, CURLOPT_LOW_SPEED_TIME, static_cast<long>(settings.low_speed_window.count()),
               "LOW_SPEED_TIME");
    set_option(h, CURLOPT_USERAGENT, user_agent().c_str(), "USERAGENT");  // curl copies strings
    set_option(h, CURLOPT_ERRORBUFFER, error_buffer, "ERRORBUFFER");
    set_option(h, CURLOPT_WRITEFUNCTION, &BodySink::write, "WRITEFUNCTION");
    // Refuses early when Content-Length already says too much; BodySink covers the rest
    // (chunked or gzip-inflated bodies).
    set_option(h, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(settings.max_body_bytes),
               "MAXFILESIZE_LARGE");
  }

  static std::string user_agent() { return std::string("meteo-etl/") + kVersion; }

  int attempts() const { return std::max(1, settings.retry.attempts); }

  // One request, no redirect handling.
  Outcome perform(const std::string& url, const curl::Slist& headers, AcceptedContent accepted,
                  const BodyStream* stream) {
    CURL* h = handle.get();
    BodySink sink;
    sink.handle = h;
    sink.accepted = accepted;
    sink.limit = settings.max_body_bytes;
    sink.stream = stream;
    error_buffer[0] = '\0';
    set_option(h, CURLOPT_URL, url.c_str(), "URL");
    set_option(h, CURLOPT_HTTPHEADER, headers.get(), "HTTPHEADER");
    set_option(h, CURLOPT_WRITEDATA, static_cast<void*>(&sink), "WRITEDATA");

    Outcome outcome;
    outcome.code = curl_easy_perform(h);
    // Both point into this call's locals: leave no dangling pointer in the handle.
    set_option(h, CURLOPT_WRITEDATA, static_cast<void*>(nullptr), "WRITEDATA");
    set_option(h, CURLOPT_HTTPHEADER, static_cast<curl_slist*>(nullptr), "HTTPHEADER");
    if (sink.consumer_error) std::rethrow_exception(sink.consumer_error);
    outcome.streamed = sink.streaming;
    outcome.body_bytes = sink.received;
    outcome.body_too_large = sink.overflowed || outcome.code == CURLE_FILESIZE_EXCEEDED;
    // An empty body never reached the sink: its type is checked here.
    outcome.content_refused = sink.refused.value_or(refuses_content(h, accepted));
    if (curl_header* header = nullptr;
        curl_easy_header(h, "Content-Encoding", 0, CURLH_HEADER, -1, &header) == CURLHE_OK) {
      outcome.content_encoding = header->value;
    }
    if (outcome.network_failed()) {
      outcome.curl_error = std::string("curl error ") + std::to_string(outcome.code) + ": " +
                           (error_buffer[0] ? error_buffer : curl_easy_strerror(outcome.code));
      return outcome;
    }
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &outcome.response.status);
    if (char* type = nullptr;
        curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &type) == CURLE_OK && type) {
      outcome.response.content_type = type;
    }
    if (char* location = nullptr;
        curl_easy_getinfo(h, CURLINFO_REDIRECT_URL, &location) == CURLE_OK && location) {
      outcome.redirect_url = location;
    }
    if (curl_header* header = nullptr;
        curl_easy_header(h, "Retry-After", 0, CURLH_HEADER, -1, &header) == CURLHE_OK) {
      outcome.retry_after = parse_retry_after(header->value);
    }
    outcome.response.body = std::move(sink.body);
    return outcome;
  }

  // One try: the request and up to kMaxRedirects redirects. Secret headers stay with the
  // origin they were configured for.
  Outcome follow_redirects(const std::string& url, const std::vector<HttpHeader>& headers,
                           AcceptedContent accepted, const BodyStream* stream) {
    const curl::Slist all_headers = header_list(headers, true);
    const curl::Slist public_headers = header_list(headers, false);
    std::string current = url;
    bool send_secrets = true;
    for (int hop = 0;; ++hop) {
      Outcome outcome =
          perform(current, send_secrets ? all_headers : public_headers, accepted, stream);
      if (outcome.network_failed() || !is_redirect(outcome.response.status) ||
          outcome.redirect_url.empty()) {
        return outcome;
      }
      if (hop == kMaxRedirects) {
        outcome.code = CURLE_TOO_MANY_REDIRECTS;
        outcome.curl_error = "more than " + std::to_string(kMaxRedirects) + " redirects";
        return outcome;
      }
      send_secrets = send_secrets && same_origin(current, outcome.redirect_url);
      current = std::move(outcome.redirect_url);
    }
  }

  milliseconds delay_before(int retry, const Outcome& outcome) {
    if (outcome.retry_after) return std::min(*outcome.retry_after, settings.retry.max_backoff);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    return backoff_delay(settings.retry, retry, unit(random));
  }

  // Messages name the URL without credentials (displayable_url), and never a secret header's
  // value.
  struct Request {
    const std::string& url;
    const std::vector<HttpHeader>& headers;
    std::string shown_url = scrubbed(displayable_url(url), headers);

    Error error(ExitCode code, const std::string& message) const {
      return Error(code, scrubbed("GET " + shown_url + ": " + message, headers));
    }
  };

  // A body over the cap will not shrink on another try.
  Error body_too_large(const Request& request, const Outcome& outcome) const {
    const std::string cap = std::to_string(settings.max_body_bytes) + " bytes";
    std::string message;
    if (outcome.code == CURLE_FILESIZE_EXCEEDED) {
      message = "Content-Length announces more than " + cap + " (the max_body_mb cap)";
    } else {
      message = "body exceeds " + cap + " (the max_body_mb cap";
      if (!outcome.content_encoding.empty())
        message += ", after decoding " + outcome.content_encoding;
      message += ")";
    }
    return request.error(ExitCode::unavailable, message + "; not retried");
  }

  // True for a success; false when another try may help; throws when it cannot.
  bool succeeded(const Request& request, const Outcome& outcome) const {
    if (outcome.body_too_large) throw body_too_large(request, outcome);
    if (outcome.content_refused) {
      throw request.error(ExitCode::data,
                          "answered " + std::to_string(outcome.response.status) +
                              " with Content-Type \"" + outcome.response.content_type +
                              "\", not JSON; the body starts \"" +
                              http_detail::body_excerpt(outcome.response.body) + "\"");
    }
    if (outcome.code == CURLE_BAD_CONTENT_ENCODING) {
      // The same server sends the same broken bytes again: not worth a retry.
      throw request.error(ExitCode::data, "the body cannot be decoded (Content-Encoding \"" +
                                              outcome.content_encoding +
                                              "\"): " + outcome.curl_error);
    }
    if (outcome.network_failed()) {
      if (is_permanent(outcome.code))
        throw request.error(ExitCode::unavailable, outcome.curl_error);
      return false;
    }
    const long status = outcome.response.status;
    if (is_success(status)) return true;
    if (status == 401 || status == 403) {
      throw request.error(ExitCode::no_permission, status_text(status) + ": check the API key");
    }
    if (!is_retryable_status(status))
      throw request.error(ExitCode::unavailable, status_text(status));
    return false;
  }

  void log_retry(const Request& request, int attempt, const Outcome& outcome,
                 milliseconds delay) const {
    log.warn("{}",
             scrubbed("GET " + request.shown_url + " failed (attempt " + std::to_string(attempt) +
                          "/" + std::to_string(attempts()) + "): " + outcome.failure() +
                          "; retrying in " + std::to_string(delay.count()) + " ms",
                      request.headers));
  }

  HttpResponse get(const std::string& url, const std::vector<HttpHeader>& headers,
                   AcceptedContent accepted, const BodyStream* stream) {
    const Request request{url, headers};
    const std::vector<HttpHeader> sent = with_accept(headers, accepted);
    for (int attempt = 1;; ++attempt) {
      Outcome outcome = follow_redirects(url, sent, accepted, stream);
      if (succeeded(request, outcome)) {
        log.debug("GET {}: {} ({} bytes)", request.shown_url, outcome.response.status,
                  outcome.body_bytes);
        // An empty body never reached the sink: the stream still hears of it.
        if (stream != nullptr && !outcome.streamed) stream->restart();
        return std::move(outcome.response);
      }
      if (attempt >= attempts()) {
        throw request.error(ExitCode::unavailable, "gave up after " + std::to_string(attempt) +
                                                       (attempt == 1 ? " attempt" : " attempts") +
                                                       "; last error: " + outcome.failure());
      }
      const milliseconds delay = delay_before(attempt, outcome);
      log_retry(request, attempt, outcome, delay);
      sleeper(delay);
    }
  }
};

HttpClient::HttpClient(HttpSettings settings, spdlog::logger& log, Sleeper sleeper)
    : impl_(std::make_unique<Impl>(std::move(settings), log, std::move(sleeper))) {}

HttpClient::~HttpClient() = default;

HttpResponse HttpClient::get(const std::string& url, const std::vector<HttpHeader>& headers,
                             AcceptedContent accepted) {
  return impl_->get(url, headers, accepted, nullptr);
}

HttpResponse HttpClient::get(const std::string& url, const std::vector<HttpHeader>& headers,
                             AcceptedContent accepted, const BodyStream& body) {
  return impl_->get(url, headers, accepted, &body);
}

}  // namespace meteo
