"""Orders: create (idempotent by externalId), bulk import, get, search, and the order updates."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import repeat
from decimal import Decimal
from typing import Any

from ._util import seg, unwrap
from .errors import BadRequest
from .models import Address, Order, OrderAddress, OrderCreate, OrderIdent, OrderRef, Page
from .listing import FilterListing
from .paging import Filter, collect, list_params, parse_page
from .retry import Deadline



def order_address_body(address: Address | Mapping[str, Any]) -> dict[str, Any]:
    """An address as orders take it (`zipPostalCode`)."""
    data = address.model_dump() if isinstance(address, Address) else dict(address)
    return OrderAddress.model_validate(data).to_wire()


def _create_body(order: OrderCreate) -> dict[str, Any]:
    if not order.external_id:
        raise ValueError("this client sends an order only with an external_id: it makes a repeat an update")
    return order.to_wire()


class Orders(FilterListing[Order]):
    PATH = "/api/orders"
    MODEL = Order

    async def create(self, order: OrderCreate) -> OrderRef:
        """Create one order.  Its externalId makes a repeat an update, so lost replies are retried."""
        data = await self._http.call("POST", "/api/orders", body=_create_body(order), idempotent=True)
        return OrderRef.model_validate(data)

    async def bulk(self, orders: Sequence[OrderCreate]) -> list[OrderRef]:
        """Import several orders (each with an externalId, and optionally its own orderNumber)."""
        body = {"orders": [_create_body(o) for o in orders]}
        return _bulk_answer(await self._http.call("POST", "/api/orders/bulk", body=body, idempotent=True))

    async def bulk_encoded(self, orders: Sequence[str]) -> list[str]:
        """:meth:`bulk` for orders already written as JSON object text in the create shape, each
        with its externalId (the bulk importer writes them without a model per order).  Answers
        the order number of each order, in order: all a bulk importer reads of the answer."""
        if not all(map(str.__contains__, orders, repeat('"externalId"'))):  # a guard, not a parse
            raise ValueError("this client sends an order only with an external_id: it makes a repeat an update")
        content = ('{"orders":[' + ",".join(orders) + "]}").encode("utf-8")
        data = await self._http.call("POST", "/api/orders/bulk", content=content, idempotent=True)
        return [_order_number(item) for item in _bulk_entries(data)]

    async def search_idents(
        self, filters: Sequence[Filter], page_number: int = 1, page_size: int = 25, *, timeout: float | None = None,
    ) -> Page[OrderIdent]:
        """A search that reads only each order's id and externalId (the bulk importer asks which
        orders exist); ``timeout`` replaces the client's per-request timeout for it."""
        params = list_params(filters=list(filters), page_number=page_number, page_size=page_size)
        data = await self._http.call("GET", self.PATH, params=params, timeout=timeout)
        return parse_page(data, OrderIdent, page_size)

    async def get(self, id_or_number: str, *, deadline: Deadline | None = None) -> Order:
        data = await self._http.call("GET", f"/api/orders/{seg(id_or_number)}", deadline=deadline)
        return Order.model_validate(unwrap(data))

    async def find_by_origination_cart(self, cart_id: str, *, deadline: Deadline | None = None) -> Order | None:
        """The order a cart's checkout made, or None.

        Matches are checked here too: should a server ignore the filter, every
        order is scanned rather than wrongly answering "none" (which would lead
        to a second checkout).
        """
        wanted = [Filter("originationCartId", "equals", cart_id)]
        page = await self.search(wanted, page_size=10, deadline=deadline)
        for order in page.items:
            if order.origination_cart_id == cart_id:
                return order
        if all(o.origination_cart_id == cart_id for o in page.items):
            return None  # the filter was honoured: there is none
        for order in await collect(lambda n: self.search(None, "createdAt", "desc", n, 200, deadline=deadline)):
            if order.origination_cart_id == cart_id:
                return order
        return None

    async def update_shipping(
        self, order_id: str, method: str, total: Decimal, address: Address | Mapping[str, Any] | None = None,
    ) -> Order:
        body: dict[str, Any] = {"method": method, "total": Decimal(total)}
        if address is not None:
            body["shippingAddress"] = order_address_body(address)
        data = await self._http.call("PUT", f"/api/orders/{seg(order_id)}/shipping", body=body)
        return await self._order_reply(data, order_id)

    async def update_customer(
        self,
        order_id: str,
        customer_number: str,
        company_name: str,
        *,
        company_email: str | None = None,
        company_phone: str | None = None,
        company_fax: str | None = None,
        billing_address: Address | Mapping[str, Any] | None = None,
    ) -> Order:
        body: dict[str, Any] = {"customerNumber": customer_number, "companyName": company_name}
        for key, value in (("companyEmail", company_email), ("companyPhone", company_phone),
                           ("companyFax", company_fax)):
            if value is not None:
                body[key] = value
        if billing_address is not None:
            body["billingAddress"] = order_address_body(billing_address)
        data = await self._http.call("PUT", f"/api/orders/{seg(order_id)}/customer", body=body)
        return await self._order_reply(data, order_id)

    async def email_confirmation(self, order_id: str, addresses: Sequence[str]) -> None:
        """Send the confirmation email.  Not repeated on a lost reply: the caller may offer to send again."""
        if not addresses:
            raise ValueError("at least one email address")
        await self._http.call("POST", f"/api/orders/{seg(order_id)}/email",
                              body={"emailAddresses": list(addresses)})

    async def _order_reply(self, data: Any, order_id: str) -> Order:
        data = unwrap(data)
        if isinstance(data, dict) and "orderNumber" in data and "id" in data:
            return Order.model_validate(data)
        return await self.get(order_id)


