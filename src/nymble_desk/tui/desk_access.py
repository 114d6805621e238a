"""The one typed way a screen or widget reaches the app's Desk.

Screens call ``desk_of(self)`` (or their ``desk`` property, which does) instead of
reading ``self.app.desk`` past Textual's ``App`` type. What they get is typed: the
:class:`~nymble_desk.sync.desk.Desk`, or the :class:`~nymble_desk.tui.deferred_desk.DeferredDesk`
that stands for it until it is built (its own methods are typed; every other
attribute is the real Desk's), so a call is checked against the Desk's signatures.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, TypeAlias, runtime_checkable

if TYPE_CHECKING:
    from textual.message_pump import MessagePump

    from nymble_desk.sync.desk import Desk
    from nymble_desk.tui.deferred_desk import DeferredDesk

#: What ``NymbleApp.desk`` holds once there is one.
AppDesk: TypeAlias = "Desk | DeferredDesk"


@runtime_checkable
class HasDesk(Protocol):
    """An app that carries a Desk (``NymbleApp``; this module does not import the app, which imports screens)."""

    desk: AppDesk | None


class NoDesk(RuntimeError):
    """A screen asked for the Desk where there is none (before sign-in, or outside a ``NymbleApp``)."""


def desk_or_none(node: MessagePump) -> AppDesk | None:
    """The app's Desk, or None before there is one (the sign-in screen, the drafts offer in tests)."""
    app = node.app
    if not isinstance(app, HasDesk):
        raise NoDesk(f"{type(app).__name__} carries no Desk")
    return app.desk


def desk_of(node: MessagePump) -> AppDesk:
    """The app's Desk; raises :class:`NoDesk` when there is none yet."""
    desk = desk_or_none(node)
    if desk is None:
        raise NoDesk("not signed in: there is no Desk yet")
    return desk
