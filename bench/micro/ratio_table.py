#!/usr/bin/env python3
"""Prints the ratio tables of a meteo_micro_bench JSON report (Markdown), as bench/micro.sh does.

Google Benchmark measures each benchmark alone; the ratios between a component and its baseline
are computed here, as bench/e2e.sh computes its own: the i-th repetition of the component is paired
with the i-th repetition of its baseline (repetitions randomly interleaved by micro.sh), and a
ratio is the median of the per-pair ratios with their spread (min..max). A goal's verdict is yes
when every pair meets it, no when none does, ambiguous otherwise. Every rate is the median of
the repetitions (min..max).
  matcher  region index vs GEOS prepared points per second, per region file (goal: >= 10)
  parser   parse_sensor_payload vs simdjson on-demand and vs nlohmann's SAX parser (no goal:
           the issue's is against the nlohmann-based parser it replaced, not benchmarked here)
  writer   load_run vs LOAD DATA LOCAL INFILE and vs a 1000-row multi-row INSERT, rows per second

usage: ratio_table.py REPORT.json [--rows FILE]

--rows FILE writes one row per ratio in bench/e2e.sh's 8 columns (case, rows, tool, baseline,
ratio, goal, met, tool peak RSS MB), without a header, for one combined table. Exit status 1 when
a goal's verdict is ambiguous at full scale (as e2e.sh fails), 64 on a bad command line.
"""
import json
import sys

MATCHER_GOAL = 10.0
REGION_FILES = ["regions", "departements", "communes"]
MIN_SAMPLES = 5  # the least number of interleaved samples behind a figure


class Series:
    """One benchmark's repetitions in repetition order (the aggregates left aside)."""

    def __init__(self):
        self.runs = []
        self.error = None

    def values(self, counter):
        return [run[counter] for run in self.runs if counter in run]

    def first(self, counter):
        values = self.values(counter)
        return values[0] if values else None


def load_report(path):
    """The report's context and name (without /real_time) -> Series."""
    with open(path, encoding="utf-8") as report:
        document = json.load(report)
    series = {}
    for run in document["benchmarks"]:
        if run.get("run_type") == "aggregate":
            continue
        entry = series.setdefault(run["run_name"].removesuffix("/real_time"), Series())
        if run.get("error_occurred"):
            entry.error = run.get("error_message", "")
        else:
            entry.runs.append(run)
    for entry in series.values():
        entry.runs.sort(key=lambda run: run.get("repetition_index", 0))
    return document["context"], series


def median(values):
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def compact(value):
    """3 significant digits, with k or M: the bounds of a spread."""
    for scale, suffix in ((1e6, "M"), (1e3, "k")):
        if abs(value) >= scale:
            return f"{value / scale:.3g}{suffix}"
    return f"{value:.3g}"


def figure(values, digits=0):
    """"median (min..max)", or n/a without a value."""
    if not values:
        return "n/a"
    return f"{median(values):,.{digits}f} ({compact(min(values))}..{compact(max(values))})"


def pair_ratios(tool, baseline):
    """tool[i] / baseline[i] for each pair with both sides."""
    return [t / b for t, b in zip(tool, baseline) if b]


def ratio_figure(ratios):
    if not ratios:
        return "n/a"
    return f"{median(ratios):.2f} ({min(ratios):.2f}..{max(ratios):.2f})"


def verdict(ratios, goal):
    """e2e.sh's spread_verdict for a goal "ratio >= goal"."""
    if not ratios:
        return "n/a"
    met = [ratio >= goal for ratio in ratios]
    return "yes" if all(met) else "no" if not any(met) else "ambiguous"


class Report:
    """What the tables found: the 8-column rows, the goals missed, the ambiguous ones."""

    def __init__(self, tiny):
        self.tiny = tiny
        self.rows = []
        self.missed = []
        self.ambiguous = []

    def judge(self, case, ratios, goal):
        """The verdict of a ">= goal" ratio, noted when it is not a yes; none at tiny scale."""
        if self.tiny:
            return "n/a (tiny scale)"
        met = verdict(ratios, goal)
        spread = f"{min(ratios):.2f}..{max(ratios):.2f}" if ratios else ""
        if met == "no":
            self.missed.append(f"{case}: {ratio_figure(ratios)}x (goal >= {goal:g})")
        elif met == "ambiguous":
            self.ambiguous.append(f"{case}: pair ratios {spread} straddle the goal >= {goal:g}")
        return met

    def row(self, case, size, tool, baseline, ratios, goal="-", met="-"):
        self.rows.append(f"| {case} | {size} | {figure(tool)} | {figure(baseline)} "
                         f"| {ratio_figure(ratios)} | {goal} | {met} | - |")


