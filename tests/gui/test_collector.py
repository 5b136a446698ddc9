"""Python's garbage collector never frees a Qt object on a worker thread in our apps."""

from __future__ import annotations

import gc
import subprocess
import sys

import pytest
import shiboken6
from PySide6.QtCore import QObject

from shared.qt.collector import GuiThreadCollector, collect_on_gui_thread

WRONG_THREAD = "Timers cannot be stopped from another thread"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tests.gui.gc_threads", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_without_the_collector_a_worker_thread_frees_qt_objects() -> None:
    """The hazard is real: this is how the suite used to crash now and then."""
    result = run()
    assert WRONG_THREAD in result.stderr or result.returncode != 0


def test_with_the_collector_objects_are_freed_on_the_gui_thread_only() -> None:
    result = run("collector")
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "survived"
    assert WRONG_THREAD not in result.stderr


@pytest.fixture
def collector(qapp):
    made = collect_on_gui_thread(qapp)
    yield made
    shiboken6.delete(made)  # as when the application goes: collection is automatic again
    assert gc.isenabled()


def test_the_collector_turns_automatic_collection_off_and_frees_young_cycles_each_tick(
    collector, qtbot
) -> None:
    assert not gc.isenabled()
    assert collect_on_gui_thread(collector.parent()) is collector  # installed once

    class Cycle(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.me = self

    gc.collect()
    for _ in range(5):  # a few: no threshold reached, still freed at the next tick
        Cycle()  # unreachable at once, but only a collection frees a cycle
    assert GuiThreadCollector.collect_if_due() >= 5
    assert GuiThreadCollector.collect_if_due() == 0  # nothing more to free


def test_an_older_generation_is_collected_when_its_threshold_is_passed(collector) -> None:
    gc.collect()
    middle = gc.get_threshold()[1]
    for _ in range(middle + 1):  # one young collection a tick, counted by the middle one
        GuiThreadCollector.collect_if_due()
    assert gc.get_count()[1] == middle + 1  # now past its threshold
    GuiThreadCollector.collect_if_due()
    assert gc.get_count()[1] == 0 and gc.get_count()[2] >= 1  # the middle one collected


def test_the_collectors_timer_collects_on_its_own(collector, qtbot) -> None:
    freed: list[bool] = []

    class Cycle:
        def __init__(self) -> None:
            self.me = self

        def __del__(self) -> None:
            freed.append(True)

    gc.collect()
    for _ in range(gc.get_threshold()[0] + 100):
        Cycle()
    assert not freed
    qtbot.waitUntil(lambda: len(freed) > 0, timeout=5000)
