// [[region_sets]]: the region boundaries readings are matched against.
#include "sections.hpp"

namespace meteo::config_detail {
namespace {

RegionFormat region_format(const ConfigReader& reader, const std::string& where,
                           const std::string& format) {
  if (format == "geojson") return RegionFormat::geojson;
  if (format == "opendatasoft") return RegionFormat::opendatasoft;
  reader.fail(where + ".format", "must be geojson or opendatasoft (got \"" + format + "\")");
}

MatchingMode matching_mode(const ConfigReader& reader, const std::string& where,
                           const std::string& matching) {
  if (matching == "polygon") return MatchingMode::polygon;
  if (matching == "bbox") return MatchingMode::bbox;
  reader.fail(where + ".matching", "must be polygon or bbox (got \"" + matching + "\")");
}

}  // namespace

RegionSetConfig read_region_set(const ConfigReader& reader, const toml::table& t,
                                const std::string& where) {
  reader.expect_only(t, where,
                     {"name", "location", "format", "code_field", "name_field", "matching"});
  RegionSetConfig set;
  set.name = reader.required_string(t, where, "name");
  // The name becomes the dashboard's file names and a key of the database.
  reader.require_plain_name(where + ".name", set.name);
  set.location = reader.required_string(t, where, "location");
  if (set.location.find("://") == std::string::npos) set.location = reader.resolve(set.location);
  std::string format = "geojson", matching = "polygon";
  reader.read_string(t, where, "format", format);
  reader.read_string(t, where, "matching", matching);
  reader.read_string(t, where, "code_field", set.code_field);
  reader.read_string(t, where, "name_field", set.name_field);
  set.format = region_format(reader, where, format);
  set.matching = matching_mode(reader, where, matching);
  return set;
}

}  // namespace meteo::config_detail
