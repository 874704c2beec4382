// The query parameters of the Explore API v2.1 as far as the simulator understands them, with
// the real portal's rules and error answers: paging limits, a small ODSQL subset (comparisons
// on the time field joined by AND), order_by on the time field, select of field names.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "civil_time.hpp"
#include "portal_catalogue.hpp"

namespace portal_sim {

// An answer the portal gives instead of data: HTTP status plus its JSON error body.
class ApiError : public std::runtime_error {
 public:
  ApiError(int status, std::string code, const std::string& message)
      : std::runtime_error(message), status_(status), code_(std::move(code)) {}
  int status() const { return status_; }
  const std::string& code() const { return code_; }

 private:
  int status_;
  std::string code_;
};

ApiError bad_parameter(const std::string& message);  // 400 InvalidRESTParameterError
ApiError bad_query(const std::string& message);      // 400 ODSQLError

struct TimeComparison {
  enum class Operator { less, less_or_equal, greater, greater_or_equal, equal };
  Operator op;
  Seconds value;
  bool accepts(Seconds t) const;
};

// Every comparison of a `where`; an empty filter accepts everything.
struct TimeFilter {
  std::vector<TimeComparison> comparisons;
  bool accepts(Seconds t) const;
};

// `heure_de_paris >= date'2026-11-20T00:00:00Z' AND heure_de_paris < "2026-11-21T00:00:00+01:00"`.
// Keywords are case-insensitive; parentheses are allowed. Throws ApiError (400) on a field the
// dataset lacks, a field other than its time field, or anything unparseable.
TimeFilter parse_where(std::string_view where, const Dataset& dataset);

// `heure_de_paris`, `heure_de_paris asc` or `heure_de_paris desc`; true for descending.
bool parse_descending(std::string_view order_by, const Dataset& dataset);

// "field, field": indices into dataset.fields in the order asked; all fields for "" or "*".
std::vector<std::size_t> parse_select(std::string_view select, const Dataset& dataset);

struct Paging {
  long long limit = 10;  // -1: no limit (exports only)
  long long offset = 0;
};

// Records and catalogue listings: limit 10 by default, at most 100, and offset + limit at most
// 10 000. Exports: no limit by default.
Paging records_paging(const std::optional<std::string>& limit,
                      const std::optional<std::string>& offset);
Paging exports_paging(const std::optional<std::string>& limit,
                      const std::optional<std::string>& offset);

// The catalogue's `where`, read loosely: `dataset_id like "station-meteo"` or
// `search("meteo")` keep the datasets whose id (or, for search, title) contains the text;
// anything else filters nothing.
struct CatalogueFilter {
  std::string text;  // lower case
  bool titles_too = false;
  bool accepts(const Dataset& dataset) const;
};
std::optional<CatalogueFilter> parse_catalogue_where(std::string_view where);

}  // namespace portal_sim
