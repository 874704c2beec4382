// The "Période" view's arithmetic (web/src/period.js), without a browser: the rule of
// `meteo-etl query period` on days with gaps and missing values, the comparison period and the CSV.
// Run: node --test web/tests/period.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';

await import('../src/period.js');
const P = globalThis.MeteoPeriod;

// Four days in the file, 3 March missing: the columns as data/daily-<source>.json writes them.
const station = {
  key: '01-station-meteo-toulouse-meteopole', name: 'Meteopole', commune: 'Toulouse',
  days: ['2026-03-01', '2026-03-02', '2026-03-04', '2026-03-05'],
  temperature_mean: [10, 12.5, null, 4],
  temperature_min: [5, 8, null, -1.5],
  temperature_max: [14, 17, null, 9],
  pressure_mean: [1010, null, 1000, 1020],
  wind_mean: [10, 20, 30, null],
  gust_max: [40, 55.5, null, 20],
  rain_sum: [0, 12, null, 3.5],
  hours_observed: [24, 24, 2, 20],
  heavy_rain: [false, true, null, false],
};

test('period figures: means of the daily means, extremes, total, heavy-rain and observed days', () => {
  const f = P.periodFigures(station, '2026-03-01', '2026-03-06');
  assert.deepEqual(f, {
    days_observed: 4, // 3 March has no row
    temperature_mean: (10 + 12.5 + 4) / 3, // a day's null is left out, as SQL's AVG does
    temperature_min: -1.5,
    temperature_max: 17,
    pressure_mean: (1010 + 1000 + 1020) / 3,
    wind_mean: (10 + 20 + 30) / 3,
    gust_max: 55.5,
    rain_sum: 15.5,
    heavy_rain_days: 1,
  });
});

test('period figures: --to is excluded and a period without rows is 0 days and nulls', () => {
  const f = P.periodFigures(station, '2026-03-01', '2026-03-02');
  assert.equal(f.days_observed, 1);
  assert.equal(f.temperature_max, 14);
  const empty = P.periodFigures(station, '2026-02-01', '2026-02-10');
  assert.equal(empty.days_observed, 0);
  assert.equal(empty.heavy_rain_days, 0);
  for (const k of ['temperature_mean', 'temperature_min', 'temperature_max', 'pressure_mean',
    'wind_mean', 'gust_max', 'rain_sum']) assert.equal(empty[k], null, k);
});

test('days: one per date of the period, a missing day all null (a gap, not 0)', () => {
  const days = P.stationDays(station, '2026-03-02', '2026-03-05');
  assert.deepEqual(days.map((d) => d.day), ['2026-03-02', '2026-03-03', '2026-03-04']);
  assert.equal(days[1].observed, false);
  assert.equal(days[1].temperature_mean, null);
  assert.equal(days[1].rain_sum, null);
  assert.equal(days[2].observed, true);
  assert.equal(days[2].temperature_mean, null); // a row without temperature stays null
  assert.equal(days[2].pressure_mean, 1000);
});

test('comparison period: the same length from an earlier day, across months and leap days', () => {
  assert.deepEqual(P.comparisonPeriod('2026-03-01', '2026-03-06', '2025-03-01'),
    { from: '2025-03-01', to: '2025-03-06' });
  assert.deepEqual(P.comparisonPeriod('2024-03-01', '2024-03-31', '2024-02-15'),
    { from: '2024-02-15', to: '2024-03-16' }); // 30 days, 2024-02 has 29
  assert.equal(P.comparisonPeriod('2026-03-01', '2026-03-06', '2026-03-01'), null);
  assert.equal(P.comparisonPeriod('2026-03-01', '2026-03-06', ''), null);
  assert.deepEqual(P.datesOf('2026-10-24', '2026-10-27'), ['2026-10-24', '2026-10-25', '2026-10-26']);
});

test('differences: figure minus comparison, null when either is null', () => {
  const a = P.periodFigures(station, '2026-03-04', '2026-03-06');
  const b = P.periodFigures(station, '2026-03-01', '2026-03-03');
  const d = P.differences(a, b);
  assert.equal(d.temperature_mean, 4 - 11.25);
  assert.equal(d.days_observed, 0);
  assert.equal(d.rain_sum, 3.5 - 12);
  assert.equal(P.differences(P.periodFigures(station, '2026-02-01', '2026-02-02'), a).temperature_mean, null);
});

test('CSV of the figures: the columns of query period --format csv, CRLF, nulls empty, quoting', () => {
  const entry = {
    source: 'toulouse', station: { ...station, name: 'Meteo, "pole"' },
    period: { from: '2026-03-04', to: '2026-03-06' },
    figures: P.periodFigures(station, '2026-03-04', '2026-03-06'),
    compare: { from: '2026-03-01', to: '2026-03-03' },
    compareFigures: P.periodFigures(station, '2026-03-01', '2026-03-03'),
  };
  const lines = P.figuresCsv([entry]).split('\r\n');
  assert.equal(lines[0], 'Source,Station,Name,From,To,DaysObserved,TemperatureMean,TemperatureMin,'
    + 'TemperatureMax,PressureMean,WindMean,GustMax,RainSum,HeavyRainDays,CompareFrom,CompareTo,'
    + 'CompareDaysObserved,CompareTemperatureMean,CompareTemperatureMin,CompareTemperatureMax,'
    + 'ComparePressureMean,CompareWindMean,CompareGustMax,CompareRainSum,CompareHeavyRainDays');
  assert.equal(lines[1], 'toulouse,01-station-meteo-toulouse-meteopole,"Meteo, ""pole""",'
    + '2026-03-04,2026-03-06,2,4,-1.5,9,1010,30,20,3.5,0,'
    + '2026-03-01,2026-03-03,2,11.25,5,17,1010,15,55.5,12,1');
  assert.equal(lines[2], '');
  assert.equal(lines.length, 3);
  // Without a comparison: no Compare columns.
  const plain = P.figuresCsv([{ ...entry, compare: null }]).split('\r\n');
  assert.equal(plain[0].includes('Compare'), false);
  assert.equal(plain[1], 'toulouse,01-station-meteo-toulouse-meteopole,"Meteo, ""pole""",'
    + '2026-03-04,2026-03-06,2,4,-1.5,9,1010,30,20,3.5,0');
});

test('CSV of the days: every date of the period, empty cells on a gap', () => {
  const lines = P.daysCsv([{ source: 'toulouse', station, period: { from: '2026-03-02', to: '2026-03-04' } }])
    .trimEnd().split('\r\n');
  assert.equal(lines[0], 'Source,Station,Name,Day,TemperatureMean,TemperatureMin,TemperatureMax,'
    + 'PressureMean,WindMean,GustMax,RainSum,HoursObserved,HeavyRain');
  assert.equal(lines[1], 'toulouse,01-station-meteo-toulouse-meteopole,Meteopole,2026-03-02,12.5,8,17,,20,55.5,12,24,1');
  assert.equal(lines[2], 'toulouse,01-station-meteo-toulouse-meteopole,Meteopole,2026-03-03,,,,,,,,,');
  assert.equal(lines.length, 3);
});
