// Region contours made light enough for a web page, still GeoJSON.
#include <nlohmann/json.hpp>

#include "geos_handles.hpp"
#include "meteo/core/errors.hpp"
#include "meteo/geo/regions.hpp"

namespace meteo {
namespace {

[[noreturn]] void fail(const Region& region, const std::string& what,
                       const geos::Context& context) {
  throw Error(ExitCode::data, "region " + region.code + " (" + region.name + "): " + what + ": " +
                                  context.last_error());
}

std::string simplified_geometry(const geos::Context& context, GEOSGeoJSONWriter& writer,
                                const Region& region, double tolerance_degrees) {
  const geos::Geometry original = geos::read_geojson(context, region.geometry_geojson);
  if (!original) fail(region, "unreadable geometry", context);
  const geos::Geometry simplified = geos::own(
      context, GEOSTopologyPreserveSimplify_r(context.handle(), original.get(), tolerance_degrees));
  if (!simplified) fail(region, "simplification failed", context);
  constexpr int kCompact = -1;  // no indentation
  const auto text = geos::adopt<geos::GeosText>(
      context,
      GEOSGeoJSONWriter_writeGeometry_r(context.handle(), &writer, simplified.get(), kCompact));
  if (!text) fail(region, "cannot write the simplified geometry", context);
  return text.get();
}

}  // namespace

std::string simplified_feature_collection(const std::vector<Region>& regions,
                                          double tolerance_degrees) {
  const geos::Context context;
  const auto writer =
      geos::adopt<geos::GeoJsonWriter>(context, GEOSGeoJSONWriter_create_r(context.handle()));
  if (!writer) {
    throw Error(ExitCode::software,
                "GEOS could not create a GeoJSON writer: " + context.last_error());
  }
  nlohmann::json features = nlohmann::json::array();
  for (const Region& region : regions) {
    features.push_back({{"type", "Feature"},
                        {"properties", {{"code", region.code}, {"name", region.name}}},
                        {"geometry", nlohmann::json::parse(simplified_geometry(
                                         context, *writer, region, tolerance_degrees))}});
  }
  const nlohmann::json collection{{"type", "FeatureCollection"}, {"features", features}};
  return collection.dump();
}

}  // namespace meteo
