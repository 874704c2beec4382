// Internal to the sources module: an ArcGIS feature layer read over HTTP. Every answer is handed
// to the payload sink (landed raw) before it is parsed; an error inside an HTTP 200 is a failure,
// never an empty answer.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <string_view>

#include "meteo/http/client.hpp"
#include "meteo/sources/air_quality/parse.hpp"
#include "meteo/sources/windows.hpp"

namespace meteo::air_quality {

// What one window of a layer holds, read whole (all its pages, merged as one payload).
struct LayerWindow {
  ParsedAirQuality parsed;
  std::size_t count = 0;  // returnCountOnly's answer, equal to the features read
  std::size_t pages = 0;
};

class ArcGisClient {
 public:
  using PayloadSink = std::function<void(const std::string& url, const HttpResponse& response)>;

  // `retry`: the attempts and backoff of the source's HTTP settings, also applied to ArcGIS's
  // retryable codes inside a 200 (429, 500, 503, 504).
  ArcGisClient(HttpClient& http, RetryPolicy retry, Sleeper sleeper = {});

  void set_payload_sink(PayloadSink sink) { sink_ = std::move(sink); }

  // `<layer>?f=json`.
  ArcGisLayerInfo layer_info(const std::string& layer_url);

  // The features of `where` AND the window on the start field, page by page (ObjectId order,
  // `page_size` each) while exceededTransferLimit says more follow. Throws Error(data) on a page
  // that does not advance or more pages than the count allows, Error(temporary) when the pages
  // do not add up to the count twice running or the layer was rewritten while paged twice.
  LayerWindow read_window(const std::string& layer_url, const std::string& where, TimeWindow window,
                          std::size_t page_size, const AirQualityFields& fields,
                          const AirQualityRules& rules, UtcSeconds now);

  std::size_t requests_made() const { return requests_; }

 private:
  // GETs `url`, lands the answer, then reads it with `read`, which throws ArcGisError for an
  // error object: retried for ArcGIS's temporary codes, Error(no_permission) for 498/499.
  template <class Read>
  auto get(const std::string& url, Read&& read) -> decltype(read(std::string_view(), url));

  // One attempt at a window: empty when the count or the layer's edit date disagree after.
  std::optional<LayerWindow> try_window(const std::string& layer_url, const std::string& where,
                                        std::size_t page_size, const AirQualityFields& fields,
                                        const AirQualityRules& rules, UtcSeconds now,
                                        std::string& why);

  HttpClient& http_;
  RetryPolicy retry_;
  Sleeper sleeper_;
  PayloadSink sink_;
  std::mt19937_64 random_{std::random_device{}()};
  std::size_t requests_ = 0;
};

// `(<where>) AND <start> >= TIMESTAMP 'from' AND <start> < TIMESTAMP 'to'`.
std::string window_where(const std::string& where, const std::string& start_field,
                         TimeWindow window);

}  // namespace meteo::air_quality
