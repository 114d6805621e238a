"""The sandbox application factory.

``create_app(data_dir)`` opens (or creates and seeds) ``data_dir/sandbox.sqlite3``
and returns a ready FastAPI app: everything is set up eagerly, since
``httpx.ASGITransport`` runs no lifespan events.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from nymble_desk.sandbox.auth import build_router as auth_router
from nymble_desk.sandbox.auth import token_secret
from nymble_desk.sandbox.carts import build_router as carts_router
from nymble_desk.sandbox.customers import build_router as customers_router
from nymble_desk.sandbox.errors import install as install_errors
from nymble_desk.sandbox.invoices import build_router as invoices_router
from nymble_desk.sandbox.orders import build_router as orders_router
from nymble_desk.sandbox.products import build_router as products_router
from nymble_desk.sandbox.salesreps import build_router as salesreps_router
from nymble_desk.sandbox.db import Database
from nymble_desk.sandbox.limits import MAX_BODY_BYTES, BodyLimit
from nymble_desk.sandbox.private import private_dir
from nymble_desk.sandbox.responses import Problem as ProblemModel
from nymble_desk.sandbox.seed import seed

DB_NAME = "sandbox.sqlite3"
DEFAULT_CUSTOMERS = 2000
DEFAULT_PRODUCTS = 5000

PROBLEM_RESPONSES = {
    code: {"description": desc, "content": {"application/problem+json": {"schema": ProblemModel.model_json_schema()}}}
    for code, desc in ((400, "Validation failed"), (401, "Missing or bad token"),
                       (403, "The token's role may not do this"), (404, "Not found, or of another tenant"),
                       (409, "A second active cart, a Complete cart, a taken order number, a closed invoice"),
                       (413, f"The request body is over {MAX_BODY_BYTES:,} bytes (refused before it is read)"),
                       (429, "Too many requests"))
}


DESCRIPTION = f"""A local, faithful stand-in for the Nymble Commerce API (carts, orders, invoices).

Rules beyond the schemas:
- Request bodies are at most {MAX_BODY_BYTES:,} bytes; a larger one gets 413 before it is read.
- Everything is scoped by the token: an Admin sees its organisation, a SalesRep its customers, a Customer
  itself.  Anything else, whether named in the path or in the body (a customer, an order matched by
  `externalId` or `orderNumber`), answers 404 as if it did not exist, and nothing is written.
- A `customerNumber` or `shoppingCartId` in a cart body echoes the path: it may be left out, and must equal
  the path's value (else 400 naming it).
- References in bodies must exist in the caller's organisation (400 naming the field): customers (a customer
  the caller cannot see answers exactly as one that does not exist), SKUs, price tiers (the organisation's),
  sales reps, a refund's `originalPaymentId` (a payment on that invoice).
- Rules on stored state (400 naming the field): checkout needs items, a shipping address, an active customer
  (and a card when on credit hold), quantities at the product's minimum and increment; a payment at most the
  balance, a refund at most what is left of its payment; an invoice at most what is left to invoice.
- Rules across fields (400): an order's total is at most 10^13 in its currency; a line at most 1,000,000 units.
- 405 answers carry `Allow` with every method served at that path.
"""


def create_app(
    data_dir: Path | str, *, customers: int = DEFAULT_CUSTOMERS, products: int = DEFAULT_PRODUCTS
) -> FastAPI:
    """A FastAPI app over the sandbox database in ``data_dir`` (reused when it exists)."""
    data_dir = Path(data_dir)
    private_dir(data_dir, DB_NAME)
    db = Database(data_dir / DB_NAME)
    seed(db, customers=max(0, int(customers)), products=max(0, int(products)))
    app = FastAPI(
        title="Nymble Commerce sandbox",
        version="1.0",
        description=DESCRIPTION,
        responses=PROBLEM_RESPONSES,  # type: ignore[arg-type]
    )
    app.state.db = db
    app.state.data_dir = data_dir
    app.state.jwt_secret = token_secret(db)
    install_errors(app)
    app.add_middleware(BodyLimit, limit=MAX_BODY_BYTES)
    for build_router in (auth_router, customers_router, products_router, salesreps_router, carts_router,
                         orders_router, invoices_router):
        app.include_router(build_router(db))
    return app
