"""Messages that carry results between screens and the app.

Screens post these; they bubble to :class:`nymble_desk.tui.app.NymbleApp`, which
owns navigation. Widget-specific messages live nested in their widget (for
example ``CustomerPanel.Reorder``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message


@dataclass
class SignedIn(Message):
    """The sign-in screen reached the API with these credentials."""

    desk: Any  # nymble_desk.sync.desk.Desk
    identity: Any  # nymble_desk.sync.desk.Identity
    profile: str | None = None


@dataclass
class OpenCart(Message):
    """Open the cart screen on a local draft."""

    draft_id: str


@dataclass
class StartOrder(Message):
    """Start (or resume) an order for a customer; the app refuses inactive ones."""

    customer: Any  # nymble_desk.api.models.Customer
