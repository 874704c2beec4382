#!/usr/bin/env python3
"""Prints the ratio tables of a meteo_micro_bench JSON report (Markdown), as bench/micro.sh does.

Google Benchmark measures each benchmark alone; the ratios between a component and its baseline
are computed here:
  matcher  indexed vs GEOS points per second, per region file (goal: >= 10)
  parser   parse_sensor_payload vs nlohmann's SAX parser with a do-nothing handler
  writer   load_run vs a 1000-row multi-row INSERT and vs LOAD DATA LOCAL INFILE, rows per second

usage: ratio_table.py REPORT.json
"""
import json
import sys

MATCHER_GOAL = 10.0
REGION_FILES = ["regions", "departements", "communes"]


def load_runs(path):
    """Benchmark name (without /real_time) -> its run, the median when repeated, None if it did
    not run; and name -> error message for those."""
    with open(path, encoding="utf-8") as report:
        document = json.load(report)
    runs, errors = {}, {}
    for run in document["benchmarks"]:
        name = run["run_name"].removesuffix("/real_time")
        if run.get("error_occurred"):
            runs[name] = None
            errors[name] = run.get("error_message", "")
        elif run.get("run_type") == "aggregate":
            if run.get("aggregate_name") == "median":
                runs[name] = run
        elif name not in runs:
            runs[name] = run
    return document["context"], runs, errors


def rate(runs, name, counter="items_per_second"):
    run = runs.get(name)
    return None if run is None else run.get(counter)


def number(value, digits=0):
    return "n/a" if value is None else f"{value:,.{digits}f}"


def times(value, digits):
    return "n/a" if value is None else f"{value:,.{digits}f}x"


def ratio(numerator, denominator):
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def matcher_table(runs):
    print("| file | regions | GEOS points/s | indexed points/s | indexed / GEOS | goal >= 10 "
          "| bbox points/s | index build (ms) | index memory (KiB) | border leaves | depth |")
    print("|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|")
    shortfalls = []
    for region_file in REGION_FILES:
        geos = rate(runs, f"BM_Match/geos/{region_file}")
        indexed = rate(runs, f"BM_Match/indexed/{region_file}")
        bbox = rate(runs, f"BM_Match/bbox/{region_file}")
        build = runs.get(f"BM_IndexBuild/{region_file}")
        index = runs.get(f"BM_Match/indexed/{region_file}") or {}
        speedup = ratio(indexed, geos)
        met = "n/a" if speedup is None else ("yes" if speedup >= MATCHER_GOAL else "**no**")
        if speedup is not None and speedup < MATCHER_GOAL:
            shortfalls.append(f"{region_file}: {speedup:.1f}x")
        build_ms = None if build is None else build["real_time"] * _to_ms(build["time_unit"])
        memory = index.get("index_memory_bytes")
        print(f"| {region_file} | {number(index.get('regions'))} | {number(geos)} "
              f"| {number(indexed)} | {times(speedup, 1)} | {met} | {number(bbox)} "
              f"| {number(build_ms, 1)} | {number(None if memory is None else memory / 1024)} "
              f"| {number(index.get('index_border_leaves'))} | {number(index.get('index_depth'))} |")
    return shortfalls


def _to_ms(unit):
    return {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}[unit]


def parser_table(runs):
    ours = runs.get("BM_ParseSensorPayload")
    archived = runs.get("BM_ParseSensorPayloadFromArchive")
    sax = runs.get("BM_NlohmannSaxBaseline")
    simdjson = runs.get("BM_SimdjsonOnDemandBaseline")
    print("| parser | MB/s | readings/s | vs SAX | vs simdjson |")
    print("|---|---:|---:|---:|---:|")
    for label, run in (("parse_sensor_payload, body in memory", ours),
                       ("parse_sensor_payload, streamed from its gzip archive file", archived),
                       ("simdjson on-demand, reading every field", simdjson),
                       ("nlohmann SAX, do-nothing handler", sax)):
        bytes_rate = None if run is None else run["bytes_per_second"] / 1e6
        items_rate = None if run is None else run["items_per_second"]
        versus = [ratio(items_rate, None if base is None else base["items_per_second"])
                  for base in (sax, simdjson)]
        print(f"| {label} | {number(bytes_rate, 1)} | {number(items_rate)} "
              f"| {times(versus[0], 2)} | {times(versus[1], 2)} |")


def writer_table(runs):
    load_run = rate(runs, "BM_LoadRun")
    print("| writer | rows/s | ms per batch | load_run's speed relative to this row |")
    print("|---|---:|---:|---:|")
    for label, name in (("load_run (whole run transaction)", "BM_LoadRun"),
                        ("multi-row INSERT ... ON DUPLICATE KEY UPDATE, 1000 rows/statement",
                         "BM_MultiRowInsertBaseline"),
                        ("LOAD DATA LOCAL INFILE", "BM_LoadDataLocalInfileBaseline")):
        run = runs.get(name)
        rows_rate = rate(runs, name)
        batch_ms = None if run is None else run["real_time"] * _to_ms(run["time_unit"])
        label_note = f" ({run['label']})" if run and run.get("label") else ""
        print(f"| {label}{label_note} | {number(rows_rate)} | {number(batch_ms, 1)} "
              f"| {times(ratio(load_run, rows_rate), 2)} |")


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 64
    context, runs, errors = load_runs(argv[1])
    print(f"Scale: {context.get('meteo_scale', '?')}; {context.get('num_cpus')} CPUs at "
          f"{context.get('mhz_per_cpu')} MHz; library build: {context.get('library_build_type')}")
    print("\n### Matcher (points per second, CPU time)\n")
    shortfalls = matcher_table(runs)
    print("\n### Parser (CPU time)\n")
    parser_table(runs)
    print("\n### Writer (wall-clock time, rows per second)\n")
    writer_table(runs)
    if shortfalls:
        print(f"\nBelow the matcher goal of {MATCHER_GOAL:g}x: " + ", ".join(shortfalls))
    for name, message in sorted(errors.items()):
        verdict = "Not measured" if message.startswith("unavailable: ") else "Failed"
        print(f"\n{verdict}: {name}: {message}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
