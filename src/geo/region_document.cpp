// Reads region contours from a GeoJSON FeatureCollection or an Opendatasoft export into Regions,
// checking each feature's code, name and geometry so that errors point at the feature at fault.
#include <cmath>
#include <cstddef>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "meteo/core/errors.hpp"
#include "meteo/geo/regions.hpp"

namespace meteo {
namespace {

using nlohmann::json;

// What every feature of the document boils down to: where its code and name live, and its geometry.
struct FeatureView {
  const json* properties = nullptr;  // null when the feature has none
  const json* geometry = nullptr;    // null when absent or JSON null
  const char* geometry_key = "geometry";
};

class DocumentReader {
 public:
  explicit DocumentReader(const RegionSetConfig& spec)
      : spec_(spec),
        document_name_(spec.name.empty() ? std::string("region document")
                                         : "region set \"" + spec.name + "\"") {}

  std::vector<Region> read(std::string_view document) const {
    const json root = parse(document);
    const std::vector<FeatureView> features = spec_.format == RegionFormat::geojson
                                                  ? geojson_features(root)
                                                  : opendatasoft_features(root);
    if (features.empty()) fail("the document holds no features");
    std::vector<Region> regions;
    regions.reserve(features.size());
    std::map<std::string, std::size_t, std::less<>> position_of_code;
    for (std::size_t position = 0; position < features.size(); ++position) {
      Region region = read_feature(position, features[position]);
      const auto [existing, inserted] = position_of_code.emplace(region.code, position);
      if (!inserted) {
        fail(describe(position, region.code) + ": code already used by feature " +
             std::to_string(existing->second));
      }
      regions.push_back(std::move(region));
    }
    return regions;
  }

 private:
  [[noreturn]] void fail(const std::string& problem) const {
    throw Error(ExitCode::data, document_name_ + ": " + problem);
  }

  static std::string describe(std::size_t position, std::optional<std::string_view> code = {}) {
    std::string text = "feature " + std::to_string(position);
    if (code) text += " (code \"" + std::string(*code) + "\")";
    return text;
  }

  json parse(std::string_view document) const {
    try {
      return json::parse(document);
    } catch (const json::parse_error& error) {
      fail("invalid JSON at byte " + std::to_string(error.byte) + ": " + reason_of(error));
    } catch (const json::exception& error) {  // a number beyond a double's range ("1e309")
      fail("invalid JSON: " + reason_of(error));
    }
  }

  // what() repeats the position after nlohmann's prefix, or starts with a bare
  // "[json.exception.out_of_range.406] " tag: keep only the reason.
  static std::string reason_of(const json::exception& error) {
    const std::string what = error.what();
    if (const std::size_t reason = what.find(": "); reason != std::string::npos) {
      return what.substr(reason + 2);
    }
    const std::size_t tag_end = what.find("] ");
    return tag_end == std::string::npos ? what : what.substr(tag_end + 2);
  }

  std::vector<FeatureView> geojson_features(const json& root) const {
    if (!root.is_object() || root.value("type", json()) != "FeatureCollection") {
      fail("expected a GeoJSON FeatureCollection");
    }
    const json& features = member_array(root, "features");
    std::vector<FeatureView> views;
    for (std::size_t position = 0; position < features.size(); ++position) {
      const json& feature = features[position];
      if (!feature.is_object()) fail(describe(position) + ": expected an object");
      views.push_back({non_null_member(feature, "properties"), non_null_member(feature, "geometry"),
                       "geometry"});
    }
    return views;
  }

  // exports/json: a bare array of flat records; API v2.1: {"results": [...]} of flat records;
  // API v1: {"records": [{"fields": {...}}]}.
  std::vector<FeatureView> opendatasoft_features(const json& root) const {
    const json* records = &root;
    bool fields_nested = false;
    if (root.is_object() && root.contains("results")) {
      records = &member_array(root, "results");
    } else if (root.is_object() && root.contains("records")) {
      records = &member_array(root, "records");
      fields_nested = true;
    } else if (!root.is_array()) {
      fail(
          "expected an Opendatasoft export: a JSON array, {\"results\": [...]} or "
          "{\"records\": [...]}");
    }
    std::vector<FeatureView> views;
    for (std::size_t position = 0; position < records->size(); ++position) {
      const json* fields = &(*records)[position];
      if (fields_nested && fields->is_object()) fields = non_null_member(*fields, "fields");
      if (fields == nullptr || !fields->is_object()) {
        fail(describe(position) +
             (fields_nested ? ": record has no \"fields\" object" : ": expected an object"));
      }
      views.push_back({fields, unwrap_feature(non_null_member(*fields, "geo_shape")), "geo_shape"});
    }
    return views;
  }

  // Opendatasoft's geo_shape is sometimes a whole Feature around the geometry.
  static const json* unwrap_feature(const json* shape) {
    if (shape == nullptr || !shape->is_object() || shape->value("type", json()) != "Feature") {
      return shape;
    }
    return non_null_member(*shape, "geometry");
  }

