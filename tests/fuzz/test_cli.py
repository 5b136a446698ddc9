"""Every `onestop` verb with argument lists drawn from its real parser, run in-process
(main(argv), as the console script runs it): exit 0 or 2, never a traceback; usage
for misuse; a clear message; JSON on stdout when --json was asked for; every table
unchanged after exit 2."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.cli import main
from tests.fuzz.checks import assert_clear, settle
from tests.fuzz.cli_args import APPS, LEAVES, Leaf, Place, argv_for, files
from tests.fuzz.nasty import fuzz_settings, nasty
from tests.fuzz.snapshot import snapshot
from tests.fuzz.world import World


def run(argv: list[str]) -> tuple[int, str, str]:
    """main(argv) with its output captured; argparse's --help and --version exit 0."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as stop:  # only the apps' own parsers, and --help/--version
            code = stop.code if isinstance(stop.code, int) else 2
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def place(world: World, tmp_path_factory: pytest.TempPathFactory) -> Place:
    folder = tmp_path_factory.mktemp("cli")
    made = files(folder / "given")
    return Place(tuple(world.tickets), tuple(world.refs), folder, tuple(map(str, made.values())))


def check(world: World, argv: list[str]) -> None:
    full = [*argv, "--db", world.url]
    before = snapshot(world.url)
    code, out, err = run(full)
    settle(world.url, before, code, err)
    assert code in (0, 2), f"exit {code} for {argv!r}:\n{out[-2000:]}\n{err[-2000:]}"
    for stream in (out, err):  # what a UTF-8 terminal or pipe can take
        stream.encode("utf-8")
    if code == 2:
        assert_clear(err)
        assert "usage:" in err or "onestop: error:" in err, err[:500]
    if "--json" in argv and "--format" not in " ".join(argv) and code in (0, 2):
        lines = [line for line in out.splitlines() if line.strip()]
        assert lines, f"--json but nothing on stdout: {err[:300]}"
        json.loads(lines[-1])


@pytest.mark.parametrize("leaf", LEAVES, ids=lambda leaf: "-".join(leaf.words))
def test_every_verb_exits_0_or_2_and_changes_nothing_when_refused(
    world: World, place: Place, leaf: Leaf
) -> None:
    @fuzz_settings(12)
    @given(st.data())
    def property_(data: st.DataObject) -> None:
        check(world, data.draw(argv_for(leaf, place), label="argv"))

    property_()


@fuzz_settings(60)
@given(st.data())
def test_any_verb_with_any_arguments(world: World, place: Place, data: st.DataObject) -> None:
    leaf = data.draw(st.sampled_from(LEAVES), label="verb")
    check(world, data.draw(argv_for(leaf, place), label="argv"))


@fuzz_settings(60)
@given(
    st.lists(st.one_of(nasty(surrogates=True), st.sampled_from(["--json", "-", "--"])), max_size=5)
)
def test_garbage_instead_of_a_verb_prints_usage_and_exits_2(world: World, argv: list[str]) -> None:
    check(world, argv)


@fuzz_settings(40)
@given(st.sampled_from(APPS), st.lists(nasty(long=False), max_size=3))
def test_the_apps_refuse_an_unknown_option_with_usage_and_start_nothing(
    world: World, app: str, junk: list[str]
) -> None:
    code, out, err = run([app, "--no-such-option", *[j for j in junk if not j.startswith("-h")]])
    assert code == 2, (code, out, err)
    assert "usage:" in err, err
