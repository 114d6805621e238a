"""Messages that carry results between screens and the app.

Screens post these; they bubble to :class:`nymble_desk.tui.app.NymbleApp`, which
owns navigation. Widget-specific messages live nested in their widget (for
example ``CustomerPanel.Reorder``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from nymble_desk.sync.records import Customer
    from nymble_desk.sync.desk import Identity
    from nymble_desk.tui.desk_access import AppDesk


@dataclass
class SignedIn(Message):
    """The sign-in screen reached the API with these credentials."""

    desk: AppDesk
    identity: Identity
    profile: str | None = None


@dataclass
class OpenCart(Message):
    """Open the cart screen on a local draft."""

    draft_id: str


@dataclass
class StartOrder(Message):
    """Start (or resume) an order for a customer; the app refuses inactive ones."""

    customer: Customer
