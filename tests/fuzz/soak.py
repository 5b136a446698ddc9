"""The bad-input properties for longer: `python -m tests.fuzz.soak --minutes 10`.

Runs tests/fuzz in rounds, each with fresh random examples (a new hypothesis seed)
and ONESTOP_FUZZ_SCALE times as many of them as the suite runs (default 3), then
gives the atheris targets whatever a round leaves of the time. Stops starting new
rounds when the time is nearly up; exits 1 if any round found a failure (its
output says which example, with a @reproduce_failure line to replay it).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz.soak", description=__doc__)
    parser.add_argument("--minutes", type=float, default=10, help="how long (default 10)")
    parser.add_argument(
        "--scale", type=float, default=3, help="examples x the suite's (3: a round is ~5 min)"
    )
    parser.add_argument("-k", dest="select", help="only the tests pytest -k selects")
    args = parser.parse_args(argv)
    deadline = time.monotonic() + args.minutes * 60
    env = {**os.environ, "ONESTOP_FUZZ_SCALE": str(args.scale), "CI": ""}
    failed, rounds, last = False, 0, 0.0
    while time.monotonic() + last < deadline:
        seed = random.randrange(2**32)
        command = [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/fuzz",
            f"--hypothesis-seed={seed}",
            "--ignore=tests/fuzz/test_atheris.py",
        ]
        if args.select:
            command += ["-k", args.select]
        started = time.monotonic()
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
        last = time.monotonic() - started
        rounds += 1
        summary = (done.stdout.strip().splitlines() or ["(no output)"])[-1]
        print(f"round {rounds} (seed {seed}, {last:.0f} s): {summary}", flush=True)
        if done.returncode != 0:
            failed = True
            print(done.stdout[-20_000:], done.stderr[-5_000:], sep="\n", flush=True)
            break
    left = int(deadline - time.monotonic())
    if not failed and left > 30 and importlib.util.find_spec("atheris") and not args.select:
        for target in ("config", "scanner", "history"):
            share = max(10, left // 3)
            done = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "tests.fuzz.atheris_targets",
                    target,
                    f"-max_total_time={share}",
                    "-rss_limit_mb=2048",
                ],
                cwd=ROOT,
                capture_output=True,
                text=True,
            )
            runs = [line for line in done.stderr.splitlines() if line.startswith("Done ")]
            print(f"atheris {target}: {runs[-1] if runs else 'exit ' + str(done.returncode)}")
            if done.returncode != 0:
                failed = True
                print(done.stderr[-10_000:], flush=True)
    print("soak:", "FAILED" if failed else f"no failure in {rounds} rounds")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