def in_report(series, tool, baseline):
    """Whether both benchmarks ran (or failed): a ratio row for them, n/a where one failed."""
    return tool in series and baseline in series


def size_text(context, key, unit):
    count = context.get(key)
    return "-" if count is None else f"{int(count)} {unit}"


def matcher_table(series, context, report):
    print("| file | regions | GEOS points/s | indexed points/s | indexed / GEOS | goal >= 10 "
          "| bbox points/s | index build (ms) | index memory (KiB) | border leaves | depth |")
    print("|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|")
    empty = Series()
    for region_file in REGION_FILES:
        geos = series.get(f"BM_Match/geos/{region_file}", empty).values("items_per_second")
        index = series.get(f"BM_Match/indexed/{region_file}", empty)
        indexed = index.values("items_per_second")
        bbox = series.get(f"BM_Match/bbox/{region_file}", empty).values("items_per_second")
        build = series.get(f"BM_IndexBuild/{region_file}", empty)
        build_ms = [run["real_time"] * _to_ms(run["time_unit"]) for run in build.runs]
        ratios = pair_ratios(indexed, geos)
        case = f"matcher, {region_file}: points/s, region index vs GEOS prepared"
        met = report.judge(case, ratios, MATCHER_GOAL)
        memory = index.first("index_memory_bytes")
        print(f"| {region_file} | {_count(index.first('regions'))} | {figure(geos)} "
              f"| {figure(indexed)} | {ratio_figure(ratios)} | {met} | {figure(bbox)} "
              f"| {figure(build_ms, 1)} | {_count(None if memory is None else memory / 1024)} "
              f"| {_count(index.first('index_border_leaves'))} "
              f"| {_count(index.first('index_depth'))} |")
        if in_report(series, f"BM_Match/indexed/{region_file}", f"BM_Match/geos/{region_file}"):
            report.row(case, size_text(context, "meteo_match_points", "points"), indexed, geos,
                       ratios, f">= {MATCHER_GOAL:g}", met)


def _count(value):
    return "n/a" if value is None else f"{value:,.0f}"


def _to_ms(unit):
    return {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}[unit]


def parser_table(series, context, report):
    empty = Series()
    ours = series.get("BM_ParseSensorPayload", empty)
    baseline_names = (("simdjson on-demand (every field)", "BM_SimdjsonOnDemandBaseline"),
                      ("nlohmann SAX (do-nothing handler)", "BM_NlohmannSaxBaseline"))
    baselines = [(label, series.get(name, empty)) for label, name in baseline_names]
    print("| parser | MB/s | readings/s | vs simdjson | vs SAX |")
    print("|---|---:|---:|---:|---:|")
    for label, run in (("parse_sensor_payload, body in memory", ours),
                       ("parse_sensor_payload, streamed from its gzip archive file",
                        series.get("BM_ParseSensorPayloadFromArchive", empty)),
                       ("simdjson on-demand, reading every field", baselines[0][1]),
                       ("nlohmann SAX, do-nothing handler", baselines[1][1])):
        megabytes = [rate / 1e6 for rate in run.values("bytes_per_second")]
        readings = run.values("items_per_second")
        versus = [ratio_figure(pair_ratios(readings, base.values("items_per_second")))
                  for _, base in baselines]
        print(f"| {label} | {figure(megabytes, 1)} | {figure(readings)} | {versus[0]} "
              f"| {versus[1]} |")
    readings = ours.values("items_per_second")
    for (label, base), (_, base_name) in zip(baselines, baseline_names):
        base_readings = base.values("items_per_second")
        if in_report(series, "BM_ParseSensorPayload", base_name):
            report.row(f"parser: readings/s, parse_sensor_payload vs {label}",
                       size_text(context, "meteo_payload_readings", "readings"), readings,
                       base_readings, pair_ratios(readings, base_readings))


