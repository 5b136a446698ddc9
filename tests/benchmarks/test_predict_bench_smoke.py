"""The predictor benchmark runs end to end on a few days; on days it has not seen, the
predictor's error is below both naive estimates' (the full run is the command)."""

import json
import subprocess
import sys


def test_predict_benchmark_reports_and_the_predictor_beats_the_naive_estimates():
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.benchmarks.predict_bench",
            "--site",
            "bootle",
            "--per-desk",
            "28",
            "--train-days",
            "4",
            "--test-days",
            "3",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    (figures,) = report["results"]
    errors = figures["all_day"]["mean_absolute_error_minutes"]
    assert figures["all_day"]["visitors"] > 500
    assert errors["predictor"] < errors["queue_length"]
    assert errors["predictor"] < errors["last_called"]
    assert report["predictor_beats_both"] is True
    assert 0 < figures["prediction_ms"]["median"] <= figures["prediction_ms"]["p95"]
