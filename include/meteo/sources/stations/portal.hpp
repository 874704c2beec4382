// Opendatasoft weather-station networks (Toulouse Métropole and any portal of the same shape):
// the station list, dataset schemas, observation records and the paging rules of the portal.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "meteo/core/time.hpp"
#include "meteo/http/client.hpp"
#include "meteo/model/records.hpp"
#include "meteo/sources/file_format.hpp"
#include "meteo/sources/stations/settings.hpp"
#include "meteo/sources/windows.hpp"

namespace meteo {

struct ParsedObservations {
  std::size_t record_count = 0;
  std::size_t duplicates = 0;  // earlier records of the same time, dropped: the later one wins
  std::vector<WeatherObservation> observations;  // valid, one per time, in time order
  std::vector<RejectedRecord> rejected;          // future-dated, unparseable, out of range
  // A dataset holding many stations: each station its records name, once, in order of first
  // appearance (empty for a dataset of one station: its list comes from the stations dataset).
  std::vector<WeatherStation> stations;
};

// How the records of a dataset name their station: by the dataset itself (one station per
// dataset), or by a field of each record whose text is the station key (many per dataset), the
// station's attributes read beside it.
struct StationKeying {
  std::string field;             // empty: the dataset is the station
  StationListFields attributes;  // with `field`: where each record gives its station's attributes
};

// The keying a network's configuration gives.
StationKeying station_keying(const StationNetworkConfig& network);

// "2021-03-28T03:15:00+02:00", "...+0200", "...Z", fractional seconds allowed; an offset is
// required (a local time without one is ambiguous across daylight-saving changes).
std::optional<UtcSeconds> parse_timestamp_with_offset(std::string_view text);

// The stations dataset as exports/json (a bare array) or records ({"results": [...]}). Records
// without a dataset id or coordinates, or holding a number past a double's range (`1e309`), are
// skipped with a reason in `skipped`. Throws Error(data).
std::vector<WeatherStation> parse_station_list(std::string_view body,
                                               const StationListFields& fields,
                                               std::string_view origin,
                                               std::vector<std::string>* skipped = nullptr);

// Dataset ids of a catalogue answer ({"results": [{"dataset_id": ...}]}).
std::vector<std::string> parse_catalog_dataset_ids(std::string_view body, std::string_view origin);

// Whether a dataset (GET catalog/datasets/{id}: {"fields": [{"name": ...}]}) carries the time and
// temperature fields; `reason` says what is missing.
struct DatasetSchema {
  bool supported = false;
  std::string reason;
};
DatasetSchema check_dataset_schema(std::string_view dataset_body, const ObservationFields& fields,
                                   std::string_view origin);

// Validates one flat record. Rejects: missing/unparseable time, time after `now`, a present
// measurement that is not a number, or one outside physical range (temperature [-60, 60] °C,
// humidity [0, 100] %, pressure [850, 1100] hPa, rain [0, 500] mm, wind and gust [0, 400] km/h,
// direction [0, 360]), or any number past a double's range (`1e309`, valid JSON grammar: the
// reason names the field and the number). Missing or null measurements are allowed (stations
// differ).
std::variant<WeatherObservation, std::string> validate_observation(std::string_view record_json,
                                                                   const std::string& dataset_id,
                                                                   const ObservationFields& fields,
                                                                   UtcSeconds now);

// A records page ({"total_count": N, "results": [...]}) or an export (bare array). A record
// holding a number past a double's range is rejected alone; the stored text shows null there.
// With a keying field, each observation's dataset_id is its record's station key, a record
// without one is rejected, and `stations` lists the stations named.
ParsedObservations parse_observations(std::string_view body, const std::string& dataset_id,
                                      const ObservationFields& fields, UtcSeconds now,
                                      std::string_view origin, const StationKeying& keying = {});

// A file saved from the portal (`ingest --file`) in `format` (json: exports/json; json_lines: one
// record per line; csv: the portal's ';'-separated export, header of field names), or, when none
// is given, the format its name's extension tells (.json, .jsonl, .csv). Parsed as
// parse_observations parses a body. Throws Error(usage) for another extension, Error(data) for a
// malformed file.
ParsedObservations parse_observation_file(std::string_view body, std::string_view name,
                                          std::optional<sources::FileFormat> format,
                                          const std::string& dataset_id,
                                          const ObservationFields& fields, UtcSeconds now,
                                          const StationKeying& keying);

// ---- the portal's API ------------------------------------------------------------------------

// Sees every portal answer whose records are read, before they are parsed: where the raw archive
// plugs in. A window's first page that an export replaces is not one of them (the export holds its
// records: archived beside it, they would be read twice by a replay), unless it cannot be parsed.
using PayloadSink = std::function<void(const std::string& url, const HttpResponse& response)>;

// Lands an answer too large to hold (an export) as it arrives, then gives back its body as landed,
// for the parser: `open` before the request, `land` once its status is known.
struct PayloadStreamer {
  std::function<BodyStream(const std::string& url)> open;
  std::function<std::string(long http_status)> land;
};

// Explore API v2.1. Paging respects the portal: limit <= 100 and offset + limit <= 10 000. A
// window needing more than `export_threshold_pages` pages (or past the ceiling) is read whole
// through one exports/json request instead.
class PortalClient {
 public:
  static constexpr int kPageLimit = 100;
  static constexpr int kOffsetCeiling = 10'000;

  PortalClient(std::string base_url, HttpClient& http, int export_threshold_pages = 1);

  // Catalogue ids containing `pattern` (all ids when empty), paging through the catalogue.
  std::vector<std::string> list_datasets(std::string_view pattern);
  DatasetSchema dataset_schema(const std::string& dataset_id, const ObservationFields& fields);
  std::vector<WeatherStation> stations(const std::string& stations_dataset,
                                       const StationListFields& fields,
                                       std::vector<std::string>* skipped = nullptr);
  // Records of `dataset_id` with fields.time in the window, ordered by time: the first page, and
  // when it tells of more, either the other pages or one export of the whole window.
  ParsedObservations observations(const std::string& dataset_id, TimeWindow window,
                                  const ObservationFields& fields, UtcSeconds now,
                                  const StationKeying& keying = {});

  std::size_t requests_made() const { return requests_; }
  void set_payload_sink(PayloadSink sink) { sink_ = std::move(sink); }
  // Without one, an export is held whole and goes to the payload sink as any answer.
  void set_payload_streamer(PayloadStreamer streamer) { streamer_ = std::move(streamer); }

 private:
  struct Answer {
    std::string url;
    HttpResponse response;
  };
  Answer fetch(const std::string& path_and_query);  // counted, not yet landed
  void land(const Answer& answer) const;
  std::string get(const std::string& path_and_query);  // fetched and landed
  std::string get_streamed(const std::string& path_and_query);
  std::string base_url_;
  HttpClient& http_;
  int export_threshold_pages_;
  PayloadSink sink_;
  PayloadStreamer streamer_;
  std::size_t requests_ = 0;
};

}  // namespace meteo
