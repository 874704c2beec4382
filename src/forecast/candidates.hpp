// The two reference candidates, persistence and diurnal persistence, and the day's maximum they
// and the linear model forecast for tomorrow. Each is a forecast issued at `origin` (an hour of
// the History): it reads no hour after the origin.
#pragma once

#include "history.hpp"

namespace meteo::forecast {

// An origin's latest temperature: its own hour, else the newest of the two before (a single
// missing hour should not silence every forecast of a run). NaN when all three are missing.
double persistence(const History& history, HourIndex origin);

// The temperature at the target's hour of the latest day before it that the origin has seen
// (yesterday's for horizons up to 24 hours).
double diurnal_persistence(const History& history, HourIndex origin, int horizon_h);

// The maximum of the UTC day that starts at day_start, when at least kMinDayHours of its hours
// were observed and the whole day is at or before the origin's latest hour `seen`; NaN otherwise.
inline constexpr int kMinDayHours = 20;
double day_maximum(const History& history, HourIndex day_start, HourIndex seen);

// The first hour of the day after the origin's (the target of tomorrow's maximum).
HourIndex tomorrow_start(const History& history, HourIndex origin);

// The maximum of the last complete UTC day the origin has seen: today's when the origin is the
// day's last hour, yesterday's otherwise.
double persistence_day_maximum(const History& history, HourIndex origin);

}  // namespace meteo::forecast
