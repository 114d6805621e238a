"""Carts: create, lines, shipping, PO, checkout; with lost-reply reconciliation for the unsafe calls.

A POST whose reply was lost (timeout, reset, 5xx) is never simply sent again.
The client reads the server's state first and re-sends only when that proves
the first send did nothing:

- `add_item`: the line should hold `known_quantity + quantity` if the add
  landed, `known_quantity` if not; anything else raises :class:`LineMismatch`.
- `create`: the customer's active cart, if there is one now, is the answer.
- `checkout`: an order whose `originationCartId` is the cart is the answer;
  a 409 on an already completed cart is reconciled the same way.

Checkout goes to `POST /api/carts/{cartId}/checkout`, the path the Orders page
recommends for cart-based ordering; it takes the same body and does the same
thing as the Cart page's `POST /api/carts/{customerNumber}/{shoppingCartId}/complete-checkout`.
A server that does not serve it (404 or 405 on the first send: nothing was done)
is sent the Cart page's path instead, and the client keeps using that one.
`Carts.checkout_route` ("cart" or "customer-cart") picks the path.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import TYPE_CHECKING, Any, Literal

from ._util import find_out, send_once, seg, unwrap
from .errors import ApiError, Conflict, LineMismatch, NotFound, OutcomeUnknown
from .models import Address, Cart, CheckoutRequest, CheckoutResult, Page
from .paging import iter_items, list_params, parse_page
from .retry import Deadline

if TYPE_CHECKING:
    from .http import HttpCore
    from .orders import Orders


def address_body(address: Address | Mapping[str, Any]) -> dict[str, Any]:
    """A shipping/billing address as carts take it (extra fields such as addressType dropped)."""
    data = address.model_dump() if isinstance(address, Address) else dict(address)
    return Address.model_validate(data).to_wire()


CheckoutRoute = Literal["cart", "customer-cart"]


def checkout_path(route: CheckoutRoute, customer_number: str, cart_id: str) -> str:
    """The checkout URL: the Orders page's `/api/carts/{cartId}/checkout` or the Cart page's
    `/api/carts/{customerNumber}/{shoppingCartId}/complete-checkout`."""
    if route == "cart":
        return f"/api/carts/{seg(cart_id)}/checkout"
    return f"/api/carts/{seg(customer_number)}/{seg(cart_id)}/complete-checkout"


class Carts:
    def __init__(self, http: HttpCore, orders: Orders, checkout_route: CheckoutRoute = "cart") -> None:
        self._http = http
        self._orders = orders
        self.checkout_route: CheckoutRoute = checkout_route

    # -- reads ---------------------------------------------------------------------------------

    async def get(self, cart_id: str, *, deadline: Deadline | None = None) -> Cart:
        data = await self._http.call("GET", f"/api/carts/{seg(cart_id)}", deadline=deadline)
        return Cart.model_validate(unwrap(data))

    async def for_customer(self, customer_number: str, *, deadline: Deadline | None = None) -> list[Cart]:
        """Every cart of the customer (any status)."""
        try:
            data = await self._http.call("GET", f"/api/carts/customer/{seg(customer_number)}",
                                         deadline=deadline)
        except NotFound:
            return []
        data = unwrap(data)
        if isinstance(data, dict) and ("shoppingCartId" in data or "shopping_cart_id" in data):
            return [Cart.model_validate(data)]
        return parse_page(data, Cart).items

    async def active_for_customer(self, customer_number: str, *, deadline: Deadline | None = None) -> Cart | None:
        """The customer's one active (not completed) cart, or None."""
        active = [c for c in await self.for_customer(customer_number, deadline=deadline) if c.is_active]
        if not active:
            return None
        return max(active, key=lambda c: (c.created_at is not None, c.created_at))

    async def list(self, page_number: int = 1, page_size: int = 50) -> Page[Cart]:
        """All carts of the organisation, a page at a time (admin only)."""
        params = list_params(page_number=page_number, page_size=page_size)
        return parse_page(await self._http.call("GET", "/api/carts", params=params), Cart, page_size)

    def iter_all(self, page_size: int = 100) -> AsyncIterator[Cart]:
        return iter_items(lambda n: self.list(page_number=n, page_size=page_size))

    async def _held(self, cart: Cart, code: str, deadline: Deadline) -> int:
        """How many of `code` the cart holds.  The server files a line under the product's SKU, so
        a code that names no line (a UPC, say) is looked up first: a miss must not read as "not added"."""
        if cart.line(code) is not None:
            return cart.quantity_of(code)
        try:
            product = await self._http.call("GET", f"/api/products/{seg(code)}", deadline=deadline)
        except NotFound:
            return 0
        sku = unwrap(product).get("sku") if isinstance(unwrap(product), dict) else None
        return cart.quantity_of(str(sku)) if sku else 0

    async def _cart_reply(self, data: Any, cart_id: str, deadline: Deadline) -> Cart:
        """The cart an endpoint answered with, or read back when it answered nothing."""
        data = unwrap(data)
        if isinstance(data, dict) and "shoppingCartId" in data:
            return Cart.model_validate(data)
        return await self.get(cart_id, deadline=deadline)

    # -- unsafe: create and add, reconciled --------------------------------------------------

    async def create(self, customer_number: str, sku: str, quantity: int, order_type: str = "Standard") -> Cart:
        """Create the customer's cart with its first line.  409 (Conflict) when one is already active."""
        body = {"customerNumber": customer_number, "sku": sku, "quantity": quantity, "orderType": order_type}
        path = f"/api/carts/{seg(customer_number)}"
        what = f"create cart for {customer_number}"

        async def send(d: Deadline) -> Cart | None:  # None: answered without the cart
            data = unwrap(await self._http.call("POST", path, body=body, deadline=d))
            return Cart.model_validate(data) if isinstance(data, dict) and "shoppingCartId" in data else None

        async def landed(lost: OutcomeUnknown, d: Deadline) -> Cart | None:
            active = await find_out(self.active_for_customer(customer_number, deadline=d), lost, what)
            if active is None:
                return None
            if await find_out(self._held(active, sku, d), lost, what) == quantity:
                return active  # it landed
            raise Conflict(409, "Customer already has an active cart",
                           f"{customer_number} has active cart {active.id}, not the one this call sent")

        deadline = self._http.retry.start()
        cart = await send_once(what, send, landed, deadline, self._http.retry.max_attempts)
        if cart is not None:
            return cart
        active = await self.active_for_customer(customer_number, deadline=deadline)
        if active is None:
            raise OutcomeUnknown(f"{what}: answered but no active cart found")
        return active

    async def add_item(
        self, customer_number: str, cart_id: str, sku: str, quantity: int, *, known_quantity: int = 0,
    ) -> Cart:
        """Add `quantity` of `sku` (the server adds to an existing line).

        `known_quantity` is what the caller believes the line holds now; after a
        lost reply the line must hold that (not landed: send again) or that plus
        `quantity` (landed); anything else raises :class:`LineMismatch`.
        """
        body = {"customerNumber": customer_number, "shoppingCartId": cart_id, "sku": sku, "quantity": quantity}
        path = f"/api/carts/{seg(customer_number)}/{seg(cart_id)}/items"
        expected = known_quantity + quantity
        what = f"add {quantity} x {sku} to cart {cart_id}"

        async def send(d: Deadline) -> Any:  # the answer, read below as the cart
            return await self._http.call("POST", path, body=body, deadline=d)

        async def landed(lost: OutcomeUnknown, d: Deadline) -> Cart | None:
            cart = await find_out(self.get(cart_id, deadline=d), lost, what)
            found = await find_out(self._held(cart, sku, d), lost, what)
            if found == expected:
                return cart  # it landed
            if found != known_quantity:
                raise LineMismatch(sku, known=known_quantity, expected=expected, found=found) from lost
            return None

        deadline = self._http.retry.start()
        result = await send_once(what, send, landed, deadline, self._http.retry.max_attempts)
        return result if isinstance(result, Cart) else await self._cart_reply(result, cart_id, deadline)

    # -- safe: PUT and DELETE ---------------------------------------------------------------

    async def update_item(self, customer_number: str, cart_id: str, sku: str, quantity: int) -> Cart:
        """Set a line's quantity (idempotent)."""
        body = {"customerNumber": customer_number, "shoppingCartId": cart_id, "sku": sku, "quantity": quantity}
        deadline = self._http.retry.start()
        data = await self._http.call(
            "PUT", f"/api/carts/{seg(customer_number)}/{seg(cart_id)}/items/{seg(sku)}",
            body=body, deadline=deadline,
        )
        return await self._cart_reply(data, cart_id, deadline)

    async def remove_item(self, customer_number: str, cart_id: str, sku: str) -> None:
        """Remove a line.  A line already gone (say, a retried DELETE that had landed) counts as removed."""
        deadline = self._http.retry.start()
        try:
            await self._http.call("DELETE", f"/api/carts/{seg(customer_number)}/{seg(cart_id)}/items/{seg(sku)}",
                                  deadline=deadline)
        except NotFound:
            cart = await self.get(cart_id, deadline=deadline)  # NotFound here: the cart itself is gone
            if await self._held(cart, sku, deadline):
                raise  # the line is there under its real SKU: this code does not name it

    async def set_shipping(self, customer_number: str, cart_id: str, address: Address | Mapping[str, Any]) -> Cart:
        body = {"customerNumber": customer_number, "shoppingCartId": cart_id,
                "shippingAddress": address_body(address)}
        deadline = self._http.retry.start()
        data = await self._http.call("PUT", f"/api/carts/{seg(customer_number)}/{seg(cart_id)}/shipping",
                                     body=body, deadline=deadline)
        return await self._cart_reply(data, cart_id, deadline)

    async def set_po_number(self, customer_number: str, cart_id: str, po: str) -> Cart:
        body = {"customerNumber": customer_number, "shoppingCartId": cart_id, "poNumber": po}
        deadline = self._http.retry.start()
        data = await self._http.call("PUT", f"/api/carts/{seg(customer_number)}/{seg(cart_id)}/po-number",
                                     body=body, deadline=deadline)
        return await self._cart_reply(data, cart_id, deadline)

    # -- checkout ----------------------------------------------------------------------------

    async def checkout(self, customer_number: str, cart_id: str, request: CheckoutRequest) -> CheckoutResult:
        """Turn the cart into an order, at most once.

        After a lost reply, or a 409 because the cart is already complete, the
        order is looked up by `originationCartId`; only a cart still active with
        no order is submitted again.  The card lives in this call's memory only.
        """
        body = request.body(customer_number, cart_id)
        what = f"checkout of cart {cart_id}"

        async def send(d: Deadline) -> CheckoutResult:
            while True:
                path = checkout_path(self.checkout_route, customer_number, cart_id)
                try:
                    data = await self._http.call("POST", path, body=body, deadline=d)
                    return CheckoutResult.model_validate(unwrap(data))
                except Conflict as exc:  # perhaps already checked out (by a send whose reply was lost)
                    raise _ConflictAtCheckout(f"{what}: {exc.message}", status=409, cause=exc) from exc
                except OutcomeUnknown:
                    raise
                except ApiError as exc:
                    if self.checkout_route == "cart" and exc.status in (404, 405):
                        # no /api/carts/{cartId}/checkout on this server: nothing was done; the Cart page's path
                        self.checkout_route = "customer-cart"
                        continue
                    raise

        async def landed(lost: OutcomeUnknown, d: Deadline) -> CheckoutResult | None:
            cart = await find_out(self.get(cart_id, deadline=d), lost, what)
            order = await find_out(self._orders.find_by_origination_cart(cart_id, deadline=d), lost, what)
            if order is not None:
                confirmation = cart.confirmation_id if cart.order_number == order.order_number else None
                return CheckoutResult(order_number=order.order_number, confirmation_id=confirmation)
            if isinstance(lost, _ConflictAtCheckout) and isinstance(lost.cause, Conflict):
                raise lost.cause  # a real conflict: the server refused and no order exists
            if cart.is_complete:
                raise OutcomeUnknown(f"{what}: cart is complete but no order names it",
                                     cause=lost.cause if isinstance(lost, _ConflictAtCheckout) else lost)
            if not cart.is_active:
                raise Conflict(409, "Cart is closed", f"cart {cart_id} is {cart.status}; no order was made")
            return None

        try:
            return await send_once(what, send, landed, self._http.retry.start(), self._http.retry.max_attempts)
        finally:
            body.clear()  # drop the card from memory as soon as the call is over


class _ConflictAtCheckout(OutcomeUnknown):
    """A 409 to a checkout: perhaps an earlier send, whose reply was lost, placed the order; reconciled as a
    lost reply, and raised as the conflict (``cause``) when no order names the cart."""
