#include "portal_server.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <memory>
#include <optional>
#include <string_view>

#include "civil_time.hpp"
#include "explore_query.hpp"
#include "synop_dataset.hpp"

namespace portal_sim {
namespace {

constexpr std::string_view kCatalogPrefix = "/api/explore/v2.1/catalog/datasets";
constexpr const char* kJson = "application/json; charset=utf-8";
constexpr const char* kCsv = "text/csv; charset=utf-8";
constexpr std::size_t kRecordsPerChunk = 256;

enum class RequestKind { service, catalog, records, exports, other };

// service: /stats and /healthz, which neither count nor get rate limited.
RequestKind classify(const std::string& path) {
  if (path == "/stats" || path == "/healthz") return RequestKind::service;
  if (path.rfind(kCatalogPrefix, 0) != 0) return RequestKind::other;
  std::string_view rest(path);
  rest.remove_prefix(kCatalogPrefix.size());
  if (rest.empty() || rest == "/") return RequestKind::catalog;
  if (rest.front() != '/') return RequestKind::other;
  const auto slash = rest.find('/', 1);
  if (slash == std::string_view::npos || slash + 1 == rest.size()) return RequestKind::catalog;
  const auto resource = rest.substr(slash + 1);
  if (resource.rfind("records", 0) == 0) return RequestKind::records;
  if (resource.rfind("exports", 0) == 0) return RequestKind::exports;
  return RequestKind::other;
}

std::optional<std::string> parameter(const httplib::Request& req, const char* name) {
  if (!req.has_param(name)) return std::nullopt;
  return req.get_param_value(name);
}

std::string parameter_or_empty(const httplib::Request& req, const char* name) {
  return parameter(req, name).value_or("");
}

void send_json(httplib::Response& res, int status, const ordered_json& body) {
  res.status = status;
  res.set_content(body.dump(), kJson);
}

void send_error(httplib::Response& res, const ApiError& error) {
  send_json(res, error.status(),
            ordered_json{{"error_code", error.code()}, {"message", error.what()}});
}

// Runs a handler, turning an ApiError into the portal's JSON error answer.
void answer(httplib::Response& res, const std::function<void()>& handler) {
  try {
    handler();
  } catch (const ApiError& error) {
    send_error(res, error);
  }
}

// The page [offset, offset + limit) of `count` items; limit -1 means to the end.
std::pair<std::size_t, std::size_t> page_bounds(std::size_t count, const Paging& paging) {
  const std::size_t begin = std::min(count, static_cast<std::size_t>(paging.offset));
  const std::size_t end =
      paging.limit < 0 ? count : std::min(count, begin + static_cast<std::size_t>(paging.limit));
  return {begin, end};
}

std::string station_text(const ordered_json& station, const Dataset& dataset,
                         const std::vector<std::size_t>& columns) {
  if (columns.size() == dataset.fields.size() && std::is_sorted(columns.begin(), columns.end())) {
    return station.dump();  // the file's object, verbatim
  }
  ordered_json projected = ordered_json::object();
  for (const std::size_t column : columns) {
    const std::string& name = dataset.fields[column].name;
    projected[name] = station.value(name, ordered_json());
  }
  return projected.dump();
}

// How an export frames its items: JSON's brackets and commas, or CSV's header line.
struct ExportFraming {
  std::string open;
  std::string separator;
  std::string close;
};

const ExportFraming kJsonFraming{"[", ",\n", "]\n"};

// An export written in chunks as the client reads, so a year of records never sits in memory.
class ExportStream {
 public:
  using RenderItem = std::function<std::string(std::size_t)>;
  ExportStream(std::size_t count, RenderItem render, ExportFraming framing)
      : count_(count), render_(std::move(render)), framing_(std::move(framing)) {}

  // The next piece of the export; empty once it is complete.
  std::string next_chunk() {
    if (closed_) return {};
    std::string chunk = next_ == 0 ? framing_.open : "";
    const std::size_t end = std::min(count_, next_ + kRecordsPerChunk);
    for (; next_ < end; ++next_) {
      if (next_ > 0) chunk += framing_.separator;
      chunk += render_(next_);
    }
    if (next_ == count_) {
      chunk += framing_.close;
      closed_ = true;
    }
    return chunk;
  }

