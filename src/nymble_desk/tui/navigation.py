"""How one screen opens another without importing it.

Screens ask the app's routes (``routes(self.app).checkout(draft_id)``); the app builds them
(:class:`nymble_desk.tui.screen_routes.ScreenRoutes`), which is the one module that imports the
screens it opens. So no screen imports another and the import graph has no cycle
(``tests/test_layers.py`` checks it).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Protocol, TypeAlias, runtime_checkable

from textual.app import App

if TYPE_CHECKING:
    from nymble_desk.sync.history import OrderGuide, StockLevel

#: the cart's way to add lines for the order guide: (entry text, why it was refused or None) for each
AddLines: TypeAlias = Callable[[Sequence[tuple[str, int]]], Awaitable[list[tuple[str, "str | None"]]]]
#: the cart's lines now: quantity by SKU
InCart: TypeAlias = Callable[[], Mapping[str, int]]


@runtime_checkable
class Routes(Protocol):
    """The moves between screens that a screen may ask for."""

    def shipping(self, draft_id: str) -> None:
        """The ship-to screen of a draft, over the current screen."""

    def checkout(self, draft_id: str, *, review: bool = False) -> None:
        """The checkout of a draft (``review``: with the last look on top)."""

    def confirmation(self, order_number: str | None, confirmation_id: str | None, *, draft_id: str,
                     email: str | None = None, replace_order_screens: bool = False) -> None:
        """The confirmation of a placed (or queued) order; ``replace_order_screens`` pops the
        order's cart, ship-to and checkout screens first."""

    def back_to_cart(self) -> bool:
        """Pop down to the cart; False (nothing popped) when no cart is open."""

    def order_detail(self, order_number: str) -> None:
        """One order in full, over the current screen."""

    def order_guide(self, customer: str, guide: OrderGuide, stock: Mapping[str, StockLevel], *, currency: str,
                    add: AddLines, in_cart: InCart, online: bool) -> None:
        """The order guide of the customer in front, over the cart (``add`` and ``in_cart`` are the cart's)."""

    def invoices(self, *, order_number: str) -> None:
        """The invoices of one order, over the current screen."""


class NoRoutes(RuntimeError):
    """The app running a screen does not offer routes (only :class:`NymbleApp` does)."""


def routes(app: App[object]) -> Routes:
    """The routes of the app running a screen."""
    found = getattr(app, "routes", None)
    if not isinstance(found, Routes):
        raise NoRoutes(f"{type(app).__name__} has no screen routes")
    return found
