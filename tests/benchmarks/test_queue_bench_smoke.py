"""The benchmark command runs end to end at a tiny size (figures are not judged here)."""

import json
import subprocess
import sys

import pytest

from tests.benchmarks import queue_bench


def test_benchmark_runs_and_reports_every_figure(capsys):
    args = queue_bench.parse_args(["--sizes", "20,60", "--samples", "8", "--databases", "sqlite"])
    results = queue_bench.run(args, out=lambda _line: None)
    sizes = results["sqlite"]["sizes"]
    assert set(sizes) == {20, 60}
    for figures in sizes.values():
        for action in ("checkin", "call_next"):
            assert figures[action]["samples"] == 8
            assert 0 < figures[action]["median_ms"] <= figures[action]["p95_ms"]
    assert results["sqlite"]["notification"]["samples"] == 8
    assert {line["target"].split()[1] for line in results["targets"]} >= {
        "call-next",
        "notification",
    }


@pytest.mark.parametrize("argv", [["--sizes", "ten"], ["--databases", "oracle"], ["--bogus"]])
def test_benchmark_misuse_exits_2(argv):
    result = subprocess.run(
        [sys.executable, "-m", "tests.benchmarks.queue_bench", *argv],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "usage:" in result.stderr
    assert "Traceback" not in result.stderr


def test_benchmark_json_is_machine_readable():
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.benchmarks.queue_bench",
            "--sizes",
            "10",
            "--samples",
            "5",
            "--databases",
            "sqlite",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["sqlite"]["sizes"]["10"]["call_next"]["samples"] == 5
