"""The real `onestop` command, as a separate process, on a smaller sample: it behaves
as main(argv) does in-process (same exit code, same first line of error), including
argument bytes that are not UTF-8, and changes nothing when it exits 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.checks import assert_clear, settle
from tests.fuzz.cli_args import LEAVES, Place, argv_for, files
from tests.fuzz.nasty import fuzz_settings
from tests.fuzz.snapshot import snapshot
from tests.fuzz.test_cli import run
from tests.fuzz.world import World

ONESTOP = str(Path(sys.executable).with_name("onestop"))


def real(argv: list[str]) -> tuple[int, str, str]:
    done = subprocess.run(
        [ONESTOP, *argv],  # str with lone surrogates goes out as the bytes they stand for
        capture_output=True,
        timeout=120,
        env={**os.environ, "ONESTOP_DB": "", "PYTHONIOENCODING": "utf-8"},
    )
    return (
        done.returncode,
        done.stdout.decode("utf-8", "replace"),
        done.stderr.decode("utf-8", "replace"),
    )


@pytest.fixture(scope="module")
def place(sqlite_world: World, tmp_path_factory: pytest.TempPathFactory) -> Place:
    folder = tmp_path_factory.mktemp("cli")
    made = files(folder / "given")
    return Place(
        tuple(sqlite_world.tickets),
        tuple(sqlite_world.refs),
        folder,
        tuple(map(str, made.values())),
    )


def same_as_in_process(world: World, argv: list[str]) -> None:
    full = [*argv, "--db", world.url]
    before = snapshot(world.url)
    code, out, err = real(full)
    settle(world.url, before, code, err)
    assert "Traceback" not in out + err, err[-3000:]
    assert code in (0, 2), (argv, code, err[-2000:])
    if code == 2:
        assert_clear(err)
    inner, _out, inner_err = run(full)
    settle(world.url, before, inner)
    assert inner == code, (argv, code, inner, err[:300], inner_err[:300])
    if code == 2:
        first = err.splitlines()[-1] if err.strip() else ""
        assert first == inner_err.splitlines()[-1], (first, inner_err)


KNOWN = [
    ["greet", "\udcff\udcfe", "--site", "bootle"],  # argv bytes 0xff 0xfe
    ["staff", "add", "--site", "bootle", "--name", "caf\udce9", "--pin", "1234"],
    ["queue", "--site", "bootle", "--limit", "99999999999999999999"],
    ["appointment", "list", "--site", "bootle", "--date", "9999-12-31"],
    ["checkin", "--site", "bootle", "--appointment", "\u202eBOO-FUZZ01😀"],
    ["site", "load", "/nonexistent/bootle.toml"],
    ["no-such-verb"],
]


@pytest.mark.parametrize("argv", KNOWN, ids=lambda argv: " ".join(argv)[:30])
def test_the_real_command_on_known_bad_input(sqlite_world: World, argv: list[str]) -> None:
    same_as_in_process(sqlite_world, argv)


@fuzz_settings(12)
@given(st.data())
def test_the_real_command_behaves_as_in_process(
    sqlite_world: World, place: Place, data: st.DataObject
) -> None:
    leaf = data.draw(st.sampled_from(LEAVES), label="verb")
    argv = data.draw(argv_for(leaf, place), label="argv")
    argv = [a for a in argv if passable(a)]
    same_as_in_process(sqlite_world, argv)


def passable(arg: str) -> bool:
    """What an operating system can pass: no NUL, bytes (lone surrogates from
    surrogateescape included), and not past Linux's 128 kB for one argument."""
    try:
        data = os.fsencode(arg)
    except UnicodeEncodeError:
        return False
    return b"\x00" not in data and len(data) < 100_000
