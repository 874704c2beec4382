#!/usr/bin/env python3
"""bench/micro/ratio_table.py on made-up Google Benchmark reports: the pairing of repetitions,
the medians and spreads of its rows, the goal's verdicts and the exit status they give."""
import contextlib
import importlib.util
import io
import json
import os
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SPEC = importlib.util.spec_from_file_location(
    "ratio_table", os.path.join(HERE, "..", "..", "bench", "micro", "ratio_table.py"))
ratio_table = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(ratio_table)


def repetitions(name, rates, **counters):
    """One iteration run per rate, in a shuffled report order as random interleaving gives."""
    runs = [{"run_name": name, "run_type": "iteration", "repetition_index": index,
             "real_time": 1000.0 / rate, "time_unit": "ms", "items_per_second": rate, **counters}
            for index, rate in enumerate(rates)]
    return runs[::-1]


def report(scale, benchmarks):
    context = {"meteo_scale": scale, "meteo_match_points": "1000000",
               "meteo_payload_readings": "100000", "meteo_batch_readings": "10000"}
    aggregate = {"run_name": "BM_Match/geos/regions", "run_type": "aggregate",
                 "aggregate_name": "median", "items_per_second": 1.0}
    return {"context": context, "benchmarks": benchmarks + [aggregate]}


class RatioTableTest(unittest.TestCase):
    def run_table(self, document):
        """(exit status, printed text, rows file's lines)."""
        with tempfile.TemporaryDirectory() as work:
            path = os.path.join(work, "report.json")
            rows_path = os.path.join(work, "rows.md")
            with open(path, "w", encoding="utf-8") as out:
                json.dump(document, out)
            printed, errors = io.StringIO(), io.StringIO()
            with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(errors):
                status = ratio_table.main(["ratio_table.py", path, "--rows", rows_path])
            with open(rows_path, encoding="utf-8") as rows:
                return status, printed.getvalue(), rows.read().splitlines()

    def test_pairs_the_ith_repetitions_and_judges_each_goal_on_the_spread(self):
        geos = [100.0, 200.0, 100.0, 100.0, 100.0]
        benchmarks = (repetitions("BM_Match/geos/regions", geos)
                      # pair ratios 11, 5.5, 12, 13, 14: the goal of 10 lies inside the spread
                      + repetitions("BM_Match/indexed/regions", [1100.0, 1100.0, 1200.0,
                                                                 1300.0, 1400.0], regions=13)
                      + repetitions("BM_Match/geos/departements", geos)
                      + repetitions("BM_Match/indexed/departements", [2000.0] * 5)
                      + repetitions("BM_Match/geos/communes", geos)
                      + repetitions("BM_Match/indexed/communes", [600.0] * 5)
                      + repetitions("BM_ParseSensorPayload", [300.0, 310.0, 320.0, 330.0, 340.0])
                      + repetitions("BM_SimdjsonOnDemandBaseline", [600.0] * 5)
                      + repetitions("BM_LoadRun/real_time", [50.0] * 5)
                      + repetitions("BM_LoadDataLocalInfileBaseline/real_time", [100.0] * 5))
        status, printed, rows = self.run_table(report("full", benchmarks))
        self.assertEqual(status, 1, "an ambiguous verdict at full scale fails")
        self.assertEqual(rows[0], "| matcher, regions: points/s, region index vs GEOS prepared "
                                  "| 1000000 points | 1,200 (1.1k..1.4k) | 100 (100..200) "
                                  "| 12.00 (5.50..14.00) | >= 10 | ambiguous | - |")
        self.assertIn("| 20.00 (10.00..20.00) | >= 10 | yes | - |", rows[1])  # every pair >= 10
        self.assertIn("| 6.00 (3.00..6.00) | >= 10 | no | - |", rows[2])
        self.assertEqual(rows[3], "| parser: readings/s, parse_sensor_payload vs simdjson "
                                  "on-demand (every field) | 100000 readings | 320 (300..340) "
                                  "| 600 (600..600) | 0.53 (0.50..0.57) | - | - | - |")
        self.assertTrue(rows[4].startswith("| writer: rows/s, load_run vs LOAD DATA LOCAL INFILE"))
        self.assertIn("| 10000 readings per batch | 50 (50..50) | 100 (100..100) | 0.50", rows[4])
        self.assertEqual(len(rows), 5, "no row for a benchmark absent from the report")
        for row in rows:
            self.assertEqual(row.count("|"), 9, row)
        self.assertIn("straddle the goal >= 10", printed)
        self.assertIn("communes: points/s, region index vs GEOS prepared: 6.00", printed)

    def test_the_tiny_scale_gives_no_verdict_and_does_not_fail(self):
        benchmarks = (repetitions("BM_Match/geos/regions", [100.0, 200.0])
                      + repetitions("BM_Match/indexed/regions", [1100.0, 1100.0]))
        status, printed, rows = self.run_table(report("tiny", benchmarks))
        self.assertEqual(status, 0)
        self.assertIn("not a measurement", printed)
        self.assertEqual(rows, ["| matcher, regions: points/s, region index vs GEOS prepared "
                                "| 1000000 points | 1,100 (1.1k..1.1k) | 150 (100..200) "
                                "| 8.25 (5.50..11.00) | >= 10 | n/a (tiny scale) | - |"])

    def test_a_failed_benchmark_leaves_its_ratio_unmeasured(self):
        failed = {"run_name": "BM_Match/geos/regions", "run_type": "iteration",
                  "error_occurred": True, "error_message": "regions.geojson is missing"}
        benchmarks = [failed] + repetitions("BM_Match/indexed/regions", [1100.0] * 5)
        status, printed, rows = self.run_table(report("full", benchmarks))
        self.assertEqual(status, 0)
        self.assertIn("| n/a | n/a | >= 10 | n/a | - |", rows[0])
        self.assertIn("Failed: BM_Match/geos/regions: regions.geojson is missing", printed)


if __name__ == "__main__":
    unittest.main()
