// How a loaded record compares with what is stored: the store classifies, the aggregates add only
// what is new.
#pragma once

namespace meteo {

enum class Change { fresh, unchanged, corrected };

}  // namespace meteo
