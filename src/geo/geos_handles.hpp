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

// Releases a GEOS object with the context it was made with.
template <typename T, auto Destroy>
struct ContextDeleter {
  GEOSContextHandle_t handle = nullptr;
  void operator()(T* object) const { Destroy(handle, object); }
};
template <typename T, auto Destroy>
using ContextOwned = std::unique_ptr<T, ContextDeleter<T, Destroy>>;

using Geometry = ContextOwned<GEOSGeometry, GEOSGeom_destroy_r>;
// Holds a pointer to the geometry it was prepared from: that geometry must outlive it.
using PreparedGeometry = ContextOwned<const GEOSPreparedGeometry, GEOSPreparedGeom_destroy_r>;
using StrTree = ContextOwned<GEOSSTRtree, GEOSSTRtree_destroy_r>;
using GeoJsonReader = ContextOwned<GEOSGeoJSONReader, GEOSGeoJSONReader_destroy_r>;
using GeoJsonWriter = ContextOwned<GEOSGeoJSONWriter, GEOSGeoJSONWriter_destroy_r>;
// Text GEOS allocated: it must be released by GEOS, with the same context.
using GeosText = ContextOwned<char, GEOSFree_r>;

// Takes ownership of what a GEOS call returned (possibly null: callers check).
template <typename Owner>
Owner adopt(const Context& context, typename Owner::pointer object) {
  return Owner(object, typename Owner::deleter_type{context.handle()});
}

inline Geometry own(const Context& context, GEOSGeometry* geometry) {
  return adopt<Geometry>(context, geometry);
}

// Parses one GeoJSON geometry object; null when GEOS cannot read it (see Context::last_error).
Geometry read_geojson(const Context& context, std::string_view geojson);

Geometry make_point(const Context& context, double x, double y);

// Null when GEOS fails (see Context::last_error).
PreparedGeometry prepare(const Context& context, const GEOSGeometry& geometry);

// An empty tree with GEOS's usual node capacity.
StrTree make_str_tree(const Context& context);

}  // namespace meteo::geos
