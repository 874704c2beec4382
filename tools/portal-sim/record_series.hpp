// One measurement dataset's records: a quarter-hourly series with the real portal's blemishes
// (missing slots, a repeated record a day, a late correction, a row from the future), rendered
// on demand from the weather model.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "civil_time.hpp"
#include "planted_events.hpp"
#include "portal_catalogue.hpp"
#include "weather_model.hpp"

namespace portal_sim {

inline constexpr Seconds kSlotLength = 15 * kMinute;
inline constexpr Seconds kFutureLead = 2 * kDay;

struct SeriesOptions {
  std::uint64_t seed = 1;
  Seconds from = 0;  // the first slot; slots follow every 15 minutes
  Seconds now = 0;   // exclusive: the quarter-hour starting at `now` is not published yet
  int revision = 0;  // >= 1: the record an hour before `now` carries a +0.5 °C correction
  bool future_row = true;
  bool overflow_row = false;         // one record's temperature is 1e309 (see below)
  std::vector<PlantedEvent> events;  // override the generated values (planted_events.hpp)
};

// Conventions (documented in main.cpp's help as well):
// - slots are from + k * 15 min for every slot in [from, now);
// - gaps: about 2% of slots are missing, decided per slot by hash; never the first slot, never
//   a slot on the full hour (UTC), never a day's duplicated slot. They do not depend on `now`,
//   so two runs at different `now` agree on their common history;
// - duplicates: per UTC day, one slot chosen by hash appears twice in a row, identical;
// - revision: the corrected record is the one at now - 1 h (the latest at or before it when
//   now - 1 h is not a full hour that the series holds);
// - future row: one extra record at now + 2 days, after every other record;
// - events: applied to the generated reading before anything else (the raw message included);
// - overflow row: the record at now - 2 h (the latest held once at or before it) gives its
//   temperature_en_degre_c as 1e309: valid JSON grammar, but past a double's range.
class RecordSeries {
 public:
  RecordSeries(const Dataset& dataset, const WeatherModel& weather, const SeriesOptions& options);

  // The instant of every record the portal holds that `keep` accepts, oldest first; a
  // duplicated record appears twice in a row.
  std::vector<Seconds> record_times(const std::function<bool(Seconds)>& keep) const;
  std::size_t record_count() const;

  // One record as compact JSON: the given columns (indices into dataset.fields) in that order.
  std::string render(Seconds at, const std::vector<std::size_t>& columns) const;
  std::vector<std::size_t> all_columns() const;

 private:
  bool is_gap(Seconds slot) const;
  bool is_duplicated(Seconds slot) const;
  std::optional<Seconds> corrected_slot() const;
  std::optional<Seconds> overflowed_slot() const;

  const Dataset& dataset_;
  const WeatherModel& weather_;
  SeriesOptions options_;
  std::optional<Seconds> corrected_;
  std::optional<Seconds> overflowed_;
  std::vector<std::string> quoted_names_;
};

}  // namespace portal_sim
