"""Fixtures for the search-index tests: a real SQLite file in the test's data dir."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from nymble_desk import paths
from nymble_desk.index import SearchIndex


def customer(number: str, name: str, **extra: object) -> dict:
    row: dict = {"customerNumber": number, "companyName": name, "updatedAt": "2026-01-01T00:00:00+00:00"}
    row.update(extra)
    return row


def product(sku: str, name: str, upc: str = "", price: str = "1.00", **extra: object) -> dict:
    row: dict = {"sku": sku, "name": name, "upc": upc, "price": price, "updatedAt": "2026-01-01T00:00:00+00:00"}
    row.update(extra)
    return row


CUSTOMERS = [
    customer("CUST-1042", "Brightfield Supply Co.", companyEmail="orders@brightfield.example",
             companyPhone="(555) 400-1200", pricing="Wholesale", terms="Net30", creditLimit="50000.00",
             balance="1234.50", repNumber="REP-007",
             addresses=[{"addressType": "Billing", "default": True, "city": "Portland", "stateProvince": "OR"},
                        {"addressType": "Shipping", "default": True, "city": "Austin", "stateProvince": "TX"}]),
    customer("CUST-0042", "Acme Wholesale Ltd.", companyEmail="buy@acme.example", companyPhone="555-100-4242"),
    customer("CUST-0055", "Apex Distributors", companyEmail="apex@apex.example"),
    customer("CUST-0082", "Cornerstone Goods", companyEmail="hello@cornerstone.example"),
    customer("CUST-0013", "Dormant Traders Inc.", active=False),
    customer("CUST-0021", "Overdue Hardware LLC", creditHold=True),
    customer("CUST-10420", "Brightside Foods", companyEmail="eat@brightside.example"),
]

PRODUCTS = [
    product("WDG-BLU-L", "Widget Blue Large", "012345678905", "13.50",
            prices=[{"tier": "Wholesale", "price": "12.50", "atQuantity": 1},
                    {"tier": "Wholesale", "price": "11.75", "atQuantity": 48}]),
    product("WDG-BLU-LX", "Widget Blue Large Extra", "012345678912", "15.00"),
    product("WDG-RED-M", "Widget Red Medium", "012345678929", "12.00"),
    product("WDG-100-BLU", "Widget 100 Blue", "012345678936", "18.50"),
    product("PART-A1", "Part A1", "012345678943", "4.25", minimumOrderQuantity=10, quantityIncrement=10),
    product("PART-B3", "Part B3", "012345678950", "9.99", minimumOrderQuantity=25, quantityIncrement=25),
    product("BLU-PAINT", "Paint for widgets", "012345678967", "7.00"),
    product("GADGET-1", "Gadget with wdg-blu-l adapter", "012345678974", "3.00"),
]


@pytest.fixture
def index_path() -> Path:
    return paths.drafts_db_path()


@pytest.fixture
def index(index_path: Path) -> Iterator[SearchIndex]:
    ix = SearchIndex(index_path)
    yield ix
    ix.close()


@pytest.fixture
def filled(index: SearchIndex) -> SearchIndex:
    index.upsert_customers(CUSTOMERS)
    index.upsert_products(PRODUCTS)
    return index


# --- the real sandbox, in process -------------------------------------------------
SANDBOX_SIZES = {"customers": 50, "products": 100}


@pytest.fixture
def make_client(sandbox_app):
    import httpx

    from nymble_desk.api import Credentials, NymbleClient

    def factory(client_id: str = "demo-rep", secret: str = "demo-rep-secret", transport=None, **kwargs):
        transport = transport or httpx.ASGITransport(app=sandbox_app, raise_app_exceptions=False)
        return NymbleClient("http://sandbox", Credentials("DEMO", client_id, secret), transport=transport, **kwargs)

    return factory
