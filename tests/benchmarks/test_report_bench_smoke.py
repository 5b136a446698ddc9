"""The report benchmark runs end to end on a small history (its figures are judged by people)."""

import json
import subprocess
import sys


def test_report_benchmark_reports_its_figures() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.benchmarks.report_bench",
            "--years",
            "3",
            "--per-day",
            "20",
            "--databases",
            "sqlite",
            "--repeat",
            "1",
            "--command-repeat",
            "1",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)["sqlite"]
    one, full = figures["one_year"], figures["full"]
    assert (one["years"], full["years"]) == (1, 3)
    # 20 visits a weekday: 2025 has 261 weekdays, 2023-2025 783
    assert (one["visits"], full["visits"]) == (20 * 261, 20 * 783)
    assert full["quarter_visits"] == 20 * 66  # 66 weekdays in July-September 2025
    for timing in (
        one["both_sites"],
        full["both_sites"],
        full["one_site"],
        *figures["command"].values(),
    ):
        assert 0 < timing["median_s"] <= timing["max_s"]
    assert set(figures["command"]) == {"json", "pdf"}
