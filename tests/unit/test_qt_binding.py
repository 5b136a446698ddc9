"""Guards the Qt binding we ship against a reference-counting bug that kills the app.

PySide6 6.12.0's Signal.emit() returns True without taking a reference: after a few
hundred emits the interpreter aborts ("bool_dealloc"). A kiosk emits several signals
per ticket, so it would die within a busy morning.
"""

import sys

from PySide6.QtCore import QObject, Signal


class Emitter(QObject):
    ping = Signal(object)


def test_emitting_signals_keeps_true_alive() -> None:
    emitter = Emitter()
    emitter.ping.connect(lambda _value: None)
    before = sys.getrefcount(True)
    results = [emitter.ping.emit(1) for _ in range(200)]
    # Holding 200 results must hold 200 more references to True (if emit returns True).
    held = sum(1 for r in results if r is True)
    assert sys.getrefcount(True) >= before + held - 5
