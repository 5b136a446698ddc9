"""The kiosk benchmark runs end to end on a few tickets (its figures are judged by people)."""

import json
import subprocess
import sys


def test_kiosk_benchmark_reports_its_figures():
    result = subprocess.run(
        [sys.executable, "-m", "tests.benchmarks.kiosk_bench", "--tickets", "5", "--json"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["tickets"] == 5
    assert 0 < figures["touch_to_last_byte_median_ms"] <= figures["touch_to_last_byte_p95_ms"]
    assert figures["startup_seconds"] > 0 and figures["peak_rss_mb"] > 0
    assert "Fatal Python error" not in result.stderr
