#include "meteo/serve/server.hpp"

#include <httplib.h>
#include <spdlog/spdlog.h>
#include <stdlib.h>  // mkstemp
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "ledger_poller.hpp"
#include "meteo/core/errors.hpp"
#include "meteo/core/names.hpp"
#include "meteo/pipeline/ingest_job.hpp"
#include "meteo/pipeline/run_metrics.hpp"
#include "meteo/pipeline/status_report.hpp"
#include "meteo/serve/bearer_token.hpp"
#include "meteo/serve/events.hpp"
#include "meteo/serve/ingest_format.hpp"
#include "meteo/serve/listen_address.hpp"
#include "meteo/serve/site_files.hpp"

namespace meteo::serve {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr std::size_t kEventsKept = 256;
// A client this many events behind is dropped; it reconnects with its Last-Event-ID.
constexpr std::size_t kClientQueueLimit = 64;
// Threads beyond the event streams, so a full house of streams never starves the other routes.
constexpr std::size_t kSpareThreads = 8;
// A client that does not read for this long is gone: its stream's thread is freed.
constexpr int kWriteTimeoutSeconds = 5;

// Scripts only from the site itself (the page has no inline script); inline style attributes
// are what ECharts' tooltips write; the favicon is a data: URL; nothing may frame the page.
constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'none'";

UtcSeconds now_seconds() {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

void answer_text(httplib::Response& response, int status, const std::string& text) {
  response.status = status;
  response.set_content(text + "\n", "text/plain; charset=utf-8");
}

void answer_json(httplib::Response& response, int status, const json& body) {
  response.status = status;
  response.set_content(body.dump() + "\n", "application/json");
}

std::optional<std::int64_t> last_event_id(const httplib::Request& request) {
  const std::string text = request.get_header_value("Last-Event-ID");
  std::int64_t id = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (text.empty()) return std::nullopt;
  // An id we never gave out is still a resume: it earns a reset.
  if (error != std::errc() || end != text.data() + text.size()) return -1;
  return id;
}

// A private scratch file for an ingest body (mkstemps: 0600), removed with this object. Its
// extension (a declared format's) stays in the archived payload's url, which then names its format.
class ScratchFile {
 public:
  explicit ScratchFile(const std::string& extension) {
    std::string pattern =
        (fs::temp_directory_path() / ("meteo-etl-serve-ingest-XXXXXX" + extension)).string();
    const int fd = ::mkstemps(pattern.data(), static_cast<int>(extension.size()));
    if (fd < 0) throw Error(ExitCode::io, "cannot create a scratch file in " + pattern);
    ::close(fd);
    path_ = pattern;
  }
  ~ScratchFile() {
    std::error_code ignored;
    fs::remove(path_, ignored);
  }
  ScratchFile(const ScratchFile&) = delete;
  ScratchFile& operator=(const ScratchFile&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

json counts_json(const RunCounts& c) {
  return {{"fetched", c.fetched},         {"stored", c.stored},
          {"corrections", c.corrections}, {"unchanged", c.unchanged},
          {"rejected", c.rejected},       {"duplicates", c.duplicates},
          {"outside", c.outside},         {"disagreements", c.disagreements}};
}

}  // namespace

struct Server::Impl {
  Impl(const Config& config_in, fs::path site_in, spdlog::logger& log_in)
      : config(config_in),
        site(std::move(site_in)),
        log(log_in),
        address(parse_listen_address(config.serve.listen)) {}

  const Config& config;
  fs::path site;
  spdlog::logger& log;
  ListenAddress address;
  int bound_port = 0;

  httplib::Server http;
  std::unique_ptr<EventHub> hub;
  std::unique_ptr<LedgerPoller> poller;
  std::thread http_thread;
  std::mutex stop_mutex;
  std::condition_variable stopped_changed;
  bool stopped = false;

  void configure();
  void serve_events(const httplib::Request& request, httplib::Response& response);
  void serve_health(httplib::Response& response);
  void serve_metrics(httplib::Response& response);
  void serve_file(const httplib::Request& request, httplib::Response& response);
  void serve_ingest(const httplib::Request& request, httplib::Response& response,
                    const httplib::ContentReader& reader);
  void ingest_body(const SourceConfig& source, std::optional<sources::FileFormat> format,
                   const httplib::Request& request, httplib::Response& response,
                   const httplib::ContentReader& reader);
};

void Server::Impl::configure() {
  const std::size_t streams = static_cast<std::size_t>(config.serve.max_clients);
  http.new_task_queue = [streams] { return new httplib::ThreadPool(streams + kSpareThreads); };
  http.set_write_timeout(kWriteTimeoutSeconds, 0);
  http.set_payload_max_length(config.serve.ingest_max_bytes);
  // On every answer, errors included: the page runs under a strict policy and nothing sniffs.
  http.set_default_headers({{"Content-Security-Policy", kContentSecurityPolicy},
                            {"X-Content-Type-Options", "nosniff"},
                            {"Referrer-Policy", "no-referrer"},
                            {"X-Frame-Options", "DENY"}});
  http.set_exception_handler([this](const httplib::Request& request, httplib::Response& response,
                                    std::exception_ptr error) {
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& caught) {
      log.error("serve: {} {}: {}", request.method, request.path, caught.what());
    } catch (...) {
      log.error("serve: {} {}: unknown error", request.method, request.path);
    }
    answer_text(response, 500, "internal error");
  });
  http.Get("/events", [this](const httplib::Request& request, httplib::Response& response) {
    serve_events(request, response);
  });
  http.Get("/healthz", [this](const httplib::Request&, httplib::Response& response) {
    serve_health(response);
  });
  http.Get("/metrics", [this](const httplib::Request&, httplib::Response& response) {
    serve_metrics(response);
  });
  http.Post(
      R"(/ingest/([^/]+))",
      [this](const httplib::Request& request, httplib::Response& response,
             const httplib::ContentReader& reader) { serve_ingest(request, response, reader); });
  http.Get(R"(/.*)", [this](const httplib::Request& request, httplib::Response& response) {
    serve_file(request, response);
  });
}

void Server::Impl::serve_events(const httplib::Request& request, httplib::Response& response) {
  auto subscription = hub->subscribe(last_event_id(request));
  if (!subscription) {
    response.set_header("Retry-After", "5");
    answer_text(response, 503, "too many event streams: try again later");
    log.warn("serve: GET /events refused: {} streams already", config.serve.max_clients);
    return;
  }
  response.set_header("Cache-Control", "no-cache");
  response.set_header("X-Accel-Buffering", "no");  // nginx: pass each event on at once
  const std::chrono::milliseconds heartbeat(config.serve.heartbeat_seconds * 1000LL);
  auto first = std::make_shared<bool>(true);
  response.set_chunked_content_provider(
      "text/event-stream",
      [subscription, heartbeat, first](std::size_t, httplib::DataSink& sink) {
        if (*first) {
          *first = false;
          // The browser's reconnection delay, and a first line so the stream starts at once.
          const std::string hello = "retry: 1000\n: connected\n\n";
          return sink.write(hello.data(), hello.size());
        }
        const std::optional<std::string> text = subscription->next(heartbeat);
        if (!text) {  // the server stops, or the client fell too far behind
          sink.done();
          return true;
        }
        const std::string out = text->empty() ? ": heartbeat\n\n" : *text;
        return sink.write(out.data(), out.size());
      },
      [this, subscription](bool) { hub->unsubscribe(subscription); });
}

void Server::Impl::serve_health(httplib::Response& response) {
  response.set_header("Cache-Control", "no-store");
  try {
    Database db = Database::connect(config.database);
    const pipeline::StatusSnapshot status =
        pipeline::read_status_snapshot(db, config, now_seconds());
    response.status = status.health.exit_code() == 0 ? 200 : 503;
    response.set_content(pipeline::status_json_text(status) + "\n", "application/json");
  } catch (const Error& error) {
    log.warn("serve: GET /healthz: {}", error.what());
    answer_json(response, 503,
                {{"verdict", "unavailable"},
                 {"exit_code", static_cast<int>(error.code())},
                 {"error", error.what()}});
  }
}

void Server::Impl::serve_metrics(httplib::Response& response) {
  response.set_header("Cache-Control", "no-store");
  try {
    Database db = Database::connect(config.database);
    response.set_content(pipeline::render_ledger_metrics(db, config, now_seconds()),
                         "text/plain; version=0.0.4; charset=utf-8");
  } catch (const Error& error) {
    log.warn("serve: GET /metrics: {}", error.what());
    answer_text(response, 503, std::string("metrics unavailable: ") + error.what());
  }
}

void Server::Impl::serve_file(const httplib::Request& request, httplib::Response& response) {
  const std::optional<std::string> relative = site_relative_path(request.path);
  const std::optional<fs::path> file = relative ? resolve_in_site(site, *relative) : std::nullopt;
  std::ifstream in;
  if (file) in.open(*file, std::ios::binary);
  if (!in.is_open()) {
    answer_text(response, 404, "not found");
    return;
  }
  std::ostringstream content;
  content << in.rdbuf();
  response.set_header("Cache-Control", std::string(cache_control_of(*relative)));
  response.set_content(content.str(), std::string(content_type_of(*file)));
}

void Server::Impl::serve_ingest(const httplib::Request& request, httplib::Response& response,
                                const httplib::ContentReader& reader) {
  const std::string name = request.matches[1];
  // Off: as if the route did not exist.
  if (config.serve.ingest_token.empty()) {
    answer_text(response, 404, "not found");
    return;
  }
  // The token first: which sources exist is nobody else's business.
  if (!bearer_token_matches(config.serve.ingest_token, request.get_header_value("Authorization"))) {
    log.warn("serve: POST /ingest/{} from {}: refused: no or wrong bearer token", name,
             request.remote_addr);
    response.set_header("WWW-Authenticate", "Bearer");
    response.set_header("Connection", "close");  // the body is not read
    answer_text(response, 401, "unauthorized");
    return;
  }
  const auto source = std::find_if(config.sources.begin(), config.sources.end(),
                                   [&](const SourceConfig& s) { return s.name == name; });
  if (!is_plain_name(name) || source == config.sources.end()) {
    response.set_header("Connection", "close");
    answer_json(response, 404, {{"error", "no configured source is named " + name}});
    return;
  }
  // A station network's file has several formats, and the scratch file no name to tell them.
  std::optional<sources::FileFormat> format;
  if (source->stations) {
    if (source->stations->station_field.empty()) {
      response.set_header("Connection", "close");
      answer_json(response, 400,
                  {{"error", "source " + name +
                                 " is a station network of one dataset per station: it takes "
                                 "no files (its records do not name their station)"}});
      return;
    }
    const std::string content_type = request.get_header_value("Content-Type");
    format = file_format_of_content_type(content_type);
    if (!format) {
      log.warn("serve: POST /ingest/{} from {}: refused: Content-Type \"{}\"", name,
               request.remote_addr, content_type);
      response.set_header("Connection", "close");  // the body is not read
      answer_json(response, 415, {{"error", unsupported_content_type_message(name, content_type)}});
      return;
    }
  }
  ingest_body(*source, format, request, response, reader);
}

void Server::Impl::ingest_body(const SourceConfig& source,
                               std::optional<sources::FileFormat> format,
                               const httplib::Request& request, httplib::Response& response,
                               const httplib::ContentReader& reader) {
  const std::size_t cap = config.serve.ingest_max_bytes;
  const std::string length = request.get_header_value("Content-Length");
  if (!length.empty() && std::strtoull(length.c_str(), nullptr, 10) > cap) {
    response.set_header("Connection", "close");
    answer_json(response, 413, {{"error", "the body exceeds " + std::to_string(cap) + " bytes"}});
    return;
  }
  ScratchFile scratch(format ? sources::extension_of(*format) : "");
  std::size_t received = 0;
  {
    std::ofstream out(scratch.path(), std::ios::binary | std::ios::trunc);
    const bool complete = reader([&](const char* data, std::size_t size) {
      received += size;
      if (received > cap) return false;  // a chunked body without a length: capped as it comes
      out.write(data, static_cast<std::streamsize>(size));
      return static_cast<bool>(out);
    });
    out.close();
    if (received > cap) {
      response.set_header("Connection", "close");
      answer_json(response, 413, {{"error", "the body exceeds " + std::to_string(cap) + " bytes"}});
      return;
    }
    if (!complete || !out) {
      answer_json(response, 400, {{"error", "the body could not be received"}});
      return;
    }
  }
  log.info("serve: POST /ingest/{} from {}: {} bytes", source.name, request.remote_addr, received);
  try {
    Database db = Database::connect(config.database, &log);
    const pipeline::IngestOutcome outcome =
        pipeline::ingest_file(db, config, source, scratch.path(), format, log);
    answer_json(response, 202,
                {{"run_id", outcome.run_id},
                 {"source", source.name},
                 {"counts", counts_json(outcome.counts)}});
  } catch (const pipeline::SourceBusy& busy) {
    response.set_header("Retry-After", "60");
    answer_json(response, 429, {{"error", busy.what()}});
  } catch (const Error& error) {
    const bool malformed = error.code() == ExitCode::data || error.code() == ExitCode::usage;
    log.warn("serve: POST /ingest/{}: {}", source.name, error.what());
    answer_json(response, malformed ? 400 : 503, {{"error", error.what()}});
  }
}

Server::Server(const Config& config, fs::path site, spdlog::logger& log)
    : impl_(std::make_unique<Impl>(config, std::move(site), log)) {}

Server::~Server() {
  stop();
}

void Server::start() {
  Impl& impl = *impl_;
  {
    Database db = Database::connect(impl.config.database, &impl.log);
    LedgerCursor cursor = initial_cursor(db);
    impl.hub = std::make_unique<EventHub>(kEventsKept, kClientQueueLimit,
                                          static_cast<std::size_t>(impl.config.serve.max_clients),
                                          cursor.newest);
    impl.poller = std::make_unique<LedgerPoller>(impl.config, impl.site, std::move(cursor),
                                                 *impl.hub, impl.log);
  }
  impl.configure();
  const std::string& host = impl.address.host;
  if (impl.address.port == 0) {
    impl.bound_port = impl.http.bind_to_any_port(host);
  } else if (impl.http.bind_to_port(host, impl.address.port)) {
    impl.bound_port = impl.address.port;
  } else {
    impl.bound_port = -1;
  }
  if (impl.bound_port <= 0) {
    throw Error(ExitCode::unavailable, "serve: cannot listen on " + impl.config.serve.listen +
                                           ": " + std::strerror(errno));
  }
  impl.http_thread = std::thread([&impl] { impl.http.listen_after_bind(); });
  impl.poller->start();
}

int Server::port() const {
  return impl_->bound_port;
}

void Server::stop() {
  Impl& impl = *impl_;
  const std::lock_guard lock(impl.stop_mutex);
  if (impl.stopped) return;
  if (impl.poller) impl.poller->stop();
  if (impl.hub) impl.hub->close_all();  // the streams end, freeing their threads
  impl.http.stop();
  if (impl.http_thread.joinable()) impl.http_thread.join();
  impl.stopped = true;
  impl.stopped_changed.notify_all();
}

void Server::wait() {
  Impl& impl = *impl_;
  std::unique_lock lock(impl.stop_mutex);
  impl.stopped_changed.wait(lock, [&] { return impl.stopped; });
}

}  // namespace meteo::serve
