"""The session's ordering mode: who the rep is taking orders as (trade show, phone, ...).

Off (``channel`` None), the checkout asks for the channel and the order keeps its cart's type.
On, every checkout of the session preselects ``channel`` and sends ``orderType: Assisted`` (the
lifecycle page: Channel "TradeShow" with OrderType "Assisted"); the status line says so. The
sandbox (and the API) record the signed-in rep as ``takenBySalesRep`` only when they are not the
customer's primary rep. The setting ``session_channel`` starts it; the app's key cycles it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from textual.message_pump import MessagePump

#: What the toggle cycles through after "off" (None).
MODES: tuple[str | None, ...] = (None, "TradeShow", "Phone")
ASSISTED = "Assisted"


@dataclass
class SessionMode:
    channel: str | None = None

    @property
    def order_type(self) -> str | None:
        return ASSISTED if self.channel else None

    def cycle(self) -> str | None:
        at = MODES.index(self.channel) if self.channel in MODES else 0
        self.channel = MODES[(at + 1) % len(MODES)]
        return self.channel

    @property
    def label(self) -> str:
        """The status line's words: "" when off."""
        return f"{self.channel.upper()} (assisted)" if self.channel else ""


@runtime_checkable
class HasSessionMode(Protocol):
    session_mode: SessionMode


def session_mode_of(node: MessagePump) -> SessionMode:
    """The app's mode (an app without one, e.g. a test harness, is always off)."""
    app = node.app
    return app.session_mode if isinstance(app, HasSessionMode) else SessionMode()