 private:
  std::size_t count_;
  RenderItem render_;
  ExportFraming framing_;
  std::size_t next_ = 0;
  bool closed_ = false;
};

// `cut`: the connection is dropped after the first chunk, the body left unfinished.
void send_stream(httplib::Response& res, const char* content_type,
                 std::shared_ptr<ExportStream> stream, bool cut = false) {
  auto sent_chunks = std::make_shared<int>(0);
  res.set_chunked_content_provider(
      content_type, [stream, cut, sent_chunks](std::size_t, httplib::DataSink& sink) {
        if (cut && (*sent_chunks)++ > 0) return false;
        const std::string chunk = stream->next_chunk();
        if (chunk.empty()) {
          sink.done();
          return true;
        }
        return sink.write(chunk.data(), chunk.size());
      });
}

// What a records or export request asks of a time series, read in the portal's order so the
// same error wins.
struct SeriesQuery {
  TimeFilter filter;
  bool descending = false;
  std::vector<std::size_t> columns;
};

SeriesQuery parse_series_query(const httplib::Request& req, const Dataset& dataset) {
  SeriesQuery query;
  query.filter = parse_where(parameter_or_empty(req, "where"), dataset);
  query.descending = parse_descending(parameter_or_empty(req, "order_by"), dataset);
  query.columns = parse_select(parameter_or_empty(req, "select"), dataset);
  return query;
}

// The items in the order asked, then the page [offset, offset + limit) of them.
template <typename Item>
std::vector<Item> ordered_page(std::vector<Item> items, bool descending, const Paging& paging) {
  if (descending) std::reverse(items.begin(), items.end());
  const auto [begin, end] = page_bounds(items.size(), paging);
  return std::vector<Item>(items.begin() + static_cast<std::ptrdiff_t>(begin),
                           items.begin() + static_cast<std::ptrdiff_t>(end));
}

// A records answer: total_count counts every match, results hold the page.
template <typename Item, typename Render>
std::string records_body(std::size_t total, const std::vector<Item>& page, Render render) {
  std::string body = "{\"total_count\":" + std::to_string(total) + ",\"results\":[";
  for (std::size_t i = 0; i < page.size(); ++i) {
    if (i > 0) body += ',';
    body += render(page[i]);
  }
  return body + "]}";
}

}  // namespace

PortalServer::PortalServer(Catalogue catalogue, ServerOptions options)
    : catalogue_(std::move(catalogue)), options_(options), weather_(options.series.seed) {
  install_routes();
}

void PortalServer::install_routes() {
  server_.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    return before_routing(req, res);
  });
  server_.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok", "text/plain");
  });
  server_.Get("/stats", [this](const httplib::Request&, httplib::Response& res) { stats(res); });
  server_.Get(R"(/api/explore/v2\.1/catalog/datasets/?)",
              [this](const httplib::Request& req, httplib::Response& res) {
                answer(res, [&] { list_catalogue(req, res); });
              });
  server_.Get(R"(/api/explore/v2\.1/catalog/datasets/([^/]+)/?)",
              [this](const httplib::Request& req, httplib::Response& res) {
                answer(res, [&] { describe_dataset(req, res); });
              });
  server_.Get(R"(/api/explore/v2\.1/catalog/datasets/([^/]+)/records/?)",
              [this](const httplib::Request& req, httplib::Response& res) {
                answer(res, [&] { records(req, res); });
              });
  server_.Get(R"(/api/explore/v2\.1/catalog/datasets/([^/]+)/exports/([^/]+)/?)",
              [this](const httplib::Request& req, httplib::Response& res) {
                answer(res, [&] { exports(req, res); });
              });
  server_.Get(R"(.*)", [](const httplib::Request& req, httplib::Response& res) {
    send_error(res, ApiError(404, "NotFound", "No such API endpoint: " + req.path));
  });
  server_.set_logger([](const httplib::Request& req, const httplib::Response& res) {
    const std::string size = res.body.empty() && res.status == 200
                                 ? "streamed"
                                 : std::to_string(res.body.size()) + " bytes";
    std::fprintf(stderr, "portal-sim: %s %s -> %d (%s)\n", req.method.c_str(),
                 req.target.empty() ? req.path.c_str() : req.target.c_str(), res.status,
                 size.c_str());
  });
}

httplib::Server::HandlerResponse PortalServer::before_routing(const httplib::Request& req,
                                                              httplib::Response& res) {
  const RequestKind kind = classify(req.path);
  if (kind == RequestKind::service) return httplib::Server::HandlerResponse::Unhandled;
  ++counters_.all;
  if (kind == RequestKind::catalog) ++counters_.catalog;
  if (kind == RequestKind::records) ++counters_.records;
  if (kind == RequestKind::exports) ++counters_.exports;
  const int request_number = ++api_requests_;
  if (request_number > options_.rate_limit_first) {
    set_quota_headers(res, request_number);
    return httplib::Server::HandlerResponse::Unhandled;
  }

  send_rate_limited(res, options_.rate_limit_first);
  return httplib::Server::HandlerResponse::Handled;
}

