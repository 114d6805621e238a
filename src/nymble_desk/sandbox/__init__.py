"""The local Nymble Commerce API sandbox (FastAPI + SQLite).

Importing this package is cheap: ``create_app`` loads FastAPI on first call.

Choices where the seed pages and api-notes are silent (each is also in the
module that implements it):
- Errors are problem details; ``errors`` keys are PascalCase paths
  (``Payment.CreditCard.CardNumber``, ``Items[1].Quantity``); messages about a
  cart or order line start with its SKU.  403 when the token's role may not do
  something (admin cart list, payments by a Customer), 404 for anything of
  another tenant or outside a rep's customers.
- ``POST /api/carts/{customerNumber}`` answers 201; checkout 200 with
  ``{orderNumber, confirmationId, orderId}``.  An unknown SKU is refused when
  added (400 ``Sku``); a UPC is accepted for a SKU.  ``PUT .../items/{sku}``
  with quantity 0 removes the line.  Inactive SKUs, minimum/increment, the
  shipping address, an inactive customer and a credit hold without a card are
  checked at checkout.
- ``POST /api/orders``: ``user`` defaults to the token's user (the lifecycle
  page's example omits it).  Bulk answers 201 with one entry per order:
  ``{data, links}`` or ``{data: null, links: [], error: <problem>}``.
- Login answers ``AccessToken/TokenType/ExpiresIn`` and the camelCase twins.
- Data pages also carry ``pageSize``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["create_app"]


def create_app(data_dir: Path | str, *, customers: int = 2000, products: int = 5000) -> FastAPI:
    """Build the sandbox app over ``data_dir/sandbox.sqlite3`` (see ``app.create_app``)."""
    from nymble_desk.sandbox.app import create_app as _create_app

    return _create_app(data_dir, customers=customers, products=products)
