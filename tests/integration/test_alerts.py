"""Alerts on a real database: a desk's alarm, reception's acknowledgement, a day's log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from shared.domain import NotFound
from shared.notices import Notices
from shared.office import Office
from shared.store import Database


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def test_an_alarm_is_seen_to_and_the_days_log_keeps_it(sqlite_url: str) -> None:
    clock = Clock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    db = Database(sqlite_url, clock=clock)
    Office(db).ensure_default_sites()
    notices = Notices(db)
    yesterday = notices.raise_alert("bootle", "help", "Kiosk 1", "yesterday's")
    clock.now += timedelta(minutes=5)
    notices.resolve("bootle", alert_id=yesterday)
    clock.now = datetime(2026, 3, 2, 23, 0, tzinfo=UTC)  # raised last night, still open
    left_open = notices.raise_alert("bootle", "printer", "Kiosk 2", "out of paper")
    midnight = datetime(2026, 3, 3, 0, 0, tzinfo=UTC)
    clock.now = midnight + timedelta(hours=10)
    alarm = notices.raise_alert("bootle", "safety", "Desk 3", "SAFETY ALARM at Desk 3")
    assert notices.raise_alert("bootle", "safety", "Desk 3") == alarm  # pressed twice: one
    assert notices.alert("bootle", alarm).resolved_at is None
    clock.now += timedelta(minutes=1)
    assert notices.resolve("bootle", alert_id=alarm) == 1  # reception acknowledges
    seen = notices.alert("bootle", alarm)
    assert seen.resolved_at == clock.now and seen.detail == "SAFETY ALARM at Desk 3"
    today = notices.alerts("bootle", open_only=False, since=midnight)
    assert [a.id for a in today] == [left_open, alarm]  # not yesterday's, resolved then
    assert [a.id for a in notices.alerts("bootle")] == [left_open]
    with pytest.raises(NotFound, match="no alert"):
        notices.alert("southport", alarm)  # another site's alert is not this site's
    db.dispose()
