"""Every use of a Textual private name, and every reliance on undocumented Textual behaviour, in one place.

Written against Textual 8.2.8 (pinned in pyproject.toml).  Textual may change its private names in
any release; when it does, only this module needs to change, and
``tests/tui/test_textual_compat.py`` fails first, with a message naming the assumption that broke.
No other module under ``nymble_desk.tui`` may read or call a ``_name`` of a Textual object.

The assumptions:

1. ``DOMNode._bindings.key_to_bindings`` maps a key to the node's *own* bindings (its ``BINDINGS``
   after the user's keymap), unlike the public ``active_bindings``, which merges the whole focus
   chain: :func:`own_bindings`, :func:`all_own_bindings`.
2. ``Input._restart_blink()`` shows the cursor and restarts its blink, as Input does on each key it
   handles itself: :func:`restart_blink`.
3. ``Input._suggestion`` holds the suggester's completion of the current value (the ghost text):
   :func:`suggestion`.
4. ``Screen._dirty_widgets`` holds the widgets whose repaint request has reached the screen and that
   its next frame will draw: :func:`waiting_to_paint`.
5. A widget's repaint request reaches its screen within :data:`TURNS_TO_REACH_SCREEN` turns of the
   event loop (the widget's idle check, its Update message to the screen, the screen's handler);
   ``one_frame`` waits exactly that many turns, never any time.
6. (Public names, undocumented order.)  A handler named ``on_key`` on a subclass of Input runs before
   Input's own key handling (which inserts printable characters), and ``prevent_default()`` in it
   stops that handling; the nymble fields rely on it to apply keys in order.
"""

from __future__ import annotations

from collections.abc import Iterator

from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input

#: The Textual release these assumptions were checked against.
TESTED_WITH = "8.2.8"

#: Event-loop turns for a widget's repaint request to reach its screen (assumption 5).
TURNS_TO_REACH_SCREEN = 3


def own_bindings(node: DOMNode, key: str) -> tuple[Binding, ...]:
    """The node's own bindings for ``key`` (its BINDINGS after the user's keymap), in order."""
    return tuple(node._bindings.key_to_bindings.get(key, ()))


def all_own_bindings(node: DOMNode) -> Iterator[Binding]:
    """Every binding of the node's own (not its ancestors')."""
    for bindings in node._bindings.key_to_bindings.values():
        yield from bindings


def restart_blink(field: Input) -> None:
    """Show the cursor now and restart its blink, as Input does for the keys it handles itself."""
    field._restart_blink()


def suggestion(field: Input) -> str:
    """The ghost completion the field shows after its value ("" when none)."""
    return field._suggestion


def waiting_to_paint(screen: Screen[object]) -> frozenset[Widget]:
    """The widgets whose repaint request the screen holds for its next frame."""
    return frozenset(screen._dirty_widgets)
