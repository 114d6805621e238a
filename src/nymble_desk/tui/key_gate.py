"""Keys typed ahead land where the key before them leads: the field or screen in front *then*.

Textual hands each key read from the terminal to whatever has the focus at that moment.
When several keys come in one read (a fast typist over SSH, a scanner, keys sent in one
write), the ones after an Enter, a Tab or an F-key reach the old field before that key's
work has moved the focus or opened the next screen: ``DEMO⏎demo-rep⏎`` on the sign-in
screen filled the org code with ``DEMOdemo-rep``; after the lookup's Enter the cart's
first keys went to the lookup.

The :class:`KeyGate` (one per app) sees every key first (``NymbleApp.on_event``). A key
that may move the focus or change the screen opens a *hold*: the keys after it are kept,
in the order they were read, until that key's work has settled, then handed on again
(``replayed``) to whatever is in front now, each going through the app as if just typed:

- a field (:class:`GatesOwnKeys`, the ``OrderedInput``) opens a hold itself for Enter, Tab
  and keys it does not edit with (F-keys, escape, down ...), and hands back the keys that
  were already queued to it when the hold began;
- any other focused widget (lists, tables, a checkbox) gets a hold for each key;
- a screen whose Enter waits on the network (sign-in, a lookup still searching) holds with
  :meth:`KeyGate.hold` until the answer decides where the focus goes.

"Settled" means: the messages the key set off have gone up the focused widget's chain to
the app a few times over (each round carries one level of messages: Enter -> Submitted ->
the screen's handler -> the focus change), and a screen that came in front is mounted and
has its focus. Nothing here waits on the clock. Quit (and the other priority keys of the
app) is never held.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from typing import Any
from dataclasses import dataclass, field

from textual import events
from textual.app import App
from textual.dom import DOMNode
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget

#: rounds of "up the focus chain to the app" before a key's work counts as settled
ROUNDS = 3
#: screen refreshes to wait for a screen that came in front to be mounted and focused
SCREEN_TRIES = 50
#: printable keys that arrived closer together than this make one run (a paste, a scanner);
#: keys typed by hand come further apart and stay one key a run
RUN_GAP_S = 0.03
#: keys forwarded recently, remembered so a field can hand one back with its place in line
REMEMBERED = 1024

Event = events.Key | events.Paste


class GatesOwnKeys:
    """Marks a widget that opens holds for its own keys (the ``OrderedInput``): the gate does not
    hold after each key forwarded to it, so typing into a field costs nothing."""


class TakesTypedRuns(GatesOwnKeys):
    """Marks a field that takes a run of printable keys read together as one insert (the cart's
    entry line, where an unbracketed paste or a scanner sends hundreds of keys at once): Textual's
    Input redraws and posts Changed per key, which made a 500-line paste take seconds."""


class TypedRun(Message):
    """Printable keys read back to back, for a :class:`TakesTypedRuns` field, in one piece."""

    def __init__(self, text: str, keys: list[events.Key]) -> None:
        super().__init__()
        self.text = text
        self.keys = keys


@dataclass(eq=False)
class Hold:
    """An open hold (from :meth:`KeyGate.hold`); give it back to :meth:`KeyGate.release`."""

    reason: str
    released: bool = field(default=False)


def _copy(event: Event) -> Event:
    if isinstance(event, events.Paste):
        return events.Paste(event.text)
    return events.Key(event.key, event.character)


class KeyGate:
    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self._seq = 0
        self._holds = 0
        self._held: list[tuple[int, Event]] = []
        self._replaying: list[tuple[Event, int]] = []
        self._forwarded: deque[tuple[Event, int]] = deque(maxlen=REMEMBERED)
        self._run: list[events.Key] = []
        self._run_to: Widget | None = None
        #: ``time.monotonic()`` of the last key or paste the app read (-inf before the first): what
        #: waits for a pause in the typing (the index fill's progress on the status line) reads it
        self.last_key_at = float("-inf")

    # -- state -------------------------------------------------------------------------
    @property
    def holding(self) -> bool:
        """Keys are being kept: a key's work (or a screen's answer) has not settled yet."""
        return self._holds > 0

    @property
    def idle(self) -> bool:
        """Nothing held, nothing being handed on (tests wait for this)."""
        return not self._holds and not self._held and not self._replaying and not self._run

    # -- the app's entry point -------------------------------------------------------------
    def take(self, event: Event) -> bool:
        """Called by the app for each key or paste from the terminal (and each one handed on
        again) before Textual dispatches it; True when the gate keeps it for later."""
        self.last_key_at = time.monotonic()
        seq = self._replayed_seq(event)
        if seq is None:
            self._seq += 1
            seq = self._seq
            if (self._holds or self._replaying or self._held) and not self._never_held(event):
                self._held.append((seq, _copy(event)))
                return True
        elif self._holds:
            self._held.append((seq, _copy(event)))
            return True
        self._forwarded.append((event, seq))
        focused = self.app.focused
        if isinstance(focused, TakesTypedRuns) and isinstance(event, events.Key) and event.is_printable:
            if self._run and (self._run_to is not focused or event.time - self._run[-1].time >= RUN_GAP_S):
                self._end_run()  # another field, or typed by hand (apart): its own run
            if not self._run:
                self._run_to = focused
                self.app.call_later(self._end_run)  # after the keys of this read already queued
            self._run.append(event)
            self._hand_on_the_rest()
            return True
        self._end_run()  # an Enter, a tab, a paste ...: after the characters typed before it
        if not isinstance(focused, GatesOwnKeys) and not self._never_held(event):
            self.hold_briefly()  # a list, a table, a checkbox: the key may select, open or move
        self._hand_on_the_rest()
        return False

    def _hand_on_the_rest(self) -> None:
        """After the last replayed key went on: the keys that came while it was on its way, kept
        to follow it (whatever path that key took: a typed run too, or they were kept for good)."""
        if not self._replaying and not self._holds and self._held:
            self._hand_on()

    def _end_run(self) -> None:
        """Hand the printable keys read so far to their field, as one run."""
        run, target = self._run, self._run_to
        self._run, self._run_to = [], None
        if run and target is not None:
            target.post_message(TypedRun("".join(key.character or "" for key in run), run))

    def _never_held(self, event: Event) -> bool:
        if not isinstance(event, events.Key):
            return False
        active = self.app.active_bindings.get(event.key)
        return active is not None and active.binding.priority and active.node is self.app

    def _replayed_seq(self, event: Event) -> int | None:
        for index, (replayed, seq) in enumerate(self._replaying):
            if replayed is event:
                del self._replaying[index]
                return seq
        return None

    # -- holds ---------------------------------------------------------------------------
    def hold_briefly(self) -> None:
        """Keep the keys that come next until the current key's work has settled."""
        self._holds += 1
        self._after_settling(self._end_hold)

    def hold(self, reason: str) -> Hold:
        """Keep the keys that come next until :meth:`release` (a screen waiting on the network)."""
        self._holds += 1
        return Hold(reason)

    def release(self, hold: Hold) -> None:
        """End ``hold`` once what it waited for has settled (a focus change, a new screen)."""
        if hold.released:
            return
        hold.released = True
        self._after_settling(self._end_hold)

    def hand_back(self, event: Event) -> None:
        """A field got ``event`` before a hold began (it was queued there): keep it, in its place."""
        seq = next((s for e, s in reversed(self._forwarded) if e is event), None)
        if seq is None:  # posted to the field directly: after everything read so far
            self._seq += 1
            seq = self._seq
        self._held.append((seq, _copy(event)))

    def _end_hold(self) -> None:
        self._holds -= 1
        if not self._holds and not self._replaying:
            self._hand_on()

    def _hand_on(self) -> None:
        """Send the kept keys through the app again, in the order they were read."""
        held = sorted(self._held, key=lambda item: item[0])
        self._held.clear()
        for seq, event in held:
            self._replaying.append((event, seq))
            self.app.post_message(event)

    # -- settling --------------------------------------------------------------------------
    def _after_settling(self, done: Callable[[], None]) -> None:
        screen = self.app.screen
        self._rounds(ROUNDS, lambda: self._when_screen_ready(screen, done, 0))

    def _rounds(self, rounds: int, then: Callable[[], None]) -> None:
        """``rounds`` times: a callback queued behind whatever the focused widget, each of its
        ancestors and the app have queued now, one after the other; then ``then``."""
        if rounds <= 0:
            then()
            return
        chain: list[DOMNode | App[object]] = []
        node: DOMNode | None = self.app.focused or self.app.screen
        while node is not None:
            chain.append(node)
            node = node.parent
        if not chain or chain[-1] is not self.app:
            chain.append(self.app)

        def hop(index: int) -> None:
            while index < len(chain):
                if chain[index].call_later(hop, index + 1):
                    return
                index += 1  # a closed node (removed meanwhile): go on from its parent
            self._rounds(rounds - 1, then)

        hop(0)

    def _when_screen_ready(self, before: Screen[object], done: Callable[[], None], tries: int) -> None:
        screen = self.app.screen
        ready = screen.is_mounted and (screen.focused is not None or not screen.focus_chain)
        if screen is before and ready:
            done()
        elif ready or tries >= SCREEN_TRIES:
            # a screen came in front (or went): one more round for what its mount queued (its focus)
            self._rounds(1, done)
        elif not screen.call_after_refresh(self._when_screen_ready, before, done, tries + 1):
            done()
