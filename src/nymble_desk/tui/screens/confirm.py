"""A generic confirmation modal that states what will happen before it happens.

``ConfirmScreen(title, what, yes="Void")`` answers True (y) or False (n, Escape).
The body says in plain words what the action does and that it cannot be undone,
so the rep confirms a consequence, not a button.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from nymble_desk.tui.keymap import CONFIRM_BINDINGS
from nymble_desk.tui.widgets.fit_footer import FitFooter


class ConfirmScreen(ModalScreen[bool]):
    CSS_PATH = "confirm.tcss"
    BINDINGS = CONFIRM_BINDINGS

    def __init__(self, title: str, what: str, *, yes: str = "Yes", no: str = "Keep") -> None:
        super().__init__()
        self.title_text, self.what, self.yes, self.no = title, what, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(self.title_text, id="confirm-title", markup=False)
            yield Static(self.what, id="confirm-what", markup=False)
            yield Static(f"y  {self.yes}     n / Esc  {self.no}", id="confirm-keys", markup=False)
        yield FitFooter(show_command_palette=False, compact=True)

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
