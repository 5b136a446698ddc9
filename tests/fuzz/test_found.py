"""The bugs the fuzzing found, each pinned as a plain example (the properties draw
fresh examples every run; these run the same way every time)."""

from __future__ import annotations

import io
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