void PortalServer::send_rate_limited(httplib::Response& res, int limit) const {
  ++counters_.rate_limited;
  const int wait = options_.retry_after_seconds;
  const Seconds reset =
      current_series().now + wait;  // the portal's clock, so answers stay repeatable
  res.set_header("Retry-After", std::to_string(wait));
  res.set_header("X-RateLimit-Limit", std::to_string(limit));
  res.set_header("X-RateLimit-Remaining", "0");
  res.set_header("X-RateLimit-Reset", std::to_string(reset));
  send_json(res, 429,
            ordered_json{{"error_code", "TooManyRequests"},
                         {"message",
                          "Too many requests on the domain. Please contact the domain "
                          "administrator."},
                         {"reset_time", format_iso8601(reset, 0)},
                         {"limit_time_unit", "minute"},
                         {"call_limit", limit}});
}

// The portal's daily quota as its headers tell it: calls left today, and the next UTC midnight
// on the portal's clock. Informational: only --rate-limit-first answers 429.
void PortalServer::set_quota_headers(httplib::Response& res, int request_number) const {
  const int quota = options_.daily_quota;
  const Seconds now = current_series().now;
  const Seconds next_midnight = now - ((now % kDay) + kDay) % kDay + kDay;
  res.set_header("X-RateLimit-Limit", std::to_string(quota));
  res.set_header("X-RateLimit-Remaining", std::to_string(std::max(0, quota - request_number)));
  res.set_header("X-RateLimit-Reset", std::to_string(next_midnight));
}

const Dataset& PortalServer::dataset_or_404(const std::string& id) const {
  const Dataset* dataset = catalogue_.find(id);
  if (dataset == nullptr) throw ApiError(404, "NoSuchDataset", "Unknown dataset: " + id);
  return *dataset;
}

std::size_t PortalServer::records_count(const Dataset& dataset, const SeriesOptions& series) const {
  if (dataset.kind == DatasetKind::stations) return catalogue_.station_objects().size();
  if (dataset.kind == DatasetKind::synop) return SynopSeries(dataset, series).record_count();
  return RecordSeries(dataset, weather_, series).record_count();
}

SeriesOptions PortalServer::current_series() const {
  SeriesOptions series = options_.series;
  if (options_.now_file.empty()) return series;
  std::ifstream in(options_.now_file);
  std::string text;
  in >> text;  // a test replaces the file by rename, so a read never sees half of it
  if (const auto now = parse_iso8601(text); now && *now >= series.from) series.now = *now;
  return series;
}

void PortalServer::list_catalogue(const httplib::Request& req, httplib::Response& res) const {
  const Paging paging = records_paging(parameter(req, "limit"), parameter(req, "offset"));
  const auto filter = parse_catalogue_where(parameter_or_empty(req, "where"));
  const SeriesOptions series = current_series();
  std::vector<const Dataset*> matches;
  for (const auto& dataset : catalogue_.datasets()) {
    if (!filter || filter->accepts(dataset)) matches.push_back(&dataset);
  }
  const auto [begin, end] = page_bounds(matches.size(), paging);
  ordered_json results = ordered_json::array();
  for (std::size_t i = begin; i < end; ++i) {
    results.push_back(dataset_object(*matches[i], records_count(*matches[i], series), series.now));
  }
  send_json(res, 200, ordered_json{{"total_count", matches.size()}, {"results", results}});
}

void PortalServer::describe_dataset(const httplib::Request& req, httplib::Response& res) const {
  const Dataset& dataset = dataset_or_404(req.matches[1].str());
  const SeriesOptions series = current_series();
  send_json(res, 200, dataset_object(dataset, records_count(dataset, series), series.now));
}

void PortalServer::records(const httplib::Request& req, httplib::Response& res) const {
  const Dataset& dataset = dataset_or_404(req.matches[1].str());
  if (dataset.kind == DatasetKind::stations) return station_records(req, res);
  const Paging paging = records_paging(parameter(req, "limit"), parameter(req, "offset"));
  const SeriesQuery query = parse_series_query(req, dataset);
  const auto keep = [&](Seconds t) { return query.filter.accepts(t); };

  if (dataset.kind == DatasetKind::synop) {
    const SynopSeries series(dataset, current_series());
    const auto matches = series.records(keep);
    const auto page = ordered_page(matches, query.descending, paging);
    res.set_content(records_body(matches.size(), page,
                                 [&](const SynopSeries::Record& record) {
                                   return series.render_json(record, query.columns);
                                 }),
                    kJson);
    return;
  }
  const RecordSeries series(dataset, weather_, current_series());
  const auto matches = series.record_times(keep);
  const auto page = ordered_page(matches, query.descending, paging);
  res.set_content(records_body(matches.size(), page,
                               [&](Seconds at) { return series.render(at, query.columns); }),
                  kJson);
}

