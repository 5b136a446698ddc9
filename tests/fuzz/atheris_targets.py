"""Coverage-guided fuzzing with atheris (libFuzzer): the parsers that take raw bytes.

    python -m tests.fuzz.atheris_targets config  -runs=20000
    python -m tests.fuzz.atheris_targets scanner -max_total_time=60
    python -m tests.fuzz.atheris_targets history -runs=2000

Arguments after the target go to libFuzzer. Each target starts from a corpus of
real input (the shipped site files, tickets' QR codes, a history file) and keeps
what it learns in a scratch folder. The property is the suite's: a DomainError
with a clear message, or success; anything else is a crash libFuzzer reports (exit
1, with the input that did it). tests/fuzz/test_atheris.py runs each briefly.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["shared", "kiosk"]):
    from kiosk.survey import ticket_from_scan
    from shared.config import parse_site
    from shared.domain import DomainError
    from shared.domain.tickets import parse_ticket
    from shared.reports.history import import_visits

from tests.fuzz.checks import assert_clear, refused_unchanged
from tests.fuzz.toml_mutations import SHIPPED


def _text(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def config(data: bytes) -> None:
    text = _text(data)
    if text is None:
        return
    try:
        parse_site(text, "fuzzed.toml")
    except DomainError as error:
        assert_clear(str(error), names="fuzzed.toml")


def scanner(data: bytes) -> None:
    text = data.decode("utf-8", "surrogateescape")
    for attempt in (
        lambda: ticket_from_scan(text, "bootle", "20261201"),
        lambda: parse_ticket(text),
    ):
        try:
            attempt()
        except DomainError as error:
            assert_clear(str(error))


class History:
    """history: the import into one SQLite database, a file per input."""

    def __init__(self) -> None:
        from tests.fuzz.world import populate

        folder = Path(tempfile.mkdtemp(prefix="onestop-atheris-"))
        atexit.register(shutil.rmtree, folder, True)
        os.environ.setdefault("ONESTOP_DATA_DIR", str(folder / "data"))
        self.world = populate(f"sqlite:///{folder}/onestop.db")
        self.file = folder / "history.csv"

    def __call__(self, data: bytes) -> None:
        self.file.write_bytes(data)
        error = refused_unchanged(
            self.world.url, lambda: import_visits(self.world.office.db, self.file)
        )
        if error is not None:
            assert_clear(str(error), names=str(self.file))


SEEDS = {
    "config": [text.encode() for text in SHIPPED.values()],
    "scanner": [
        b"https://www.sefton.gov.uk/feedback?ticket=bootle-20261201-C001",
        b"c 23",
        b"BOO-ABC123",
    ],
    "history": [
        b"site,service,ticket,arrived_at,called_at,finished_at,outcome,survey_csa\n"
        b"bootle,parking,P001,2019-05-06T10:00:00+01:00,2019-05-06T10:05:00+01:00,"
        b"2019-05-06T10:15:00+01:00,resolved,5\n"
    ],
}


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in SEEDS:
        print(
            f"usage: python -m tests.fuzz.atheris_targets {{{','.join(SEEDS)}}} [libFuzzer options]"
        )
        raise SystemExit(2)
    name = sys.argv[1]
    target = History() if name == "history" else {"config": config, "scanner": scanner}[name]
    corpus = Path(tempfile.mkdtemp(prefix=f"onestop-corpus-{name}-"))
    atexit.register(shutil.rmtree, corpus, True)  # atheris.Fuzz() ends the process
    for number, seed in enumerate(SEEDS[name]):
        (corpus / f"seed{number}").write_bytes(seed)
    atheris.Setup([sys.argv[0], *sys.argv[2:], str(corpus)], target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
