// The HTTP face of the simulated portal: Explore API v2.1 routes, /stats, /healthz, and the
// injected rate limiting.
#pragma once

#include <atomic>
#include <functional>
#include <string>

#include "../common/loopback_server.hpp"  // httplib as Debian builds it
#include "portal_catalogue.hpp"
#include "record_series.hpp"
#include "weather_model.hpp"

namespace portal_sim {

struct ServerOptions {
  SeriesOptions series;
  int rate_limit_first = 0;  // answer 429 to the first N API requests
  int retry_after_seconds = 1;
  // Answer 429 to the first N exports of a measurement dataset (the station list's never).
  int rate_limit_exports = 0;
  // Every export of a measurement dataset is cut after its first chunk: the connection drops.
  bool cut_exports = false;
  // X-RateLimit-Limit on every other API answer; X-RateLimit-Remaining counts it down per request.
  int daily_quota = 5000;
  // When set, the portal's present is this file's ISO 8601 instant, re-read on every request, so
  // a test can make a record appear at a moment it chooses; absent or unreadable: series.now.
  std::string now_file;
};

// What /stats reports. Requests answered 429 count in their kind as well.
struct RequestCounters {
  std::atomic<int> all{0};  // every request but /stats and /healthz
  std::atomic<int> records{0};
  std::atomic<int> exports{0};
  std::atomic<int> catalog{0};  // the catalogue listing and single-dataset lookups
  mutable std::atomic<int> rate_limited{0};
};

class PortalServer {
 public:
  PortalServer(Catalogue catalogue, ServerOptions options);
  httplib::Server& http() { return server_; }

 private:
  void install_routes();
  httplib::Server::HandlerResponse before_routing(const httplib::Request& req,
                                                  httplib::Response& res);
  void list_catalogue(const httplib::Request& req, httplib::Response& res) const;
  void describe_dataset(const httplib::Request& req, httplib::Response& res) const;
  void records(const httplib::Request& req, httplib::Response& res) const;
  void exports(const httplib::Request& req, httplib::Response& res) const;
  void station_records(const httplib::Request& req, httplib::Response& res) const;
  void station_export(const httplib::Request& req, httplib::Response& res) const;
  void stats(httplib::Response& res) const;

  void send_rate_limited(httplib::Response& res, int limit) const;
  void set_quota_headers(httplib::Response& res, int request_number) const;
  const Dataset& dataset_or_404(const std::string& id) const;
  std::size_t records_count(const Dataset& dataset, const SeriesOptions& series) const;
  SeriesOptions current_series() const;

  Catalogue catalogue_;
  ServerOptions options_;
  WeatherModel weather_;
  RequestCounters counters_;
  std::atomic<int> api_requests_{0};
  mutable std::atomic<int> measurement_exports_{0};
  httplib::Server server_;
};

}  // namespace portal_sim
