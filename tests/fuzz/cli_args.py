"""Argument lists for every `onestop` verb, drawn from the real parser.

The parser is walked (build_parser()), so a verb or option added later is fuzzed
too. Each option gets values of its kind, real ones (sites, services, desks,
tickets and references of the fuzz database) and wrong ones, and the list is then
damaged: required options left out, unknown options, junk tokens, misspelt verbs.
Files named on the command line are always inside the test's own folder, and
printers are the preview, a refused loopback port or a file there: a fuzzed
command never writes outside the test's folder, never waits on the network and
never reads a device.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

from hypothesis import strategies as st

from shared.cli import build_parser
from tests.fuzz.csv_files import SERVICES
from tests.fuzz.nasty import nasty
from tests.fuzz.toml_mutations import SHIPPED

# Verbs that start windows or a long demonstration: fuzzed only for misuse (app_misuse).
APPS = ("kiosk", "display", "desk", "reception", "setup", "demo")


@dataclass(frozen=True)
class Leaf:
    words: tuple[str, ...]  # ("appointment", "add")
    parser: argparse.ArgumentParser

    @property
    def options(self) -> list[argparse.Action]:
        return [
            a
            for a in self.parser._actions
            if a.option_strings and a.dest not in ("help", "db", "json", "version")
        ]

    @property
    def positionals(self) -> list[argparse.Action]:
        return [a for a in self.parser._actions if not a.option_strings]


def leaves() -> list[Leaf]:
    found: list[Leaf] = []

    def walk(parser: argparse.ArgumentParser, words: tuple[str, ...]) -> None:
        subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if not subs:
            if parser.get_default("handler") is not None and words[0] not in APPS:
                found.append(Leaf(words, parser))
            return
        for name, sub in subs[0].choices.items():
            walk(sub, (*words, name))

    walk(build_parser(), ())
    return found


LEAVES = leaves()


@dataclass(frozen=True)
class Place:
    """The fuzz database's names and the test's folder, for values that can be right."""

    tickets: tuple[str, ...]
    refs: tuple[str, ...]
    folder: Path
    made: tuple[str, ...]  # files() of the folder, as arguments


def files(folder: Path) -> dict[str, Path]:
    """Files a command may be given, made once in the test's folder."""
    folder.mkdir(parents=True, exist_ok=True)
    made = {
        "site": folder / "bootle.toml",
        "broken_site": folder / "broken.toml",
        "utf16_site": folder / "utf16.toml",
        "appointments": folder / "appointments.csv",
        "history": folder / "history.csv",
        "empty": folder / "empty.csv",
        "binary": folder / "binary.csv",
    }
    made["site"].write_text(SHIPPED["bootle.toml"])
    made["broken_site"].write_text(SHIPPED["bootle.toml"].replace("[targets]", "[targets"))
    made["utf16_site"].write_bytes(SHIPPED["bootle.toml"].encode("utf-16"))
    made["appointments"].write_text("site,service,at\nbootle,housing,2031-03-04T10:00:00+00:00\n")
    made["history"].write_text(
        "site,service,ticket,arrived_at\nbootle,parking,P001,2019-05-06T10:00:00+01:00\n"
    )
    made["empty"].write_bytes(b"")
    made["binary"].write_bytes(bytes(range(256)) * 4)
    (folder / "a-folder").mkdir(exist_ok=True)
    return made


def _numbers(small: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        small,
        st.sampled_from(["0", "-1", "-5", "1e9", "99999999999999999999", "nan", "inf", "x", ""]),
        st.sampled_from(["2.5", "1_000", "٣", "²", " 7 ", "0x10"]),
    )


