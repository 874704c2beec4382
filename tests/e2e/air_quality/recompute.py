#!/usr/bin/env python3
"""An independent recomputation of the air-quality figures from a hub CSV, compared with the
tables meteo-etl wrote. Written from docs/design/air-quality.md sections 3.3 and 5 alone, sharing
no code with the C++: stdlib only.

usage: recompute.py CSV DIR
DIR holds what the C++ test dumped from the database, tab-separated as the rows come:
  thresholds.tsv   pollutant level valid_from basis threshold
  breakpoints.tsv  method valid_from pollutant class upper(NULL: none) basis
  hourly.tsv       station pollutant measured_at value validated
  daily.tsv        station pollutant day mean max hours validated_hours representative sub_index
  exceedances.tsv  station pollutant level basis start end periods peak peak_at
  index.tsv        station day class dominant sub_indices
Exits 0 when every table equals the recomputation (doubles within 1e-9 relative), else 1 and
prints the first differences.
"""
import csv
import datetime as dt
import math
import sys
from collections import defaultdict

FLOOR = -5.0
UNITS = {"ug.m-3"}
NAMES = {"NO2": "NO2", "NO": "NO", "NOX as NO2": "NOX", "O3": "O3", "PM10": "PM10",
         "PM2.5": "PM2.5", "SO2": "SO2", "H2S": "H2S", "CO": "CO", "C6H6": "C6H6"}
TIE_ORDER = ["SO2", "NO2", "O3", "PM10", "PM2.5"]
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)


def hub_time(text):
    return dt.datetime.strptime(text.strip(), "%Y-%m-%dT%H:%M:%S.%fZ")


def read_measurements(path):
    """(station, pollutant, hour) -> (value, validated), after validation and dedupe."""
    kept = {}
    with open(path, encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            row = {k.strip(): v for k, v in row.items()}
            name = NAMES.get(row["nom_poll"].strip())
            if name is None or row["unite"].strip() not in UNITS:
                continue
            if row["metrique"].strip() != "horaire":
                continue
            try:
                value = float(row["valeur"])
            except ValueError:
                continue
            if not math.isfinite(value) or value < FLOOR:
                continue
            start, end = hub_time(row["date_debut"]), hub_time(row["date_fin"])
            if end - start != HOUR or start.minute or start.second:
                continue
            validated = row["statut_valid"].strip().lower() in ("t", "true", "1")
            key = (row["code_station"].strip(), name, start)
            candidate = (validated, int(row["ObjectId"]), value)
            # A validated value wins over a provisional one, then the higher ObjectId.
            if key not in kept or candidate[:2] > kept[key][:2]:
                kept[key] = candidate
    return {key: (value, validated) for key, (validated, _, value) in kept.items()}


def read_tsv(directory, name):
    with open(f"{directory}/{name}", encoding="utf-8") as f:
        return [line.rstrip("\n").split("\t") for line in f if line.strip()]


def daily_figures(hourly):
    days = defaultdict(list)
    for (station, pollutant, hour), (value, validated) in hourly.items():
        days[(station, pollutant, hour.date())].append((value, validated))
    daily = {}
    for key, values in days.items():
        numbers = [v for v, _ in values]
        daily[key] = {"mean": sum(numbers) / len(numbers), "max": max(numbers),
                      "hours": len(numbers), "validated": sum(1 for _, ok in values if ok),
                      "representative": len(numbers) >= 18}
    return daily


def breakpoint_sets(rows):
    """pollutant -> [(valid_from, basis, [(class, upper or None)])]"""
    grouped = defaultdict(lambda: defaultdict(list))
    for method, valid_from, pollutant, index_class, upper, basis in rows:
        grouped[pollutant][(dt.date.fromisoformat(valid_from), basis)].append(
            (int(index_class), None if upper == "NULL" else float(upper)))
    return {p: sorted((vf, basis, sorted(classes)) for (vf, basis), classes in sets.items())
            for p, sets in grouped.items()}


def sub_index(sets, pollutant, day, figures):
    candidates = [s for s in sets.get(pollutant, []) if s[0] <= day]
    if not candidates or not figures["representative"]:
        return None
    _, basis, classes = max(candidates, key=lambda s: s[0])
    value = figures["max"] if basis == "max_hourly" else figures["mean"]
    for index_class, upper in classes:
        if upper is None or value <= upper:
            return index_class
    return None


def runs(periods, step):
    """Maximal runs of consecutive periods (sorted (moment, value) pairs)."""
    out, current = [], []
    for moment, value in periods:
        if current and moment - current[-1][0] != step:
            out.append(current)
            current = []
        current.append((moment, value))
    if current:
        out.append(current)
    return out


def exceedances(hourly, daily, thresholds):
    rows = {}
    series = defaultdict(list)
    for (station, pollutant, hour), (value, _) in hourly.items():
        series[(station, pollutant)].append((hour, value))
    day_series = defaultdict(list)
    for (station, pollutant, day), figures in daily.items():
        if figures["representative"]:
            day_series[(station, pollutant)].append(
                (dt.datetime.combine(day, dt.time()), figures["mean"]))
    for pollutant, level, valid_from, basis, threshold in thresholds:
        threshold = float(threshold)
        source = series if basis == "hourly" else day_series
        step = HOUR if basis == "hourly" else DAY
        for (station, p), values in source.items():
            if p != pollutant:
                continue
            above = sorted((m, v) for m, v in values if v > threshold
                           and m.date() >= dt.date.fromisoformat(valid_from))
            for run in runs(above, step):
                peak = max(v for _, v in run)
                rows[(station, pollutant, level, basis, run[0][0])] = {
                    "end": run[-1][0] + step, "periods": len(run), "peak": peak,
                    "peak_moments": {m for m, v in run if v == peak}}
    return rows


def index_rows(daily, sets):
    subs = defaultdict(dict)
    for (station, pollutant, day), figures in daily.items():
        index_class = sub_index(sets, pollutant, day, figures)
        if index_class is not None:
            subs[(station, day)][pollutant] = index_class
    out = {}
    for key, by_pollutant in subs.items():
        worst = max(by_pollutant.values())
        dominant = next(p for p in TIE_ORDER if by_pollutant.get(p) == worst)
        out[key] = (worst, dominant, len(by_pollutant))
    return out, subs


def same(a, b):
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-12)


