"""The display's refresh on a busy site: every call and the delay notice at once, the
ticker's waits worked out again at most every WAITS_SECONDS.

The load test (tests/benchmarks/load_bench.py) found each display predicting every
service's wait (some 140 queries, 80 ms) at every change at its site; 20 displays on
one council server took more than its two cores, and calls reached the screens
seconds late."""

from __future__ import annotations

from typing import Any

from reception.display import WAITS_SECONDS, DisplayPresenter
from shared.eventlog import EventLog
from shared.notices import Notices
from shared.office import Office
from shared.store import Database


def test_a_burst_of_changes_shows_every_call_and_predicts_the_waits_once(
    qapp, sqlite_url, tmp_path
) -> None:
    office = Office(Database(sqlite_url))
    office.ensure_default_sites()
    for _ in range(6):
        office.checkin("bootle", "council-tax")
    presenter = DisplayPresenter(office, "bootle", EventLog("display", tmp_path))
    presenter.poll.stop()
    now = [1000.0]
    presenter.clock = lambda: now[0]
    predictions = []
    real = office.waits.for_new_walk_in

    def counted(*args: Any, **kwargs: Any) -> Any:
        predictions.append(args)
        return real(*args, **kwargs)

    office.waits.for_new_walk_in = counted  # type: ignore[method-assign]
    shown: list[str] = []
    tickers: list[str] = []
    presenter.called.connect(lambda call: shown.append(call.ticket))
    presenter.ticker_changed.connect(tickers.append)
    try:
        for desk in ("Desk 1", "Desk 2", "Desk 6", "Desk 8"):  # each change a notification
            office.call_next("bootle", desk)
            presenter.refresh()
        assert shown == ["C001", "C002", "C003", "C004"]
        assert len(predictions) == 1  # not one a change
        assert "Council Tax: about" in tickers[-1]  # the waits stay on the ticker

        Notices(office.db).set_delay("bootle", "Two advisers are on training", 30)
        presenter.refresh()
        assert "Two advisers are on training" in tickers[-1]  # the notice at once
        assert "Council Tax: about" in tickers[-1]
        assert len(predictions) == 1

        now[0] += WAITS_SECONDS
        office.call_next("bootle", "Desk 1")
        presenter.refresh()
        assert shown[-1] == "C005"
        assert len(predictions) == 2  # due again
    finally:
        office.db.dispose()


def test_the_ticker_asked_for_directly_is_always_worked_out_afresh(
    qapp, sqlite_url, tmp_path
) -> None:
    office = Office(Database(sqlite_url))
    office.ensure_default_sites()
    presenter = DisplayPresenter(office, "bootle", EventLog("display", tmp_path))
    presenter.poll.stop()
    try:
        assert "Council Tax" not in presenter.ticker_text()  # nobody waits
        office.checkin("bootle", "council-tax")
        assert "Council Tax: about" in presenter.ticker_text()
    finally:
        office.db.dispose()
