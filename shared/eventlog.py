"""The apps' event log: one JSON object per line, for support staff and benchmarks.

Each app writes `<app>.jsonl` in its log folder (the platformdirs log folder, or
ONESTOP_LOG_DIR, or `--log-dir`). Every line has `at` (ISO 8601 with offset),
`event` (checked_in, ticket_printed, greeted, called, displayed, announced,
finished, ...), `site`, `ticket` and `desk` where they apply, and any details.
"""

from __future__ import annotations

import json
import os
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import platformdirs


def log_dir(override: str | Path | None = None) -> Path:
    folder = Path(
        override or os.environ.get("ONESTOP_LOG_DIR") or platformdirs.user_log_dir("onestop", False)
    )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class EventLog:
    """Appends events to `<folder>/<app>.jsonl`; safe to call from any thread."""

    def __init__(self, app: str, folder: str | Path | None = None) -> None:
        self.path = log_dir(folder) / f"{app}.jsonl"
        self.app = app
        self._lock = threading.Lock()

    def write(
        self,
        event: str,
        *,
        site: str | None = None,
        ticket: str | None = None,
        desk: str | None = None,
        **details: Any,
    ) -> dict[str, Any]:
        record = {
            "at": datetime.now(UTC).astimezone().isoformat(timespec="microseconds"),
            "app": self.app,
            "event": event,
            "site": site,
            "ticket": ticket,
            "desk": desk,
            **details,
        }
        line = json.dumps(record, default=str, ensure_ascii=False)
        with self._lock, self.path.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")
        return record


def read_events(path: str | Path) -> list[dict[str, Any]]:
    events = []
    with Path(path).open(encoding="utf-8") as handle:
        for line in handle:
            line = line.strip()
            if line:
                events.append(json.loads(line))
    return events
