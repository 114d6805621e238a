"""An Input that applies its own keys in the order they arrive.

Textual 8.2.8 runs the focused widget's key *bindings* (enter, backspace, ctrl+u, tab ...)
from the app's queue as soon as a key arrives, but inserts printable keys later, from
the Input's own queue. When several keys arrive in one read (a barcode scanner, a fast
typist over a laggy SSH link) they are applied out of order: a scanner's
``CODE1⏎CODE2⏎`` ran together into ``CODE1CODE2``, and ``abc⌫xy`` became ``abcx``.

Here the Input runs its own bindings from its own queue, in order with the characters,
and declines them when the app's early check asks (``check_action``), so each runs once.
Tab and shift+tab move the focus from this queue too, and keys that were queued here
before the focus moved on (``DEMO⇥demo-rep`` in one read) are passed, in order, to the
field that has it now.  App and screen keys are untouched.

Keys typed ahead across a key that moves on (Enter, Tab, an F-key, escape, down ...)
wait in the app's :class:`~nymble_desk.tui.key_gate.KeyGate` until that key's work has
settled, then go to the field or screen it led to: this field opens the hold before it
runs such a key and hands back the keys already queued to it. Editing keys (backspace,
arrows, ctrl+u ...) and printable keys never hold. A field whose Enter keeps the focus
(the cart's entry line, where a scanner sends code after code) sets ``SUBMIT_MOVES_ON``
to False.
"""

from __future__ import annotations

from textual import events
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input

from nymble_desk.tui.key_gate import GatesOwnKeys, KeyGate
from nymble_desk.tui.textual_compat import all_own_bindings, own_bindings, restart_blink

#: the actions of Textual's Input that only edit the text or move the cursor (never the focus)
EDITING = frozenset(b.action.split("(", 1)[0] for b in Input.BINDINGS if b.action != "submit")  # type: ignore[union-attr]


class OrderedInput(Input, GatesOwnKeys):
    #: Enter may move the focus or open a screen: keys typed after it wait for that
    SUBMIT_MOVES_ON = True
    #: Input sets its virtual (scrollable) width to the text's on every change, and Widget's reactive
    #: then lays out the whole screen again: ~1 ms of each keystroke's frame on the lookup.  The field's
    #: own size never depends on it (a field sized ``auto`` is laid out again by Input itself), and its
    #: horizontal scrolling reads the value directly, so a change repaints the field only.
    virtual_size = Reactive(Size(0, 0), layout=False)
    _in_own_queue = False
    _own: frozenset[str] | None = None
    _last_key: events.Key | None = None

    @property
    def _gate(self) -> KeyGate | None:
        gate = getattr(self.app, "key_gate", None)
        return gate if isinstance(gate, KeyGate) else None

    def _moves_on(self, event: events.Key) -> bool:
        """This key may move the focus or change the screen: the keys after it must wait."""
        if event.is_printable:
            return False
        actions = [b.action.split("(", 1)[0] for b in own_bindings(self, event.key) if not b.priority]
        if not actions:
            return True  # tab, an F-key, escape ...: the screen's or the app's
        if "submit" in actions:
            return self.SUBMIT_MOVES_ON
        return not all(action in EDITING for action in actions)

    def _own_actions(self) -> frozenset[str]:
        # asked on every footer refresh and key: worked out once (the field's own keys carry no
        # binding ids, so a user keymap never changes them)
        if self._own is None:
            self._own = frozenset(b.action.split("(", 1)[0] for b in all_own_bindings(self) if not b.priority)
        return self._own

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self._in_own_queue and action in self._own_actions():
            return False  # the app's early binding check: on_key runs it, in order
        return super().check_action(action, parameters)

    async def on_key(self, event: events.Key) -> None:
        # Textual calls the key handler of each class in the MRO, this one before Input's, until one
        # prevents the default (textual_compat, assumption 6): a key left alone here goes on to
        # Input (a character is inserted) and then to the widget's key_ methods.  Looked at once,
        # should a key come here twice.
        if event is self._last_key:
            return
        self._last_key = event
        gate = self._gate
        if gate is not None:
            if gate.holding:  # queued here before an earlier key's hold began: it waits its turn
                self._done(event)
                gate.hand_back(event)
                return
            if self._moves_on(event):
                gate.hold_briefly()
        focused = self.screen.focused
        if focused is not None and focused is not self:  # queued here before the focus moved on
            self._done(event)
            focused.post_message(events.Key(event.key, event.character))
            return
        if not event.is_printable:
            for binding in own_bindings(self, event.key):
                if binding.priority:
                    continue
                self._in_own_queue = True
                try:
                    handled = await self.app.run_action(binding.action, self)
                finally:
                    self._in_own_queue = False
                if handled:
                    self._done(event)
                    restart_blink(self)
                    return
            if event.key in ("tab", "shift+tab"):  # in order with the keys after it, not later from the app
                self._done(event)
                self.screen.focus_next() if event.key == "tab" else self.screen.focus_previous()
                return

    @staticmethod
    def _done(event: events.Key) -> None:
        event.stop()
        event.prevent_default()
