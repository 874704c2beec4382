#include "arcgis_client.hpp"

#include <thread>
#include <utility>

#include "../stations/query.hpp"
#include "census.hpp"
#include "meteo/core/errors.hpp"

namespace meteo::air_quality {
namespace {

// ArcGIS's own "try again later" codes, inside an HTTP 200.
bool retryable(int code) {
  return code == 429 || code == 500 || code == 503 || code == 504;
}

// Token required (499) or invalid (498): the same failure as an HTTP 401/403.
bool permission(int code) {
  return code == 498 || code == 499;
}

Sleeper default_sleeper() {
  return [](std::chrono::milliseconds delay) { std::this_thread::sleep_for(delay); };
}

std::string with_query(const std::string& url, const portal_query::Parameters& parameters) {
  return url + portal_query::query_string(parameters);
}

}  // namespace

std::string window_where(const std::string& where, const std::string& start_field,
                         TimeWindow window) {
  return "(" + where + ") AND " + start_field + " >= TIMESTAMP '" + to_sql_datetime(window.from) +
         "' AND " + start_field + " < TIMESTAMP '" + to_sql_datetime(window.to) + "'";
}

ArcGisClient::ArcGisClient(HttpClient& http, RetryPolicy retry, Sleeper sleeper)
    : http_(http), retry_(retry), sleeper_(sleeper ? std::move(sleeper) : default_sleeper()) {}

template <class Read>
auto ArcGisClient::get(const std::string& url, Read&& read)
    -> decltype(read(std::string_view(), url)) {
  const std::string origin = displayable_url(url);
  for (int attempt = 1;; ++attempt) {
    ++requests_;
    const HttpResponse response = http_.get(url, {}, AcceptedContent::json);
    if (sink_) sink_(origin, response);
    try {
      return read(std::string_view(response.body), origin);
    } catch (const ArcGisError& error) {
      if (permission(error.arcgis_code())) throw Error(ExitCode::no_permission, error.what());
      if (!retryable(error.arcgis_code()) || attempt >= retry_.attempts) throw;
      std::uniform_real_distribution<double> unit(0.0, 1.0);
      sleeper_(backoff_delay(retry_, attempt, unit(random_)));
    }
  }
}

ArcGisLayerInfo ArcGisClient::layer_info(const std::string& layer_url) {
  return get(with_query(layer_url, {{"f", "json"}}),
             [](std::string_view body, const std::string& origin) {
               return parse_layer_info(body, origin);
             });
}

std::optional<LayerWindow> ArcGisClient::try_window(const std::string& layer_url,
                                                    const std::string& where, std::size_t page_size,
                                                    const AirQualityFields& fields,
                                                    const AirQualityRules& rules, UtcSeconds now,
                                                    std::string& why) {
  const std::string query_url = layer_url + "/query";
  const auto edited_before = layer_info(layer_url).last_edit_date;
  LayerWindow result;
  result.count =
      get(with_query(query_url, {{"where", where}, {"returnCountOnly", "true"}, {"f", "json"}}),
          [](std::string_view body, const std::string& origin) {
            return parse_feature_count(body, origin);
          });
  // Guards against a server that never says it is done: every page but the last is full.
  const std::size_t max_pages = result.count / page_size + 2;
  Census census;
  std::size_t offset = 0;
  for (bool more = true; more;) {
    if (++result.pages > max_pages) {
      throw Error(ExitCode::data, displayable_url(query_url) + ": more than " +
                                      std::to_string(max_pages) + " pages for " +
                                      std::to_string(result.count) + " features");
    }
    const std::string url = with_query(query_url, {{"where", where},
                                                   {"outFields", "*"},
                                                   {"outSR", "4326"},
                                                   {"orderByFields", fields.object_id + " ASC"},
                                                   {"resultOffset", std::to_string(offset)},
                                                   {"resultRecordCount", std::to_string(page_size)},
                                                   {"f", "json"}});
    AirQualityPage page = get(url, [&](std::string_view body, const std::string& origin) {
      return parse_air_quality_page(body, fields, rules, now, origin);
    });
    if (page.exceeded_transfer_limit && page.parsed.record_count == 0) {
      throw Error(ExitCode::data, displayable_url(url) +
                                      ": exceededTransferLimit with no feature: the offset "
                                      "would not advance");
    }
    const std::size_t features = page.parsed.record_count;
    census.absorb(std::move(page.parsed), offset);
    offset += features;
    more = page.exceeded_transfer_limit;
  }
  result.parsed = std::move(census).finish();
  const auto edited_after = layer_info(layer_url).last_edit_date;
  if (result.parsed.record_count != result.count) {
    why = std::to_string(result.parsed.record_count) + " features read, the count said " +
          std::to_string(result.count);
    return std::nullopt;
  }
  if (edited_before != edited_after) {
    why = "the layer was edited while it was paged (lastEditDate changed)";
    return std::nullopt;
  }
  return result;
}

LayerWindow ArcGisClient::read_window(const std::string& layer_url, const std::string& where,
                                      TimeWindow window, std::size_t page_size,
                                      const AirQualityFields& fields, const AirQualityRules& rules,
                                      UtcSeconds now) {
  const std::string full_where = window_where(where, fields.start, window);
  std::string why;
  // Offsets mean other rows once a layer is rewritten: read the window again once.
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (auto result = try_window(layer_url, full_where, page_size, fields, rules, now, why)) {
      return std::move(*result);
    }
  }
  throw Error(ExitCode::temporary, displayable_url(layer_url) + " [" + to_iso8601(window.from) +
                                       ", " + to_iso8601(window.to) + "): " + why +
                                       ", twice; try again later");
}

}  // namespace meteo::air_quality