def writer_table(series, context, report):
    empty = Series()
    load_run = series.get("BM_LoadRun", empty).values("items_per_second")
    print("| writer | rows/s | ms per batch | load_run's speed relative to this row |")
    print("|---|---:|---:|---:|")
    for label, name in (("load_run (whole run transaction)", "BM_LoadRun"),
                        ("LOAD DATA LOCAL INFILE", "BM_LoadDataLocalInfileBaseline"),
                        ("multi-row INSERT ... ON DUPLICATE KEY UPDATE, 1000 rows/statement",
                         "BM_MultiRowInsertBaseline")):
        run = series.get(name, empty)
        rows = run.values("items_per_second")
        batch_ms = [entry["real_time"] * _to_ms(entry["time_unit"]) for entry in run.runs]
        label_note = f" ({run.runs[0]['label']})" if run.runs and run.runs[0].get("label") else ""
        ratios = pair_ratios(load_run, rows)
        print(f"| {label}{label_note} | {figure(rows)} | {figure(batch_ms, 1)} "
              f"| {ratio_figure(ratios)} |")
        if name != "BM_LoadRun" and in_report(series, "BM_LoadRun", name):
            report.row(f"writer: rows/s, load_run vs {label}; ratio = load_run's speed",
                       size_text(context, "meteo_batch_readings", "readings per batch"),
                       load_run, rows, ratios)


def parse_arguments(argv):
    """(report path, rows path or None), or None when the command line is wrong."""
    if len(argv) == 2 and not argv[1].startswith("-"):
        return argv[1], None
    if len(argv) == 4 and argv[2] == "--rows":
        return argv[1], argv[3]
    if len(argv) == 4 and argv[1] == "--rows":
        return argv[3], argv[2]
    return None


def main(argv):
    arguments = parse_arguments(argv)
    if arguments is None:
        print(__doc__, file=sys.stderr)
        return 64
    path, rows_path = arguments
    context, series = load_report(path)
    scale = context.get("meteo_scale", "?")
    report = Report(tiny=scale == "tiny")
    samples = sorted({len(entry.runs) for entry in series.values() if entry.runs})
    if report.tiny:
        print("**Tiny scale: a check of the script, not a measurement.**\n")
    print(f"Scale: {scale}; {context.get('num_cpus')} CPUs at {context.get('mhz_per_cpu')} MHz; "
          f"library build: {context.get('library_build_type')}; samples per benchmark: "
          f"{', '.join(map(str, samples)) or 'none'}")
    print("Every figure: median (min..max) of the repetitions. Ratio: the median of the per-pair "
          "ratios, i-th repetition with i-th (min..max of those ratios); met: yes when every pair "
          "meets the goal, no when none does, ambiguous otherwise.")
    if samples and samples[0] < MIN_SAMPLES and not report.tiny:
        print(f"\n**Fewer than {MIN_SAMPLES} samples behind some figures: not a result.**")
    print("\n### Matcher (points per second, CPU time)\n")
    matcher_table(series, context, report)
    print("\n### Parser (CPU time)\n")
    parser_table(series, context, report)
    print("\n### Writer (wall-clock time, rows per second)\n")
    writer_table(series, context, report)
    if report.missed:
        print("\nGoals missed:\n" + "".join(f"- {line}\n" for line in report.missed), end="")
    if report.ambiguous:
        print("\nAmbiguous (the goal lies inside the spread; rerun with more repetitions on a "
              "quieter machine):\n" + "".join(f"- {line}\n" for line in report.ambiguous), end="")
    for name, entry in sorted(series.items()):
        if entry.error is not None:
            verdict_text = "Not measured" if entry.error.startswith("unavailable: ") else "Failed"
            print(f"\n{verdict_text}: {name}: {entry.error}")
    if rows_path is not None:
        with open(rows_path, "w", encoding="utf-8") as rows_file:
            rows_file.write("".join(f"{row}\n" for row in report.rows))
    if report.ambiguous:
        print(f"\nratio_table: {len(report.ambiguous)} ambiguous verdict(s): not a result",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