  const json& member_array(const json& object, const char* key) const {
    const auto member = object.find(key);
    if (member == object.end() || !member->is_array()) {
      fail(std::string("\"") + key + "\" is not an array");
    }
    return *member;
  }

  static const json* non_null_member(const json& object, const char* key) {
    const auto member = object.find(key);
    return member == object.end() || member->is_null() ? nullptr : &*member;
  }

  Region read_feature(std::size_t position, const FeatureView& feature) const {
    Region region;
    region.code = required_text(position, feature, spec_.code_field, std::nullopt);
    region.name = required_text(position, feature, spec_.name_field, region.code);
    const std::string where = describe(position, region.code);
    if (feature.geometry == nullptr) fail(where + ": " + feature.geometry_key + " is missing");
    check_geometry(*feature.geometry, where);
    region.geometry_geojson = feature.geometry->dump();
    return region;
  }

  // A code or name: a string, a number, or a one-element array of either (georef exports).
  std::string required_text(std::size_t position, const FeatureView& feature,
                            const std::string& field, std::optional<std::string_view> code) const {
    const std::string where = describe(position, code) + ": property \"" + field + "\"";
    const json* value =
        feature.properties ? non_null_member(*feature.properties, field.c_str()) : nullptr;
    if (value != nullptr && value->is_array()) {
      if (value->size() != 1)
        fail(where + " is an array of " + std::to_string(value->size()) + " values, expected one");
      value = (*value)[0].is_null() ? nullptr : &(*value)[0];
    }
    if (value == nullptr) fail(where + " is missing");
    std::string text;
    if (value->is_string()) {
      text = value->get<std::string>();
    } else if (value->is_number()) {
      text = value->dump();
    } else {
      fail(where + " is a " + value->type_name() + ", expected a string or a number");
    }
    if (text.empty()) fail(where + " is empty");
    return text;
  }

  void check_geometry(const json& geometry, const std::string& where) const {
    if (!geometry.is_object()) {
      fail(where + ": geometry is a JSON " + geometry.type_name() + ", expected an object");
    }
    const json type = geometry.value("type", json());
    if (!type.is_string()) fail(where + ": geometry has no \"type\"");
    const auto coordinates = geometry.find("coordinates");
    const bool has_coordinates = coordinates != geometry.end() && coordinates->is_array();
    if (type == "Polygon") {
      if (!has_coordinates) fail(where + ": Polygon has no \"coordinates\" array");
      check_polygon(*coordinates, where + ": Polygon");
    } else if (type == "MultiPolygon") {
      if (!has_coordinates) fail(where + ": MultiPolygon has no \"coordinates\" array");
      if (coordinates->empty()) fail(where + ": MultiPolygon has no polygons");
      for (std::size_t index = 0; index < coordinates->size(); ++index) {
        check_polygon((*coordinates)[index],
                      where + ": MultiPolygon, polygon " + std::to_string(index));
      }
    } else {
      fail(where + ": geometry is a " + type.get<std::string>() +
           ", expected Polygon or MultiPolygon");
    }
  }

  // Rings of at least four positions, closed, in WGS84 degrees (RFC 7946): what GEOS needs to
  // read them. Far-off coordinates such as 1e308 are not contours, and they stall GEOS's indexes.
  void check_polygon(const json& rings, const std::string& where) const {
    if (!rings.is_array() || rings.empty()) fail(where + " has no rings");
    for (std::size_t index = 0; index < rings.size(); ++index) {
      const std::string ring_where = where + ", ring " + std::to_string(index);
      const json& ring = rings[index];
      if (!ring.is_array() || ring.size() < 4) {
        fail(ring_where + " has fewer than 4 positions");
      }
      for (const json& position : ring) {
        if (!is_position(position)) {
          fail(ring_where + " holds " + position.dump() +
               ", expected [longitude, latitude] in degrees (-180..180, -90..90)");
        }
      }
      if (!same_position(ring.front(), ring.back())) fail(ring_where + " is not closed");
    }
  }

  static bool is_position(const json& position) {
    return position.is_array() && position.size() >= 2 && is_number_within(position[0], 180.0) &&
           is_number_within(position[1], 90.0);
  }

  static bool is_number_within(const json& value, double bound) {
    return is_finite_number(value) && std::abs(value.get<double>()) <= bound;
  }

  static bool is_finite_number(const json& value) {
    return value.is_number() && std::isfinite(value.get<double>());
  }

  static bool same_position(const json& a, const json& b) {
    return a[0].get<double>() == b[0].get<double>() && a[1].get<double>() == b[1].get<double>();
  }

  const RegionSetConfig& spec_;
  std::string document_name_;  // how error messages name the document
};

}  // namespace

std::vector<Region> parse_region_document(std::string_view document, const RegionSetConfig& spec) {
  return DocumentReader(spec).read(document);
}

}  // namespace meteo
