"""The latency benchmark runs end to end at a tiny size; its exit status follows its targets."""

import json
import subprocess
import sys

import pytest

from tests.benchmarks import call_latency


def test_benchmark_runs_every_part_and_exits_by_its_targets(capsys) -> None:
    argv = ["--databases", "sqlite", "--calls", "4", "--burst", "2", "--announced", "1", "--json"]
    code = call_latency.main(argv)
    results = json.loads(capsys.readouterr().out)
    figures = results["sqlite"]
    assert figures["display"]["calls"] == 4 and figures["display"]["shown"] == 4
    assert figures["announcement"]["announced"] == 1
    assert figures["announced_bursts"]["announced"] == figures["announced_bursts"]["calls"] == 4
    assert code == (0 if results["targets_met"] else 1)


@pytest.mark.parametrize("argv", [["--burst", "9"], ["--databases", "oracle"], ["--calls", "2"]])
def test_benchmark_misuse_exits_2(argv) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tests.benchmarks.call_latency", *argv],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "error:" in result.stderr
