"""The bugs the fuzzing found, each pinned as a plain example (the properties draw
fresh examples every run; these run the same way every time)."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from shared.cli import main
from shared.config import ConfigError, load_site, parse_site
from tests.fuzz.checks import assert_clear
from tests.fuzz.snapshot import differences, snapshot
from tests.fuzz.toml_mutations import SHIPPED
from tests.fuzz.world import World

BOOTLE = SHIPPED["bootle.toml"]


def cli(world: World, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main([*argv, "--db", world.url])
    return code, out.getvalue(), err.getvalue()


# -- site configuration -------------------------------------------------------------


def test_a_config_message_escapes_control_characters_from_the_file() -> None:
    text = BOOTLE.replace('code = "bootle"', '"\\u001b[2J" = "bootle"', 1)
    with pytest.raises(ConfigError) as caught:
        parse_site(text, "bootle.toml")
    assert "\x1b" not in str(caught.value)
    assert "\\u001B[2J" in str(caught.value)
    assert_clear(str(caught.value), names="bootle.toml")


def test_a_config_message_shortens_a_huge_value() -> None:
    text = BOOTLE.replace('letter = "C"', f'letter = "{"C" * 100_000}"', 1)
    with pytest.raises(ConfigError) as caught:
        parse_site(text, "bootle.toml")
    assert len(str(caught.value)) < 300
    assert "services[0].letter" in str(caught.value)


def test_lines_are_counted_as_toml_counts_them_past_a_unicode_line_separator() -> None:
    lines = BOOTLE.split("\n")
    number = next(n for n, line in enumerate(lines, start=1) if line.startswith("greet_minutes"))
    text = "# a comment with \u2028 and \x85 inside\n" + BOOTLE.replace(
        "greet_minutes = 2", "greet_minutes = true", 1
    )
    with pytest.raises(ConfigError) as caught:
        parse_site(text, "bootle.toml")
    assert caught.value.line == number + 1


def test_a_file_with_windows_notepads_byte_order_mark_loads(tmp_path: Path) -> None:
    path = tmp_path / "bootle.toml"
    path.write_bytes(b"\xef\xbb\xbf" + BOOTLE.encode())
    assert load_site(path).code == "bootle"


def test_onestop_site_load_refuses_a_utf16_file_clearly_and_changes_nothing(
    sqlite_world: World, tmp_path: Path
) -> None:
    path = tmp_path / "bootle.toml"
    path.write_bytes(BOOTLE.encode("utf-16"))
    before = snapshot(sqlite_world.url)
    code, _out, err = cli(sqlite_world, "site", "load", str(path))
    assert code == 2
    assert "UTF-16" in err and "save it as UTF-8" in err and "line 1" in err
    assert_clear(err, names=str(path))
    assert not differences(before, snapshot(sqlite_world.url))


# -- imports ---------------------------------------------------------------------------

HISTORY_HEADER = "site,service,ticket,arrived_at,called_at,finished_at,outcome,survey_csa\n"
GOOD_VISIT = "bootle,council-tax,C001,2019-03-04T10:00:00+00:00,,,,\n"


def refused(world: World, *argv: str) -> str:
    before = snapshot(world.url)
    code, out, err = cli(world, *argv)
    assert code == 2, (code, out, err)
    assert "Traceback" not in err
    assert not differences(before, snapshot(world.url))
    return err


@pytest.mark.parametrize(
    ("row", "said"),
    [
        ("bootle,council-tax,C001,2019-03-04T10:00:00+00:00,,,,²", "survey_csa '²'"),
        ("bootle,council-tax,C001,0001-01-01T00:00:00+01:00,,,,", "between 1970 and 2999"),
        ("bootle,council-tax,C001,9999-12-31T23:59:00-01:00,,,,", "between 1970 and 2999"),
        ("bootle\x00,council-tax,C001,2019-03-04T10:00:00+00:00,,,,", "NUL"),
        ("x" * 5000 + ",council-tax,C001,2019-03-04T10:00:00+00:00,,,,", "no site 'xxx"),
    ],
)
def test_history_rows_that_crashed_the_import_are_refused_by_line(
    world: World, tmp_path: Path, row: str, said: str
) -> None:
    path = tmp_path / "history.csv"
    path.write_text(HISTORY_HEADER + GOOD_VISIT.replace("C001", "C009") + row + "\n")
    err = refused(world, "import", "visits", str(path))
    assert "line 3:" in err and said in err, err
    assert_clear(err, names=str(path))


def test_a_quote_never_closed_is_refused_with_its_line_not_a_traceback(
    world: World, tmp_path: Path
) -> None:
    path = tmp_path / "history.csv"
    path.write_text(HISTORY_HEADER + GOOD_VISIT + '"' + "x" * 140_000 + "\n")
    err = refused(world, "import", "visits", str(path))
    assert "line 3" in err and "never closed" in err, err
    assert_clear(err, names=str(path))
    appointments = tmp_path / "appointments.csv"
    appointments.write_text("site,service,at\n" + '"' + "x" * 140_000 + "\n")
    err = refused(world, "appointment", "import", str(appointments))
    assert "line 2" in err and "never closed" in err, err


def test_utf16_named_but_without_its_byte_order_mark_is_refused(
    world: World, tmp_path: Path
) -> None:
    path = tmp_path / "history.csv"
    path.write_bytes((HISTORY_HEADER + GOOD_VISIT).encode("utf-16-le"))
    err = refused(world, "import", "visits", str(path), "--encoding", "utf-16")
    assert "not utf-16 text" in err, err


def test_an_appointment_file_that_is_not_utf8_is_refused_with_its_line(
    world: World, tmp_path: Path
) -> None:
    path = tmp_path / "appointments.csv"
    path.write_bytes(b"site,service,at\nbootle,housing,2030-01-07T10:00:00+00:00\nbootle,caf\xe9\n")
    err = refused(world, "appointment", "import", str(path))
    assert "line 3: not UTF-8 text (byte 0xE9)" in err, err
    path.write_bytes("site,service,at\n".encode("utf-16"))
    assert "line 1: not UTF-8" in refused(world, "appointment", "import", str(path))


def test_an_appointment_file_with_a_misspelt_column_is_refused_not_half_read(
    world: World, tmp_path: Path
) -> None:
    path = tmp_path / "appointments.csv"
    path.write_text("site,service,at,reff\nbootle,housing,2030-01-07T10:00:00+00:00,BOO-123\n")
    err = refused(world, "appointment", "import", str(path))
    assert "line 1: unknown column(s) 'reff'" in err, err


def test_an_appointment_row_is_named_by_the_line_it_starts_on(world: World, tmp_path: Path) -> None:
    path = tmp_path / "appointments.csv"
    path.write_text('site,service,at,ref\nbootle,"no such\nservice",2030-01-07T10:00:00Z,\n')
    err = refused(world, "appointment", "import", str(path))
    assert "line 2:" in err, err


# -- scanner input -------------------------------------------------------------------------


@pytest.mark.parametrize("scanned", ["BOO-\x00FUZZ", "\x00", "BOO-FUZZ01" * 5000, "ﷺ😀\u202e"])
def test_a_scanned_reference_that_cannot_be_one_is_not_found_not_a_database_error(
    world: World, scanned: str
) -> None:
    from shared.domain import NotFound

    before = snapshot(world.url)
    with pytest.raises(NotFound) as caught:
        world.office.checkin("bootle", appointment=scanned)
    assert_clear(str(caught.value))
    assert not differences(before, snapshot(world.url))


# -- the command -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["appointment", "list", "--site", "bootle", "--date", "9999-12-31"],
        ["visits", "--site", "bootle", "--date", "0001-01-01"],
        ["staffing", "--site", "bootle", "--weeks", "100000000"],
        ["report", "--site", "bootle", "--quarter", "9999-Q4"],
        ["report", "--all-sites", "--from", "0001-01-01", "--to", "9999-12-31"],
        [
            "appointment",
            "add",
            "--site",
            "bootle",
            "--service",
            "housing",
            "--at",
            "0001-01-01T00:00+01:00",
        ],
        ["queue", "--site", "bootle", "--limit", "99999999999999999999"],
        ["simulate", "--hours", "nan"],
        ["simulate", "--hours", "1e9"],
        ["simulate", "--site", "bootle", "--visitors", "inf"],
        ["staff", "add", "--site", "bootle", "--name", "\udcff", "--pin", "1234"],
        ["delay", "--site", "bootle", "--reason", "\x00", "--minutes", "5"],
        ["greet", "\x1b[2J" * 100, "--site", "bootle"],
        ["import", "visits", "x.csv", "--encoding", "\x00"],
        ["checkin", "--site", "bootle", "--service", "parking", "--flag", "\x00" * 500],
    ],
    ids=lambda argv: " ".join(argv)[:40],
)
def test_command_lines_that_crashed_or_hung_exit_2_with_a_clear_message(
    world: World, argv: list[str]
) -> None:
    before = snapshot(world.url)
    try:
        code, out, err = cli(world, *argv)
    except SystemExit as stop:  # argparse's own (the apps' parsers)
        code, out, err = stop.code, "", ""
    assert code == 2, (code, out, err)
    assert not differences(before, snapshot(world.url))
    if err:
        assert_clear(err)
        err.encode("utf-8")


def test_an_apps_verb_after_an_option_is_usage_not_a_traceback() -> None:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["--json", "kiosk"])
    assert code == 2 and "onestop kiosk --help" in err.getvalue()
    assert json.loads(out.getvalue())["error"]


def test_a_file_name_full_of_line_breaks_is_one_line_of_message(world: World) -> None:
    for argv in (["site", "load"], ["import", "visits"], ["appointment", "import"]):
        code, _out, err = cli(world, *argv, "\n" * 400)
        assert code == 2 and len(err.splitlines()) == 1, (argv, err[:200])
