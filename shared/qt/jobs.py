"""Answering from a worker pool's job (printing, rendering speech).

A job holds the QObject that started it and answers through one of its signals.
The pool is that object's child, so when the object goes (its window closed) the
pool waits for the running job first; the job then finds the signal's source gone.
"""

from __future__ import annotations

import contextlib
from typing import Any

from PySide6.QtCore import QObject


def tell(source: QObject, signal: str, *args: Any) -> None:
    """Emit `source.signal(*args)` from a job's thread, unless `source` has gone."""
    with contextlib.suppress(RuntimeError):  # "Signal source has been deleted"
        getattr(source, signal).emit(*args)
