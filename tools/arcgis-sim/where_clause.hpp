// The part of ArcGIS's SQL-92 `where` the simulator understands: `1=1`, `field = 'text'`,
// `field >= TIMESTAMP 'YYYY-MM-DD HH:MM:SS'`, `field < TIMESTAMP '...'`, joined by AND, with
// parentheses. Everything else is refused, as ArcGIS refuses what it cannot run.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "feature_table.hpp"

namespace arcgis_sim {

// Why a where clause was refused; the message goes into the ArcGIS error answer.
class WhereError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Only AND joins conditions, so a clause is the list of conditions that must all hold.
class WhereClause {
 public:
  // Throws WhereError. An empty text is `1=1`.
  static WhereClause parse(const std::string& text, const FeatureTable& table);
  bool accepts(const Feature& feature) const;

  enum class Test { equals, at_least, before };
  struct Condition {
    std::size_t field = 0;
    Test test = Test::equals;
    std::string text;    // equals
    Millis instant = 0;  // at_least, before
  };

 private:
  std::vector<Condition> conditions_;
};

}  // namespace arcgis_sim
