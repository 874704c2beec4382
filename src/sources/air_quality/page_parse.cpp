// One query page of an ArcGIS air-quality layer: features, their attributes and geometry.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "../duplicate_keys.hpp"
#include "census.hpp"
#include "meteo/core/errors.hpp"
#include "meteo/sources/air_quality/parse.hpp"
#include "record.hpp"

namespace meteo {
namespace air_quality {
namespace {

using sources_json::Json;

// Compact JSON text, invalid UTF-8 replaced, null in place of a number past a double's range.
std::string compact(const Json& value) {
  return sources_json::overflows_as_null(value).dump(-1, ' ', false,
                                                     Json::error_handler_t::replace);
}

// A value as the shared checks read it: a string as is, anything else as its JSON text (a
// number "17.8", a boolean "true"), nothing for null or a missing key.
std::optional<std::string> attribute(const Json& object, const std::string& name) {
  const auto it = object.find(name);
  if (it == object.end() || it->is_null()) return std::nullopt;
  if (it->is_string()) return it->get<std::string>();
  return compact(*it);
}

RawRecord raw_record(const Json& attributes, const Json* geometry, const AirQualityFields& fields) {
  const bool has_geometry = geometry != nullptr && geometry->is_object();
  return read_raw_record([&](const RawField& field, std::size_t) -> std::optional<std::string> {
    if (!field.position) return attribute(attributes, fields.*field.name);
    if (!has_geometry) return std::nullopt;
    return attribute(*geometry, field.value == &RawRecord::longitude ? "x" : "y");
  });
}

// What is stored with a reject: the attributes when there are some, else the whole feature.
std::string stored_text(const Json& feature) {
  const Json* shown = &feature;
  if (feature.is_object()) {
    const auto it = feature.find("attributes");
    if (it != feature.end() && it->is_object()) shown = &*it;
  }
  return compact(*shown);
}

std::variant<ValidRecord, std::string> read_feature(const Json& feature,
                                                    const AirQualityFields& fields,
                                                    const AirQualityRules& rules, UtcSeconds now) {
  if (auto problem = sources_json::overflow_problem(feature)) return std::move(*problem);
  if (!feature.is_object()) return std::string("feature is not an object");
  const auto attributes = feature.find("attributes");
  if (attributes == feature.end() || !attributes->is_object()) {
    return std::string("feature has no attributes object");
  }
  // The attributes first, so that a key given twice there is named as the field it is.
  if (auto problem = sources_json::duplicate_key_problem(*attributes)) return std::move(*problem);
  if (auto problem = sources_json::duplicate_key_problem(feature)) return std::move(*problem);
  const auto geometry = feature.find("geometry");
  const Json* shape = geometry == feature.end() ? nullptr : &*geometry;
  static constexpr RecordForm kForm{RecordForm::Dates::epoch_millis, "geometry.x", "geometry.y"};
  return validate(raw_record(*attributes, shape, fields), kForm, fields, rules, now);
}

Json parse_body(std::string_view json, std::string_view origin) {
  try {
    return sources_json::parse_keeping_duplicate_keys(json, sources_json::Overflows::marked);
  } catch (const Json::exception& error) {
    throw Error(ExitCode::data,
                std::string(origin) + ": the page is not valid JSON: " + error.what());
  }
}

// ArcGIS reports most failures inside an HTTP 200: {"error": {"code", "message", "details"}}.
void throw_if_error(const Json& body, std::string_view origin) {
  const auto error = body.find("error");
  if (error == body.end()) return;
  int code = 0;
  std::string message;
  std::string text = std::string(origin) + ": ArcGIS error";
  if (error->is_object()) {
    const auto code_it = error->find("code");
    if (code_it != error->end() && code_it->is_number_integer()) code = code_it->get<int>();
    const auto message_it = error->find("message");
    if (message_it != error->end() && message_it->is_string()) {
      message = message_it->get<std::string>();
    }
    text += " " + std::to_string(code) + ": " + message;
    const auto details = error->find("details");
    if (details != error->end() && !details->empty()) {
      text += " " + compact(*details);
    }
  } else {
    text += ": " + compact(*error);
  }
  throw ArcGisError(code, std::move(message), text);
}

const Json& features_of(const Json& body, std::string_view origin) {
  const auto features = body.find("features");
  if (features == body.end() || !features->is_array()) {
    throw Error(ExitCode::data, std::string(origin) + ": the page has no \"features\" array");
  }
  return *features;
}

bool exceeded_transfer_limit(const Json& body, std::string_view origin) {
  const auto flag = body.find("exceededTransferLimit");
  if (flag == body.end()) return false;  // absent on a last (or only) page
  if (!flag->is_boolean()) {
    throw Error(ExitCode::data,
                std::string(origin) + ": \"exceededTransferLimit\" is not a boolean");
  }
  return flag->get<bool>();
}

// A body that must be an object free of an ArcGIS error.
Json checked_object(std::string_view json, std::string_view origin, std::string_view what) {
  auto body = parse_body(json, origin);
  if (!body.is_object()) {
    throw Error(ExitCode::data,
                std::string(origin) + ": the " + std::string(what) + " is not a JSON object");
  }
  throw_if_error(body, origin);
  return body;
}

std::optional<std::int64_t> last_edit_date(const Json& body) {
  const auto editing = body.find("editingInfo");
  if (editing == body.end() || !editing->is_object()) return std::nullopt;
  const auto date = editing->find("lastEditDate");
  if (date == editing->end() || !date->is_number_integer()) return std::nullopt;
  return date->get<std::int64_t>();
}

bool supports_pagination(const Json& body) {
  const auto advanced = body.find("advancedQueryCapabilities");
  if (advanced == body.end() || !advanced->is_object()) return false;
  const auto flag = advanced->find("supportsPagination");
  return flag != advanced->end() && flag->is_boolean() && flag->get<bool>();
}

}  // namespace
}  // namespace air_quality

ArcGisLayerInfo parse_layer_info(std::string_view json, std::string_view origin) {
  const auto body = air_quality::checked_object(json, origin, "layer description");
  const auto max = body.find("maxRecordCount");
  if (max == body.end() || !max->is_number_unsigned() || max->get<std::uint64_t>() == 0) {
    throw Error(ExitCode::data,
                std::string(origin) + ": the layer has no positive integer \"maxRecordCount\"");
  }
  return {max->get<std::size_t>(), air_quality::supports_pagination(body),
          air_quality::last_edit_date(body)};
}

std::size_t parse_feature_count(std::string_view json, std::string_view origin) {
  const auto body = air_quality::checked_object(json, origin, "count answer");
  const auto count = body.find("count");
  if (count == body.end() || !count->is_number_unsigned()) {
    throw Error(ExitCode::data, std::string(origin) + ": the answer has no \"count\"");
  }
  return count->get<std::size_t>();
}

AirQualityPage parse_air_quality_page(std::string_view json, const AirQualityFields& fields,
                                      const AirQualityRules& rules, UtcSeconds now,
                                      std::string_view origin) {
  const auto body = air_quality::parse_body(json, origin);
  if (!body.is_object()) {
    throw Error(ExitCode::data, std::string(origin) + ": the page is not an object");
  }
  air_quality::throw_if_error(body, origin);
  AirQualityPage page;
  page.exceeded_transfer_limit = air_quality::exceeded_transfer_limit(body, origin);
  const auto& features = air_quality::features_of(body, origin);
  air_quality::Census census;
  for (std::size_t i = 0; i < features.size(); ++i) {
    census.add(air_quality::read_feature(features[i], fields, rules, now), i,
               [&] { return air_quality::stored_text(features[i]); });
  }
  page.parsed = std::move(census).finish();
  return page;
}

}  // namespace meteo
