"""The garbage collector paused from the start of the UI until its first frame (stdlib only).

Importing Textual and the first screen's code allocates hundreds of thousands of
objects, which set off full collections over everything imported so far: 30-50 ms of
CPU before the first frame, for garbage start-up hardly makes.  :func:`pause` before
the imports; :func:`resume` after the first frame (or when the UI ends) collects
once, freezes what start-up built (modules, classes, styles: never garbage, and
from then on never scanned again), and turns the collector back on.
"""

from __future__ import annotations

import gc

_paused = False


def pause() -> None:
    """Stop automatic collection until :func:`resume` (does nothing when it is already off)."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume() -> None:
    """Undo :func:`pause` (once; later calls, and calls without a pause, do nothing)."""
    global _paused
    if _paused:
        _paused = False
        gc.collect()
        gc.freeze()
        gc.enable()


def paused() -> bool:
    return _paused
