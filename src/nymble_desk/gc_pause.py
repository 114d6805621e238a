"""The garbage collector paused from the start of the UI until its first frame (stdlib only).

Importing Textual and the first screen's code allocates hundreds of thousands of
objects, which set off full collections over everything imported so far: 30-50 ms of
CPU before the first frame, for garbage start-up hardly makes.  :func:`pause` before
the imports; :func:`resume` after the first frame (or when the UI ends) collects
once, freezes what start-up built (modules, classes, styles: never garbage, and
from then on never scanned again), and turns the collector back on.

Start-up goes on after the first frame: the Desk, its API client (httpx), the models
(pydantic) and the search index are built once the app signs in, another ~35,000
long-lived objects.  Left in the collector's oldest generation they made each full
collection while the rep typed cost 15-25 ms of CPU (30-70 ms on a machine busy
with the index fill), drawn into a keystroke's frame.  :func:`settle`, when that
work is done, freezes them too (without a collection: the little garbage among them
is kept, as the importer's quick start does, rather than stall the UI ~25 ms).
"""

from __future__ import annotations

import gc

_paused = False
_settle_due = False  # a UI run that pause() began and settle() has not frozen yet


def pause() -> None:
    """Stop automatic collection until :func:`resume` (does nothing when it is already off)."""
    global _paused, _settle_due
    if gc.isenabled():
        gc.disable()
        _paused = True
        _settle_due = True


def resume() -> None:
    """Undo :func:`pause` (once; later calls, and calls without a pause, do nothing)."""
    global _paused
    if _paused:
        _paused = False
        gc.collect()
        gc.freeze()
        gc.enable()


def settle() -> None:
    """The rest of start-up is built (signed in, the Desk ready): freeze it as well, so that the
    collections while the rep types scan only what the session itself makes.  Once, after
    :func:`resume`, and only in a run :func:`pause` began (tests' apps are never frozen)."""
    global _settle_due
    if _settle_due and not _paused:
        _settle_due = False
        gc.freeze()


def paused() -> bool:
    return _paused
