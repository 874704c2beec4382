// The pure parsers of ATMO-style air-quality data: the hub's CSV download and one ArcGIS query
// page. No network: the bytes are handed in, the records come out validated and deduplicated.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "meteo/core/errors.hpp"
#include "meteo/core/time.hpp"
#include "meteo/model/air_quality.hpp"
#include "meteo/model/records.hpp"
#include "meteo/sources/air_quality/settings.hpp"

namespace meteo {

struct ParsedAirQuality {
  std::size_t record_count = 0;
  // Records dropped for a later or better one of the same (station, pollutant, hour): a
  // validated value beats a provisional one, then the higher ObjectId wins.
  std::size_t duplicates = 0;
  std::size_t kept_negative = 0;            // kept measurements below zero (down to the floor)
  std::vector<AirQualityStation> stations;  // one per code, first seen first, from valid records
  std::vector<AirQualityMeasurement> measurements;  // valid, one per key, in first-seen order
  // position: the CSV's physical line (from 1) the row starts on, or the feature's index in the
  // page.
  std::vector<RejectedRecord> rejected;
};

// One query page of an ArcGIS layer.
struct AirQualityPage {
  ParsedAirQuality parsed;
  bool exceeded_transfer_limit = false;  // more features follow at the next offset
};

// ArcGIS answers some errors with HTTP 200 and {"error": {"code": 400, "message": ...}}. The
// exit code is `unavailable`; the fetcher decides from `arcgis_code` whether to retry.
class ArcGisError : public Error {
 public:
  ArcGisError(int arcgis_code, std::string arcgis_message, const std::string& text)
      : Error(ExitCode::unavailable, text),
        arcgis_code_(arcgis_code),
        arcgis_message_(std::move(arcgis_message)) {}
  int arcgis_code() const noexcept { return arcgis_code_; }
  const std::string& arcgis_message() const noexcept { return arcgis_message_; }

 private:
  int arcgis_code_;
  std::string arcgis_message_;
};

// The hub CSV: UTF-8 with an optional BOM, LF or CRLF line ends, RFC 4180 quoting ("" inside a
// quoted field), X,Y as WGS84 lon/lat, dates as 2020-03-14T10:00:00.000Z. A record failing a
// check is rejected alone (its reason names the field and the value). Throws Error(data) naming
// `origin` when the header or a required column is missing, or a quote is never closed.
ParsedAirQuality parse_air_quality_csv(std::string_view body, const AirQualityFields& fields,
                                       const AirQualityRules& rules, UtcSeconds now,
                                       std::string_view origin);

// A query page {"features": [{"attributes": {...}, "geometry": {"x": .., "y": ..}}],
// "exceededTransferLimit": bool}: dates in epoch milliseconds, values as numbers or numeric
// text, statut_valid as t/f, true/false, 1/0 (text, boolean or number). Throws ArcGisError for
// a top-level "error" object, Error(data) for a body that is no such page.
AirQualityPage parse_air_quality_page(std::string_view json, const AirQualityFields& fields,
                                      const AirQualityRules& rules, UtcSeconds now,
                                      std::string_view origin);

// What a layer's `?f=json` says of how to read it.
struct ArcGisLayerInfo {
  std::size_t max_record_count = 0;            // features per query page at most
  bool supports_pagination = false;            // advancedQueryCapabilities.supportsPagination
  std::optional<std::int64_t> last_edit_date;  // editingInfo.lastEditDate (hosted layers)
};

// The layer's description. Throws ArcGisError for an "error" object, Error(data) when
// maxRecordCount is missing or not a positive integer.
ArcGisLayerInfo parse_layer_info(std::string_view json, std::string_view origin);

// A returnCountOnly answer, {"count": N}. Throws as parse_layer_info does.
std::size_t parse_feature_count(std::string_view json, std::string_view origin);

}  // namespace meteo