def values(action: argparse.Action, place: Place) -> st.SearchStrategy[str]:
    """Values for one option or positional: right ones and wrong ones."""
    junk = nasty(surrogates=True)
    name = action.dest
    if action.choices:
        return st.one_of(st.sampled_from(sorted(action.choices)), junk)
    folder = place.folder
    tmp_out = [
        str(folder / "out" / "report.txt"),
        str(folder / "a-folder"),
        str(folder / "no" / "x"),
    ]
    by_name: dict[str, list[str]] = {
        "site": ["bootle", "southport", "BOOTLE", " bootle ", "bootl"],
        "service": [*SERVICES["bootle"], "blue-badges", "Council-Tax", "council tax"],
        "to_service": ["housing", "elas", "nope"],
        "desk": ["Desk 1", "1", "Interview Room 1", "desk 2", "Desk 99", "room"],
        "to_desk": ["Desk 3", "2", "Desk 99"],
        "ticket": [*place.tickets, "C001", "c 1", "Z999", "A0", "C1234567"],
        "ref": [*place.refs, "BOO-NOPE", "boo-fuzz01"],
        "appointment": [*place.refs, "BOO-NOPE", "x y"],
        "file": [*place.made, str(folder / "missing.csv"), str(folder / "a-folder")],
        "out": tmp_out,
        "screenshot": tmp_out,
        "printer": [
            "preview",
            "tcp://127.0.0.1:1",
            "bogus://x",
            f"file://{folder}/t.bin",
            "usb://zz",
        ],
        "quarter": ["2025-Q3", "2025-Q5", "9999-Q4", "0001-Q1", "Q3", "2025Q3", "2025-q1"],
        "outcome": ["resolved", "referred", "avoidable", "digital-assistance", "done"],
        "detail": ["Revenues", "could be done online"],
        "reason": ["a desk is closed", ""],
        "flag": ["interpreter=Polish", "wheelchair=", "=x", "noequals", "a=b=c"],
        "name": ["Sam Example", "", " ", "Pat Example"],
        "pin": ["1234", "12345678", "12", "abcd", "123456789"],
        "language": ["en", "pl", "ar", "xx"],
        "encoding": ["cp1252", "utf-16", "latin-1", "nonsense", ""],
    }
    dates = ["2026-11-24", "2025-07-01", "9999-12-31", "0001-01-01", "1969-12-31", "2026-02-30"]
    times = [
        "2031-03-04T10:30:00+00:00",
        "2031-03-04T10:30:00",
        "0001-01-01T00:00:00+01:00",
        "9999-12-31T23:59:00-01:00",
        "tomorrow",
    ]
    if name in by_name:
        return st.one_of(st.sampled_from(by_name[name]), junk)
    type_name = getattr(action.type, "__name__", "")
    if type_name == "_date" or name in ("date", "to_date", "start", "end"):
        return st.one_of(st.sampled_from(dates), junk)
    if type_name == "_aware_time" or name == "at":
        return st.one_of(st.sampled_from(times), junk)
    if action.type is int or type_name == "whole number":
        return _numbers(st.integers(1, 6).map(str))
    if action.type is float or type_name == "number":
        return _numbers(st.sampled_from(["0.5", "1", "3", "12.5", "24", "25"]))
    return junk


@st.composite
def argv_for(draw: st.DrawFn, leaf: Leaf, place: Place) -> list[str]:
    """One command line for `leaf`, often right, often wrong."""
    words = list(leaf.words)
    if draw(st.integers(0, 15)) == 0:  # a misspelt or missing verb
        words[-1] = draw(st.sampled_from([words[-1][:-1], words[-1].upper(), ""]))
    positional = [
        draw(values(action, place)) for action in leaf.positionals if draw(st.integers(0, 9)) > 0
    ]
    parts: list[list[str]] = []
    for action in leaf.options:
        if draw(st.integers(0, 99)) >= (88 if action.required else 35):
            continue
        option = draw(st.sampled_from(action.option_strings))
        if action.nargs == 0:
            parts.append([option])
        else:
            value = draw(values(action, place))
            glued = draw(st.integers(0, 9)) == 0 and option.startswith("--")
            parts.append([f"{option}={value}"] if glued else [option, value])
            if action.nargs is None and draw(st.integers(0, 15)) == 0:
                parts[-1] = parts[-1][:1]  # the value left out
    if draw(st.integers(0, 9)) == 0:
        parts.append([draw(st.sampled_from(["--bogus", "-x", "--", "-", "--site=", "--json=1"]))])
    if draw(st.integers(0, 9)) == 0:
        parts.append([draw(nasty(surrogates=True))])
    if draw(st.booleans()):
        parts.append(["--json"])
    order = draw(st.permutations(range(len(parts)))) if parts else []
    return [w for w in words if w] + positional + [x for i in order for x in parts[i]]
