#include "geos_handles.hpp"

#include <new>

#include "meteo/core/errors.hpp"

namespace meteo::geos {

Context::Context() : handle_(GEOS_init_r()) {
  if (handle_ == nullptr) throw std::bad_alloc();
  GEOSContext_setErrorMessageHandler_r(handle_, &Context::record_error, this);
}

Context::~Context() {
  GEOS_finish_r(handle_);
}

std::string Context::last_error() const {
  return last_error_.empty() ? std::string("GEOS gave no reason") : last_error_;
}

void Context::record_error(const char* message, void* context) {
  static_cast<Context*>(context)->last_error_ = message != nullptr ? message : "";
}

Geometry read_geojson(const Context& context, std::string_view geojson) {
  const auto reader = adopt<GeoJsonReader>(context, GEOSGeoJSONReader_create_r(context.handle()));
  if (!reader) return own(context, nullptr);
  const std::string text(geojson);  // GEOS wants a NUL-terminated string
  return own(context,
             GEOSGeoJSONReader_readGeometry_r(context.handle(), reader.get(), text.c_str()));
}

Geometry make_point(const Context& context, double x, double y) {
  Geometry point = own(context, GEOSGeom_createPointFromXY_r(context.handle(), x, y));
  if (!point) {
    throw Error(ExitCode::software, "GEOS could not create a point: " + context.last_error());
  }
  return point;
}

PreparedGeometry prepare(const Context& context, const GEOSGeometry& geometry) {
  return adopt<PreparedGeometry>(context, GEOSPrepare_r(context.handle(), &geometry));
}

StrTree make_str_tree(const Context& context) {
  constexpr std::size_t node_capacity = 10;
  StrTree tree = adopt<StrTree>(context, GEOSSTRtree_create_r(context.handle(), node_capacity));
  if (!tree)
    throw Error(ExitCode::software, "GEOS could not create an STRtree: " + context.last_error());
  return tree;
}

}  // namespace meteo::geos