def when(text):
    return dt.datetime.fromisoformat(text)


class Differences:
    def __init__(self):
        self.lines = []

    def add(self, text):
        self.lines.append(text)

    def compare_keys(self, table, expected, stored):
        for key in sorted(set(expected) - set(stored), key=str)[:5]:
            self.add(f"{table}: missing {key}")
        for key in sorted(set(stored) - set(expected), key=str)[:5]:
            self.add(f"{table}: unexpected {key}")


def main(csv_path, directory):
    hourly = read_measurements(csv_path)
    daily = daily_figures(hourly)
    sets = breakpoint_sets(read_tsv(directory, "breakpoints.tsv"))
    expected_exceedances = exceedances(hourly, daily, read_tsv(directory, "thresholds.tsv"))
    expected_index, subs = index_rows(daily, sets)
    diff = Differences()

    stored = {(s, p, when(h)): (v, ok) for s, p, h, v, ok in read_tsv(directory, "hourly.tsv")}
    diff.compare_keys("hourly", hourly, stored)
    for key in set(hourly) & set(stored):
        value, validated = hourly[key]
        if not same(value, stored[key][0]) or int(validated) != int(stored[key][1]):
            diff.add(f"hourly {key}: expected {hourly[key]}, stored {stored[key]}")

    stored = {(s, p, dt.date.fromisoformat(d)): rest
              for s, p, d, *rest in read_tsv(directory, "daily.tsv")}
    diff.compare_keys("daily", daily, stored)
    for key in set(daily) & set(stored):
        f = daily[key]
        mean, high, hours, validated, representative, sub = stored[key]
        expected_sub = subs.get((key[0], key[2]), {}).get(key[1])
        if not (same(f["mean"], mean) and same(f["max"], high) and f["hours"] == int(hours)
                and f["validated"] == int(validated)
                and int(f["representative"]) == int(representative)
                and (sub == "NULL" and expected_sub is None or sub == str(expected_sub))):
            diff.add(f"daily {key}: expected {f} sub-index {expected_sub}, stored {stored[key]}")

    stored = {(s, p, level, basis, when(start)): rest
              for s, p, level, basis, start, *rest in read_tsv(directory, "exceedances.tsv")}
    diff.compare_keys("exceedances", expected_exceedances, stored)
    for key in set(expected_exceedances) & set(stored):
        e = expected_exceedances[key]
        end, periods, peak, peak_at = stored[key]
        if not (when(end) == e["end"] and int(periods) == e["periods"] and same(peak, e["peak"])
                and when(peak_at) in e["peak_moments"]):
            diff.add(f"exceedance {key}: expected {e}, stored {stored[key]}")

    stored = {(s, dt.date.fromisoformat(d)): (int(c), dom, int(n))
              for s, d, c, dom, n in read_tsv(directory, "index.tsv")}
    diff.compare_keys("index", expected_index, stored)
    for key in set(expected_index) & set(stored):
        if expected_index[key] != stored[key]:
            diff.add(f"index {key}: expected {expected_index[key]}, stored {stored[key]}")

    print(f"hourly {len(hourly)}, daily {len(daily)}, exceedances {len(expected_exceedances)}, "
          f"index {len(expected_index)}")
    for line in diff.lines[:40]:
        print(line)
    return 1 if diff.lines else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
