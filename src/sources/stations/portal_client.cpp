// The Explore API v2.1 client: catalogue, schemas, station list, and observation windows read
// within the portal's paging limits.
#include <algorithm>
#include <cctype>
#include <string>
#include <utility>

#include "catalog.hpp"
#include "meteo/core/errors.hpp"
#include "meteo/http/client.hpp"
#include "meteo/sources/stations/portal.hpp"
#include "observations.hpp"
#include "query.hpp"

namespace meteo {
namespace {

using stations_json::Json;

std::string without_trailing_slashes(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

bool contains_ignoring_case(std::string_view text, std::string_view pattern) {
  const auto same = [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) ==
           std::tolower(static_cast<unsigned char>(b));
  };
  return std::search(text.begin(), text.end(), pattern.begin(), pattern.end(), same) != text.end();
}

std::size_t records_total_count(const Json& page, std::string_view origin) {
  const auto total = page.is_object() ? page.find("total_count") : page.end();
  if (!page.is_object() || total == page.end() || !total->is_number_unsigned()) {
    throw Error(ExitCode::data, std::string(origin) + ": records page without a total_count");
  }
  return total->get<std::size_t>();
}

}  // namespace

PortalClient::PortalClient(std::string base_url, HttpClient& http, int export_threshold_pages)
    : base_url_(without_trailing_slashes(std::move(base_url))),
      http_(http),
      export_threshold_pages_(export_threshold_pages) {}

PortalClient::Answer PortalClient::fetch(const std::string& path_and_query) {
  ++requests_;
  std::string url = base_url_ + path_and_query;
  HttpResponse response = http_.get(url);
  return {std::move(url), std::move(response)};
}

void PortalClient::land(const Answer& answer) const {
  if (sink_) sink_(displayable_url(answer.url), answer.response);
}

std::string PortalClient::get(const std::string& path_and_query) {
  Answer answer = fetch(path_and_query);
  land(answer);
  return std::move(answer.response.body);
}

std::string PortalClient::get_streamed(const std::string& path_and_query) {
  if (!streamer_.open) return get(path_and_query);
  ++requests_;
  const std::string url = base_url_ + path_and_query;
  const HttpResponse response =
      http_.get(url, {}, AcceptedContent::any, streamer_.open(displayable_url(url)));
  return streamer_.land(response.status);
}

std::vector<std::string> PortalClient::list_datasets(std::string_view pattern) {
  std::vector<std::string> matching;
  // The pattern is applied here, not in a where clause: portals differ in what they support.
  for (int offset = 0; offset + kPageLimit <= kOffsetCeiling; offset += kPageLimit) {
    const std::string path = portal_query::catalog_path() +
                             portal_query::query_string({{"select", "dataset_id"},
                                                         {"order_by", "dataset_id"},
                                                         {"limit", std::to_string(kPageLimit)},
                                                         {"offset", std::to_string(offset)}});
    const std::string origin = displayable_url(base_url_ + path);
    const auto page = stations_json::read_catalog_page(
        stations_json::parse(get(path), origin, "catalogue"), origin);
    for (const std::string& id : page.dataset_ids) {
      if (contains_ignoring_case(id, pattern)) matching.push_back(id);
    }
    const auto seen = static_cast<std::size_t>(offset) + page.dataset_ids.size();
    if (page.dataset_ids.empty() || seen >= page.total_count) break;
  }
  return matching;
}

DatasetSchema PortalClient::dataset_schema(const std::string& dataset_id,
                                           const ObservationFields& fields) {
  const std::string path = portal_query::dataset_path(dataset_id);
  return check_dataset_schema(get(path), fields, displayable_url(base_url_ + path));
}

std::vector<WeatherStation> PortalClient::stations(const std::string& stations_dataset,
                                                   const StationListFields& fields,
                                                   std::vector<std::string>* skipped) {
  const std::string path = portal_query::dataset_path(stations_dataset, "exports/json");
  return parse_station_list(get(path), fields, displayable_url(base_url_ + path), skipped);
}

ParsedObservations PortalClient::observations(const std::string& dataset_id, TimeWindow window,
                                              const ObservationFields& fields, UtcSeconds now,
                                              const StationKeying& keying) {
  const portal_query::Parameters selection{
      {"where", portal_query::time_window_where(fields.time, window)}, {"order_by", fields.time}};
  const auto page_path = [&](int offset) {
    auto parameters = selection;
    parameters.emplace_back("limit", std::to_string(kPageLimit));
    parameters.emplace_back("offset", std::to_string(offset));
    return portal_query::dataset_path(dataset_id, "records") +
           portal_query::query_string(parameters);
  };
  stations_json::ObservationCollector collector(dataset_id, fields, now, keying);

  // The first page tells how many records the window holds, hence how to read them. It is
  // landed once it is known to be read (or to be bad): an export replaces it.
  const Answer first = fetch(page_path(0));
  const std::string first_origin = displayable_url(first.url);
  Json first_page;
  std::size_t total = 0;
  try {
    first_page = stations_json::parse_records(first.response.body, first_origin, "records page");
    total = records_total_count(first_page, first_origin);
  } catch (...) {
    land(first);  // kept as any answer that fails
    throw;
  }

  // More than one page: the whole window in one export, the first page's records left out. One
  // answer is one snapshot in one order, where pages read at different moments could skip or
  // repeat a record that moved between them; past the offset ceiling paging cannot even reach
  // the end.
  const auto pages = (total + kPageLimit - 1) / kPageLimit;
  if (pages > static_cast<std::size_t>(export_threshold_pages_) ||
      total > static_cast<std::size_t>(kOffsetCeiling)) {
    const std::string path = portal_query::dataset_path(dataset_id, "exports/json") +
                             portal_query::query_string(selection);
    const std::string origin = displayable_url(base_url_ + path);
    collector.add(stations_json::parse_records(get_streamed(path), origin, "export"), origin);
    return std::move(collector).finish();
  }

  land(first);
  collector.add(first_page, first_origin);
  for (int offset = kPageLimit;
       static_cast<std::size_t>(offset) < total && offset + kPageLimit <= kOffsetCeiling;
       offset += kPageLimit) {
    const std::string path = page_path(offset);
    const std::string origin = displayable_url(base_url_ + path);
    const Json page = stations_json::parse_records(get(path), origin, "records page");
    if (stations_json::record_array(page, origin, "records page").empty()) break;  // shrank since
    collector.add(page, origin);
  }
  return std::move(collector).finish();
}

}  // namespace meteo