def _bulk_answer(data: Any) -> list[OrderRef]:
    """One OrderRef per order of a bulk answer, in order; BadRequest when some were refused."""
    return [OrderRef.model_validate(item) for item in _bulk_entries(data)]


def _bulk_entries(data: Any) -> list[Any]:
    """The per-order entries of a bulk answer; BadRequest when some were refused."""
    if isinstance(data, dict):  # tolerate {data: [...]} / {items: [...]}
        data = data.get("data") or data.get("items") or []
    refused = _bulk_refusals(data)
    if refused:
        # Some orders were refused (`{data: null, error: {...}}`), the others stored: say which,
        # keyed `Orders[i].Field`, so the caller can drop those and resend the rest (a resend is
        # an update by externalId, never a duplicate).
        raise BadRequest(400, f"{len(refused)} of {len(data)} orders were refused.", errors=refused)
    return data if isinstance(data, list) else []


def _order_number(entry: Any) -> str:
    """``OrderRef.model_validate(entry).order_number``, read straight from the usual entry
    (``{data: {id, orderNumber}, links}``); anything else goes through the model (and its errors)."""
    data = entry.get("data") if type(entry) is dict else None
    if type(data) is dict and type(number := data.get("orderNumber")) is str and type(data.get("id")) is str:
        return number
    return OrderRef.model_validate(entry).order_number


def _bulk_refusals(results: Any) -> dict[str, list[str]]:
    """Field errors of the refused entries of a bulk answer, each key prefixed `Orders[i]`."""
    errors: dict[str, list[str]] = {}
    for index, item in enumerate(results if isinstance(results, list) else []):
        problem = item.get("error") if isinstance(item, dict) else None
        if not problem:
            continue
        fields = problem.get("errors") or {}
        if not fields:
            errors[f"Orders[{index}]"] = [str(problem.get("detail") or problem.get("title") or "refused")]
        for key, messages in fields.items():
            key = key if key.lower().startswith("orders[") else f"Orders[{index}].{key}"
            errors.setdefault(key, []).extend(str(m) for m in (messages if isinstance(messages, list) else [messages]))
    return errors
