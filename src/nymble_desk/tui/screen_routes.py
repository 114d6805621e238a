"""The app's routes between screens: the one place that imports the screens it opens.

Screens reach these through :func:`nymble_desk.tui.navigation.routes`; each screen module is
imported when first opened (the first frame pays for none of them).
"""

from __future__ import annotations

from typing import Any

from textual.app import App


class ScreenRoutes:
    """:class:`nymble_desk.tui.navigation.Routes` for one app."""

    def __init__(self, app: App[Any]) -> None:
        self.app = app

    def shipping(self, draft_id: str) -> None:
        from nymble_desk.tui.screens.shipping import ShippingScreen

        self.app.push_screen(ShippingScreen(draft_id))

    def checkout(self, draft_id: str, *, review: bool = False) -> None:
        from nymble_desk.tui.screens.checkout import CheckoutScreen

        self.app.push_screen(CheckoutScreen(draft_id, review=review))

    def confirmation(self, order_number: str | None, confirmation_id: str | None, *, draft_id: str,
                     email: str | None = None, replace_order_screens: bool = False) -> None:
        from nymble_desk.tui.screens.cart import CartScreen
        from nymble_desk.tui.screens.checkout import CheckoutScreen
        from nymble_desk.tui.screens.confirmation import ConfirmationScreen
        from nymble_desk.tui.screens.shipping import ShippingScreen

        screen = ConfirmationScreen(order_number, confirmation_id, email=email, draft_id=draft_id)
        if replace_order_screens:
            # pop this order's screens (cart, ship-to, checkout) and show the confirmation in their place
            order_screens = (CartScreen, ShippingScreen, CheckoutScreen)
            while len(self.app.screen_stack) > 2 and isinstance(self.app.screen, order_screens):
                self.app.pop_screen()
        self.app.push_screen(screen)

    def back_to_cart(self) -> bool:
        from nymble_desk.tui.screens.cart import CartScreen

        if not any(isinstance(screen, CartScreen) for screen in self.app.screen_stack):
            return False
        while not isinstance(self.app.screen, CartScreen):
            self.app.pop_screen()
        return True

    def order_guide(self, customer: str, guide: Any, stock: Any, *, currency: str, add: Any, in_cart: Any,
                    online: bool) -> None:
        from nymble_desk.tui.screens.order_guide import OrderGuideScreen

        self.app.push_screen(OrderGuideScreen(customer, guide, stock, currency=currency, add=add, in_cart=in_cart,
                                              online=online))

    def order_detail(self, order_number: str) -> None:
        from nymble_desk.tui.screens.order_detail import OrderDetailScreen

        self.app.push_screen(OrderDetailScreen(order_number))

    def invoices(self, *, order_number: str) -> None:
        from nymble_desk.tui.screens.invoices import InvoicesScreen

        self.app.push_screen(InvoicesScreen(order_number=order_number))
