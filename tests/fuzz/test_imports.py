"""Appointment and history imports fed damaged CSV files: all or nothing, the file and
the line of the first bad row named, a DomainError (exit 2 from the command), and
every table as it was."""

from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from shared.cli import main
from shared.reports.history import import_visits
from tests.fuzz.checks import assert_clear, refused_unchanged, settle
from tests.fuzz.csv_files import CsvFile, appointment_file, history_file
from tests.fuzz.nasty import fuzz_settings
from tests.fuzz.snapshot import snapshot
from tests.fuzz.world import World


def write(tmp_path_factory, f: CsvFile, name: str) -> Path:  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("csv") / name
    path.write_bytes(f.data())
    return path


def check_refusal(message: str, f: CsvFile, path: Path) -> None:
    assert_clear(message, names=str(path))
    clean = f.encoding in ("utf-8", "bom") and f.junk_at is None and not f.bad_header
    if clean and f.bad_row is not None:
        # The first surely-bad row is named at the line where it starts (or an earlier
        # row that the damage made bad too).
        named = [int(word) for word in message.replace(":", " ").split() if word.isdigit()]
        assert any(line <= f.starts[f.bad_row] for line in named if line >= 2), (
            f"row {f.bad_row} starts at line {f.starts[f.bad_row]}: {message[:600]}"
        )


@fuzz_settings(200)
@given(history_file())
def test_a_damaged_history_file_is_imported_whole_or_not_at_all(
    world: World, tmp_path_factory, f: CsvFile
) -> None:
    path = write(tmp_path_factory, f, "history.csv")
    error = refused_unchanged(world.url, lambda: import_visits(world.office.db, path))
    if error is not None:
        check_refusal(str(error), f, path)
    else:
        assert f.bad_row is None or f.encoding not in ("utf-8", "bom"), "a bad row was imported"


@fuzz_settings(100)
@given(history_file(), st.sampled_from([None, "cp1252", "utf-16", "latin-1", "nonsense"]))
def test_onestop_import_visits_skips_bad_rows_or_refuses_with_exit_2(
    world: World, tmp_path_factory, f: CsvFile, encoding: str | None
) -> None:
    path = write(tmp_path_factory, f, "history.csv")
    argv = ["import", "visits", str(path), "--skip-bad", "--db", world.url]
    if encoding:
        argv += ["--encoding", encoding]
    before = snapshot(world.url)
    code, out, err = run(argv)
    settle(world.url, before, code, err)
    assert code in (0, 2), (code, out, err)
    assert_clear(err if code == 2 else out)  # out: the skipped lines and their reasons


@fuzz_settings(200)
@given(appointment_file(), st.sampled_from([None, "bootle"]))
def test_a_damaged_appointment_file_is_imported_whole_or_not_at_all(
    world: World, tmp_path_factory, f: CsvFile, site: str | None
) -> None:
    path = write(tmp_path_factory, f, "appointments.csv")
    error = refused_unchanged(world.url, lambda: world.office.import_appointments(path, site))
    if error is not None:
        check_refusal(str(error), f, path)
    else:
        assert f.bad_row is None or f.encoding not in ("utf-8", "bom"), "a bad row was imported"


@fuzz_settings(100)
@given(appointment_file())
def test_onestop_appointment_import_refuses_with_exit_2_and_changes_nothing(
    world: World, tmp_path_factory, f: CsvFile
) -> None:
    path = write(tmp_path_factory, f, "appointments.csv")
    before = snapshot(world.url)
    code, out, err = run(["appointment", "import", str(path), "--db", world.url])
    settle(world.url, before, code, err)
    assert code in (0, 2), (code, out, err)
    if code == 2:
        assert_clear(err, names=str(path))


def run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()
