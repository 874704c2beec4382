/* meteo-etl dashboard, the "Période" view's arithmetic: a station's figures over local days
 * [from, to) from data/daily-<source>.json, by the rule of `meteo-etl query period`
 * (docs/operations.md, "A period per station"): the mean of the daily means (temperature,
 * pressure, wind), the lowest daily minimum and highest daily maximum, the highest gust, the rain
 * total, the heavy-rain days and the days observed (days with a row). A figure no day has is null.
 * Classic script (window.MeteoPeriod) so the page needs no bundler; node loads it for the tests. */
(function (root) {
  'use strict';

  // The figures of a period, in the order and with the names of `query period --format json`.
  const FIGURES = ['days_observed', 'temperature_mean', 'temperature_min', 'temperature_max',
    'pressure_mean', 'wind_mean', 'gust_max', 'rain_sum', 'heavy_rain_days'];
  // The daily columns of the file, in the order the day rows and their CSV show them.
  const DAY_COLUMNS = ['temperature_mean', 'temperature_min', 'temperature_max', 'pressure_mean',
    'wind_mean', 'gust_max', 'rain_sum', 'hours_observed', 'heavy_rain'];

  const DAY_MS = 86400e3;
  const DATE = /^\d{4}-\d{2}-\d{2}$/;
  // Local dates as UTC midnights: calendar arithmetic without the browser's time zone.
  function dayNumber(date) {
    if (!DATE.test(date)) throw new Error('not a date (YYYY-MM-DD): ' + date);
    const ms = Date.parse(date + 'T00:00:00Z');
    if (Number.isNaN(ms)) throw new Error('not a date (YYYY-MM-DD): ' + date);
    return Math.round(ms / DAY_MS);
  }
  const dateOf = (n) => new Date(n * DAY_MS).toISOString().slice(0, 10);
  const addDays = (date, n) => dateOf(dayNumber(date) + n);
  const daysBetween = (from, to) => dayNumber(to) - dayNumber(from);

  // Every date of [from, to), gaps included: the charts' axis.
  function datesOf(from, to) {
    const dates = [];
    for (let n = dayNumber(from); n < dayNumber(to); n++) dates.push(dateOf(n));
    return dates;
  }

  // The period of the same length as [from, to) that starts on `compareFrom`, as `--compare-to`
  // gives it; null when it does not start before `from` (query period refuses it).
  function comparisonPeriod(from, to, compareFrom) {
    if (!compareFrom || dayNumber(compareFrom) >= dayNumber(from)) return null;
    return { from: compareFrom, to: addDays(compareFrom, daysBetween(from, to)) };
  }

  // The station's day rows of [from, to), one per date: a date without a row is
  // { day, observed: false } with every figure null (drawn as a gap, never as 0).
  function stationDays(station, from, to) {
    const index = new Map(station.days.map((d, i) => [d, i]));
    return datesOf(from, to).map((day) => {
      const i = index.get(day);
      const row = { day, observed: i !== undefined };
      DAY_COLUMNS.forEach((c) => { row[c] = i === undefined ? null : station[c][i]; });
      return row;
    });
  }

  // SQL's aggregates over the rows: NULLs ignored, null when no row has a value.
  const present = (rows, c) => rows.map((r) => r[c]).filter((v) => v !== null && v !== undefined);
  function mean(rows, c) {
    const values = present(rows, c);
    return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
  }
  function sum(rows, c) {
    const values = present(rows, c);
    return values.length ? values.reduce((a, b) => a + b, 0) : null;
  }
  const extreme = (pick) => (rows, c) => {
    const values = present(rows, c);
    return values.length ? pick(...values) : null;
  };
  const minimum = extreme(Math.min);
  const maximum = extreme(Math.max);

  // The period's figures of one station, as query period computes them.
  function periodFigures(station, from, to) {
    const rows = stationDays(station, from, to).filter((r) => r.observed);
    return {
      days_observed: rows.length,
      temperature_mean: mean(rows, 'temperature_mean'),
      temperature_min: minimum(rows, 'temperature_min'),
      temperature_max: maximum(rows, 'temperature_max'),
      pressure_mean: mean(rows, 'pressure_mean'),
      wind_mean: mean(rows, 'wind_mean'),
      gust_max: maximum(rows, 'gust_max'),
      rain_sum: sum(rows, 'rain_sum'),
      heavy_rain_days: rows.filter((r) => r.heavy_rain === true).length,
    };
  }

  // Each figure of the period minus that of the comparison; null when either is null.
  function differences(figures, compared) {
    const out = {};
    FIGURES.forEach((f) => {
      out[f] = figures[f] === null || compared[f] === null ? null : figures[f] - compared[f];
    });
    return out;
  }

  // ---- CSV (RFC 4180: CRLF, fields quoted when they hold a comma, a quote or a line break) ----
  function csvField(value) {
    if (value === null || value === undefined) return '';
    const text = typeof value === 'boolean' ? (value ? '1' : '0') : String(value);
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }
  const csvText = (header, rows) => [header].concat(rows).map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';

  const FIGURE_HEADERS = ['From', 'To', 'DaysObserved', 'TemperatureMean', 'TemperatureMin',
    'TemperatureMax', 'PressureMean', 'WindMean', 'GustMax', 'RainSum', 'HeavyRainDays'];
  // The cards as a CSV with the columns of `query period --format csv` (Compare... columns when
  // there is a comparison). entries: [{ source, station, period: {from, to}, figures,
  // compare: {from, to} | null, compareFigures }].
  function figuresCsv(entries) {
    const comparing = entries.some((e) => e.compare);
    const header = ['Source', 'Station', 'Name'].concat(FIGURE_HEADERS,
      comparing ? FIGURE_HEADERS.map((h) => 'Compare' + h) : []);
    const cells = (p, f) => [p.from, p.to].concat(FIGURES.map((k) => f[k]));
    const rows = entries.map((e) => [e.source, e.station.key, e.station.name]
      .concat(cells(e.period, e.figures), comparing ? cells(e.compare, e.compareFigures) : []));
    return csvText(header, rows);
  }

  // The charts' days as a CSV: a row per station and date of the period, empty cells on gaps.
  function daysCsv(entries) {
    const header = ['Source', 'Station', 'Name', 'Day', 'TemperatureMean', 'TemperatureMin',
      'TemperatureMax', 'PressureMean', 'WindMean', 'GustMax', 'RainSum', 'HoursObserved', 'HeavyRain'];
    const rows = [];
    entries.forEach((e) => stationDays(e.station, e.period.from, e.period.to).forEach((d) => {
      rows.push([e.source, e.station.key, e.station.name, d.day].concat(DAY_COLUMNS.map((c) => d[c])));
    }));
    return csvText(header, rows);
  }

  root.MeteoPeriod = {
    FIGURES, addDays, daysBetween, datesOf, comparisonPeriod, stationDays, periodFigures,
    differences, figuresCsv, daysCsv, csvField,
  };
})(typeof window !== 'undefined' ? window : globalThis);
