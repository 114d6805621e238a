"""What differs between the draft and the customer's cart on the server, and the rep's choice.

Shown over the cart when a sync found changes made elsewhere (a line's quantity or
price, a line only the server has, the ship-to or the PO) and when the rep tries to
check out such a draft. ``ConflictsScreen(conflicts)`` answers ``"mine"`` (send this
draft's over the server's), ``"theirs"`` (take the server's into the draft) or None
(later: nothing is sent and the draft cannot be checked out until it is settled).
"""

from __future__ import annotations

from typing import Literal

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from nymble_desk.tui.keymap import CONFLICT_BINDINGS
from nymble_desk.tui.widgets.fit_footer import FitFooter

Keep = Literal["mine", "theirs"]


class ConflictsScreen(ModalScreen["Keep | None"]):
    CSS_PATH = "conflicts.tcss"
    BINDINGS = CONFLICT_BINDINGS

    def __init__(self, conflicts: list[str] | tuple[str, ...]) -> None:
        super().__init__()
        self.conflicts = list(conflicts)

    def compose(self) -> ComposeResult:
        with Vertical(id="conflicts-box"):
            yield Static("The customer's cart on the server differs from this draft", id="conflicts-title")
            yield Static("\n".join(f"• {c}" for c in self.conflicts), id="conflicts-list", markup=False)
            yield Static("Changed elsewhere (the web store, another device). Nothing is sent and the order "
                         "cannot be placed until you choose.", id="conflicts-why")
            yield Static("m / F6  Keep this draft's     t / F7  Take the server's     Esc  Later",
                         id="conflicts-keys", markup=False)
        yield FitFooter(show_command_palette=False, compact=True)

    def action_keep(self, which: Keep) -> None:
        self.dismiss(which)

    def action_later(self) -> None:
        self.dismiss(None)
