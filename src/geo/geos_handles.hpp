// Private RAII owners for the GEOS C API (reentrant `_r` functions only). Every owner remembers the
// context handle its object was made with, so nothing here relies on GEOS's global context.
#pragma once

#include <geos_c.h>

#include <memory>
#include <string>
#include <string_view>

namespace meteo::geos {

// One GEOS context: its handle and the last error GEOS reported through it. Neither copyable nor
// movable because GEOS keeps a pointer to it as the error handler's user data. Single-threaded,
// like every GEOS context.
class Context {
 public:
  Context();
  ~Context();
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  GEOSContextHandle_t handle() const { return handle_; }

  // What GEOS last reported as an error, or a placeholder when it said nothing.
  std::string last_error() const;

 private:
  static void record_error(const char* message, void* context);

  GEOSContextHandle_t handle_;
  std::string last_error_;
};

struct GeometryDeleter {
  GEOSContextHandle_t handle = nullptr;
  void operator()(GEOSGeometry* geometry) const { GEOSGeom_destroy_r(handle, geometry); }
};
using Geometry = std::unique_ptr<GEOSGeometry, GeometryDeleter>;

struct PreparedGeometryDeleter {
  GEOSContextHandle_t handle = nullptr;
  void operator()(const GEOSPreparedGeometry* prepared) const {
    GEOSPreparedGeom_destroy_r(handle, prepared);
  }
};
// Holds a pointer to the geometry it was prepared from: that geometry must outlive it.
using PreparedGeometry = std::unique_ptr<const GEOSPreparedGeometry, PreparedGeometryDeleter>;

struct StrTreeDeleter {
  GEOSContextHandle_t handle = nullptr;
  void operator()(GEOSSTRtree* tree) const { GEOSSTRtree_destroy_r(handle, tree); }
};
using StrTree = std::unique_ptr<GEOSSTRtree, StrTreeDeleter>;

struct GeoJsonReaderDeleter {
  GEOSContextHandle_t handle = nullptr;
  void operator()(GEOSGeoJSONReader* reader) const { GEOSGeoJSONReader_destroy_r(handle, reader); }
};
using GeoJsonReader = std::unique_ptr<GEOSGeoJSONReader, GeoJsonReaderDeleter>;

struct GeoJsonWriterDeleter {
  GEOSContextHandle_t handle = nullptr;
  void operator()(GEOSGeoJSONWriter* writer) const { GEOSGeoJSONWriter_destroy_r(handle, writer); }
};
using GeoJsonWriter = std::unique_ptr<GEOSGeoJSONWriter, GeoJsonWriterDeleter>;

// Text GEOS allocated: it must be released by GEOS, with the same context.
struct GeosTextDeleter {
  GEOSContextHandle_t handle = nullptr;
  void operator()(char* text) const { GEOSFree_r(handle, text); }
};
using GeosText = std::unique_ptr<char, GeosTextDeleter>;

// Take ownership of what a GEOS call returned (possibly null: callers check).
inline Geometry own(const Context& context, GEOSGeometry* geometry) {
  return Geometry(geometry, GeometryDeleter{context.handle()});
}

// Parses one GeoJSON geometry object; null when GEOS cannot read it (see Context::last_error).
Geometry read_geojson(const Context& context, std::string_view geojson);

Geometry make_point(const Context& context, double x, double y);

// Null when GEOS fails (see Context::last_error).
PreparedGeometry prepare(const Context& context, const GEOSGeometry& geometry);

// An empty tree with GEOS's usual node capacity.
StrTree make_str_tree(const Context& context);

}  // namespace meteo::geos