void PortalServer::exports(const httplib::Request& req, httplib::Response& res) const {
  const Dataset& dataset = dataset_or_404(req.matches[1].str());
  const std::string format = req.matches[2].str();
  const bool csv = format == "csv" && dataset.kind == DatasetKind::synop;
  if (format != "json" && !csv) {
    throw bad_parameter("portal-sim only simulates exports/json (and exports/csv for " +
                        std::string(kSynopDatasetId) + "), not exports/" + format);
  }
  if (dataset.kind == DatasetKind::stations) return station_export(req, res);
  if (++measurement_exports_ <= options_.rate_limit_exports) {
    return send_rate_limited(res, options_.rate_limit_exports);
  }
  const bool cut = options_.cut_exports;
  const Paging paging = exports_paging(parameter(req, "limit"), parameter(req, "offset"));
  const SeriesQuery query = parse_series_query(req, dataset);
  const auto keep = [&](Seconds t) { return query.filter.accepts(t); };

  if (dataset.kind == DatasetKind::synop) {
    auto series = std::make_shared<const SynopSeries>(dataset, current_series());
    auto page = std::make_shared<const std::vector<SynopSeries::Record>>(
        ordered_page(series->records(keep), query.descending, paging));
    const auto& columns = query.columns;
    if (csv) {
      auto render = [series, page, columns](std::size_t i) {
        return series->render_csv((*page)[i], columns) + "\n";
      };
      const ExportFraming framing{series->csv_header(columns) + "\n", "", ""};
      return send_stream(res, kCsv, std::make_shared<ExportStream>(page->size(), render, framing),
                         cut);
    }
    auto render = [series, page, columns](std::size_t i) {
      return series->render_json((*page)[i], columns);
    };
    return send_stream(res, kJson,
                       std::make_shared<ExportStream>(page->size(), render, kJsonFraming), cut);
  }
  auto series = std::make_shared<const RecordSeries>(dataset, weather_, current_series());
  auto page = std::make_shared<const std::vector<Seconds>>(
      ordered_page(series->record_times(keep), query.descending, paging));
  auto render = [series, page, columns = query.columns](std::size_t i) {
    return series->render((*page)[i], columns);
  };
  send_stream(res, kJson, std::make_shared<ExportStream>(page->size(), render, kJsonFraming), cut);
}

// The stations dataset is served from the file; where and order_by do not apply to it.
void PortalServer::station_records(const httplib::Request& req, httplib::Response& res) const {
  const Dataset& dataset = dataset_or_404(std::string(kStationsDatasetId));
  const Paging paging = records_paging(parameter(req, "limit"), parameter(req, "offset"));
  const auto columns = parse_select(parameter_or_empty(req, "select"), dataset);
  const auto& stations = catalogue_.station_objects();
  const auto [begin, end] = page_bounds(stations.size(), paging);
  std::string body = "{\"total_count\":" + std::to_string(stations.size()) + ",\"results\":[";
  for (std::size_t i = begin; i < end; ++i) {
    if (i > begin) body += ',';
    body += station_text(stations[i], dataset, columns);
  }
  res.set_content(body + "]}", kJson);
}

void PortalServer::station_export(const httplib::Request& req, httplib::Response& res) const {
  const Dataset& dataset = dataset_or_404(std::string(kStationsDatasetId));
  const Paging paging = exports_paging(parameter(req, "limit"), parameter(req, "offset"));
  const auto columns = parse_select(parameter_or_empty(req, "select"), dataset);
  const auto& stations = catalogue_.station_objects();
  const auto [begin, end] = page_bounds(stations.size(), paging);
  std::string body = "[";
  for (std::size_t i = begin; i < end; ++i) {
    if (i > begin) body += ",\n";
    body += station_text(stations[i], dataset, columns);
  }
  res.set_content(body + "]\n", kJson);
}

void PortalServer::stats(httplib::Response& res) const {
  send_json(res, 200,
            ordered_json{{"all", counters_.all.load()},
                         {"records", counters_.records.load()},
                         {"exports", counters_.exports.load()},
                         {"catalog", counters_.catalog.load()},
                         {"rate_limited", counters_.rate_limited.load()}});
}

}  // namespace portal_sim
