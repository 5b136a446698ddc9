"""Site configurations, damaged every way hand editing can: the file, line and field
named, a ConfigError (a DomainError), the database untouched."""

from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from hypothesis import given

from shared.cli import main
from shared.config import ConfigError, load_site, parse_site
from tests.fuzz.checks import assert_clear, refused_unchanged, settle
from tests.fuzz.nasty import fuzz_settings
from tests.fuzz.snapshot import snapshot
from tests.fuzz.toml_mutations import WrongType, damaged_bytes, damaged_text, wrong_type
from tests.fuzz.world import World

PATH = "resources/sites/edited.toml"


def check_config_error(error: ConfigError, text: str) -> None:
    assert_clear(str(error), names=PATH)
    lines = text.split("\n")
    if error.line is not None:
        assert 1 <= error.line <= len(lines), (error.line, len(lines), str(error))
    assert str(error).startswith(PATH)


@fuzz_settings(300)
@given(damaged_text())
def test_a_damaged_file_is_read_or_refused_clearly(text: str) -> None:
    try:
        parse_site(text, PATH)
    except ConfigError as error:
        check_config_error(error, text)


@fuzz_settings(300)
@given(wrong_type())
def test_a_value_of_the_wrong_type_is_reported_at_its_line(case: WrongType) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_site(case.text, PATH)
    error = caught.value
    check_config_error(error, case.text)
    assert error.line == case.line, f"{case.key} at line {case.line}: {error}"
    assert error.field is not None and error.field.endswith(case.key), str(error)


@fuzz_settings(150)
@given(damaged_bytes())
def test_a_file_in_any_encoding_is_read_or_refused_clearly(tmp_path_factory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("site") / "edited.toml"
    path.write_bytes(data)
    try:
        load_site(path)
    except ConfigError as error:
        assert_clear(str(error), names=str(path))


def _site_load(world: World, path: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["site", "load", str(path), "--db", world.url])
    return code, out.getvalue(), err.getvalue()


@fuzz_settings(120)
@given(damaged_bytes())
def test_onestop_site_load_refuses_a_damaged_file_and_changes_nothing(
    world: World, tmp_path_factory, data: bytes
) -> None:
    path = tmp_path_factory.mktemp("site") / "edited.toml"
    path.write_bytes(data)
    before = snapshot(world.url)
    code, out, err = _site_load(world, path)
    settle(world.url, before, code, err)  # exit 0: the damage was harmless; put it back
    assert code in (0, 2), (code, out, err)
    if code == 2:
        assert_clear(err, names=str(path))


@fuzz_settings(150)
@given(damaged_text())
def test_office_load_site_refuses_with_a_domain_error_and_changes_nothing(
    world: World, text: str
) -> None:
    error = refused_unchanged(world.url, lambda: world.office.load_site(text, PATH))
    if error is not None:
        assert_clear(str(error), names=PATH)
