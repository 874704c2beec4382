// The HTTP face of the simulated FeatureServer layer: its description, its query endpoint (pages,
// counts), /stats and /healthz, and the faults tests inject (an error at one offset, 429s).
#pragma once

#include <atomic>
#include <optional>
#include <string>

#include "../common/loopback_server.hpp"  // httplib as Debian builds it
#include "feature_table.hpp"

namespace arcgis_sim {

struct ServerOptions {
  std::string service = "mesures_occitanie_72h_poll_princ";
  int max_record_count = 1000;
  bool pagination = true;
  long long error_at_offset = -1;  // the first page query at this offset gets an error; -1: none
  int error_code = 400;
  int rate_limit_first = 0;  // answer HTTP 429 to the first N layer requests
  int retry_after_seconds = 1;
  // Once a first page is answered, the hub rewrites the layer: new ObjectIds, later lastEditDate.
  bool rewrite_after_first_page = false;
};

// The features as one version of the layer serves them, in ObjectId order.
struct LayerVersion {
  explicit LayerVersion(FeatureTable features);
  FeatureTable table;
  std::vector<std::size_t> by_object_id;  // indexes into table.features()
};

// What /stats reports. 429 answers count in `all` and `rate_limited` only.
struct RequestCounters {
  std::atomic<int> all{0};  // every request but /stats and /healthz
  std::atomic<int> pages{0};
  std::atomic<int> counts{0};
  std::atomic<int> errors{0};  // ArcGIS error answers, injected or not
  std::atomic<int> rate_limited{0};
};

class ArcGisServer {
 public:
  ArcGisServer(FeatureTable table, ServerOptions options);
  httplib::Server& http() { return server_; }

 private:
  void install_routes();
  httplib::Server::HandlerResponse before_routing(const httplib::Request& req,
                                                  httplib::Response& res);
  void describe_layer(const httplib::Request& req, httplib::Response& res);
  void query(const httplib::Request& req, httplib::Response& res);
  void send_page(const httplib::Request& req, const LayerVersion& layer,
                 const std::vector<const Feature*>& matches, httplib::Response& res);
  const LayerVersion& current() const;
  bool injected_error_due(long long offset);
  void stats(httplib::Response& res) const;

  ServerOptions options_;
  LayerVersion original_;
  std::optional<LayerVersion> rewritten_;  // with --rewrite-after-first-page
  std::atomic<bool> rewrite_done_{false};
  RequestCounters counters_;
  std::atomic<bool> error_injected_{false};
  httplib::Server server_;
};

}  // namespace arcgis_sim
