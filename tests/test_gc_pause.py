"""The collector around start-up (gc_pause): paused to the first frame, start-up's objects frozen twice.

Each test restores the collector (enabled, nothing frozen) and the module's state, so no other test
runs over a frozen heap.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from nymble_desk import gc_pause


@pytest.fixture(autouse=True)
def fresh_collector(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(gc_pause, "_paused", False)
    monkeypatch.setattr(gc_pause, "_settle_due", False)
    enabled = gc.isenabled()
    yield
    gc.unfreeze()
    if enabled:
        gc.enable()


def built_after_first_frame(n: int = 2000) -> list[dict[str, object]]:
    """Long-lived objects of the kind the Desk builds after the first frame (each in a cycle)."""
    nodes: list[dict[str, object]] = [{} for _ in range(n)]
    for node in nodes:
        node["self"] = node
    return nodes


def scanned(objects: list[dict[str, object]]) -> bool:
    """Whether the collector's generations (not the frozen ones) still hold ``objects[0]``."""
    first = objects[0]
    return any(o is first for o in gc.get_objects())


def test_settle_freezes_what_was_built_after_the_first_frame() -> None:
    gc_pause.pause()
    assert not gc.isenabled()
    gc_pause.resume()  # the first frame
    assert gc.isenabled()
    desk = built_after_first_frame()
    assert scanned(desk)  # every full collection walks them

    gc_pause.settle()  # signed in
    assert not scanned(desk)
    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    gc_pause.settle()  # once
    assert gc.get_freeze_count() == frozen


def test_settle_does_nothing_without_a_paused_start() -> None:
    """Tests' apps (never launched through gc_pause.pause) are not frozen."""
    desk = built_after_first_frame()
    gc_pause.settle()
    assert scanned(desk) and gc.get_freeze_count() == 0


def test_settle_waits_for_the_first_frame() -> None:
    gc_pause.pause()
    gc_pause.settle()  # before resume: nothing yet (resume collects start-up's garbage first)
    assert gc.get_freeze_count() == 0 and not gc.isenabled()
    gc_pause.resume()
    desk = built_after_first_frame()
    gc_pause.settle()
    assert not scanned(desk)
