// Météo-France's SYNOP dataset as public.opendatasoft.com serves it: ONE dataset,
// donnees-synop-essentielles-omm, holding every station, one record per station every three
// hours (00, 03, ..., 21 UTC). The stations are a small table of real French SYNOP stations; the
// values come from a simple weather model, deterministic from the seed.
//
// Conventions (documented in main.cpp's help as well):
// - records at every synoptic hour in [from, now), ordered by date, then by the station table;
// - one station (07558 MILLAU) is added mid-period: its first record is the first synoptic hour
//   at or after from + 14 days;
// - gaps: about one record in 250 is missing, decided per (station, instant) by hash, never a
//   station's first record; they do not depend on `now`;
// - units as on the portal: t, tn12, tx12, tn24, tx24 in kelvin (t = tc + 273.15), pmer and
//   pres in Pa, ff and raf10 in m/s (raf10 >= ff, null on about one record in five), rr* in mm;
// - rain: rr1, rr3, rr6, rr12 and rr24 are the rain of the 1/3/6/12/24 hours ending at the
//   record, summed from one hourly series, so rr6 = this rr3 + the previous one, and so on. A
//   window with no measurable rain but a trace gives -0.1: read as "between 0 and 0.1 mm", the
//   windows are ordered rr1 <= rr3 <= rr6 <= rr12 <= rr24;
// - nulls: rr12, tn12 and tx12 only at 06 and 18 UTC; rr24, tn24 and tx24 only at 06 UTC.
//   tn12/tx12 (tn24/tx24) are the lowest/highest t of the records of the 12 (24) hours ending
//   at the record.
// --revision, --future-row, --overflow-row and --events do not apply to it.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "portal_catalogue.hpp"
#include "record_series.hpp"

namespace portal_sim {

inline constexpr std::string_view kSynopDatasetId = "donnees-synop-essentielles-omm";
inline constexpr Seconds kSynopInterval = 3 * kHour;
inline constexpr Seconds kSynopLateStart = 14 * kDay;  // the added station's delay after --from

// The catalogue entry: schema, metas, time field `date`.
Dataset synop_dataset();

class SynopSeries {
 public:
  struct Record {
    Seconds at;
    std::size_t station;  // index into the station table
  };

  SynopSeries(const Dataset& dataset, const SeriesOptions& options);

  // Every record whose date `keep` accepts, by date then station.
  std::vector<Record> records(const std::function<bool(Seconds)>& keep) const;
  std::size_t record_count() const;

  // One record as compact JSON, or as a `;`-separated CSV line without its end of line: the
  // given columns (indices into dataset.fields) in that order.
  std::string render_json(const Record& record, const std::vector<std::size_t>& columns) const;
  std::string render_csv(const Record& record, const std::vector<std::size_t>& columns) const;
  std::string csv_header(const std::vector<std::size_t>& columns) const;

 private:
  bool holds(std::size_t station, Seconds at) const;
  Seconds first_record(std::size_t station) const;
  std::vector<ordered_json> values(const Record& record) const;

  const Dataset& dataset_;
  SeriesOptions options_;
};

}  // namespace portal_sim
