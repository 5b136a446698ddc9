"""The atheris targets (tests/fuzz/atheris_targets.py), each run briefly as its own
process (libFuzzer ends the process it runs in): no crash in a few thousand inputs
grown from real ones. Skipped where atheris has no wheel (it is a dev extra for
Linux x86-64 and Python 3.11)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

pytest.importorskip("atheris")

RUNS = {"config": 4000, "scanner": 4000, "history": 400}


@pytest.mark.parametrize("target", sorted(RUNS))
def test_the_coverage_guided_fuzzer_finds_no_crash(target: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.fuzz.atheris_targets",
            target,
            f"-runs={RUNS[target]}",
            "-seed=1",
            "-rss_limit_mb=2048",
        ],
        capture_output=True,
        text=True,
        timeout=240,
        cwd=os.getcwd(),
        env={**os.environ, "ONESTOP_DATA_DIR": str(tmp_path / "data")},
    )
    assert done.returncode == 0, done.stderr[-4000:]
    assert f"Done {RUNS[target]} runs" in done.stderr, done.stderr[-2000:]
