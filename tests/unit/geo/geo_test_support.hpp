// Helpers shared by the geo unit tests: the real region contours and small synthetic regions.
#pragma once

#include <gtest/gtest.h>

#include <cstddef>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "meteo/core/errors.hpp"
#include "meteo/geo/regions.hpp"
#include "meteo/geo/settings.hpp"
#include "paths.hpp"

namespace meteo::geo_test {

// Reference files under ../shared/data: a test reading one starts with
// METEO_SKIP_WITHOUT_SHARED_DATA(kRegions) so that it skips, never fails, where they are absent.
inline const std::string kRegions = "geo/regions.geojson";
inline const std::string kLaPosteIleDeFrance = "laposte/singleGeoJson-11.json";

// "Île-de-France" spelled out in UTF-8 bytes so the source file's encoding cannot change it.
inline const std::string kIleDeFrance = "\xC3\x8Ele-de-France";

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open test data " + path);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

inline RegionSetConfig geojson_spec(std::string code_field = "code",
                                    std::string name_field = "nom") {
  RegionSetConfig spec;
  spec.name = "regions";
  spec.format = RegionFormat::geojson;
  spec.code_field = std::move(code_field);
  spec.name_field = std::move(name_field);
  return spec;
}

inline RegionSetConfig opendatasoft_spec(std::string code_field, std::string name_field) {
  RegionSetConfig spec = geojson_spec(std::move(code_field), std::move(name_field));
  spec.format = RegionFormat::opendatasoft;
  return spec;
}

// The 13 metropolitan regions of the IGN contours, in the file's order.
inline std::vector<Region> france_regions() {
  return parse_region_document(read_file(testing::shared_data(kRegions)), geojson_spec());
}

inline std::size_t ordinal_of(const std::vector<Region>& regions, const std::string& code) {
  for (std::size_t ordinal = 0; ordinal < regions.size(); ++ordinal) {
    if (regions[ordinal].code == code) return ordinal;
  }
  ADD_FAILURE() << "no region with code " << code;
  return regions.size();
}

// A GeoJSON Polygon: the axis-aligned rectangle [x0, x1] x [y0, y1].
inline std::string rectangle_geojson(double x0, double y0, double x1, double y1) {
  std::ostringstream out;
  out << R"({"type":"Polygon","coordinates":[[[)" << x0 << ',' << y0 << "],[" << x1 << ',' << y0
      << "],[" << x1 << ',' << y1 << "],[" << x0 << ',' << y1 << "],[" << x0 << ',' << y0 << "]]]}";
  return out.str();
}

inline Region make_region(std::string code, std::string geometry_geojson) {
  return Region{code, "region " + code, std::move(geometry_geojson)};
}

// Runs `action`, expecting Error(data) whose message contains every one of `fragments`.
inline void expect_data_error(const std::function<void()>& action,
                              const std::vector<std::string>& fragments) {
  try {
    action();
    ADD_FAILURE() << "expected Error(data) mentioning " << fragments.front();
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ExitCode::data) << error.what();
    for (const std::string& fragment : fragments) {
      EXPECT_NE(std::string(error.what()).find(fragment), std::string::npos)
          << "message: " << error.what() << "\nexpected to contain: " << fragment;
    }
  }
}

}  // namespace meteo::geo_test
