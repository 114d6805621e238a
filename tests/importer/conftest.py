from __future__ import annotations

from typing import Any
from collections.abc import Callable

import httpx
import pytest
from importer_files import HEADER, csv_line

from nymble_desk.api import Credentials, NymbleClient, RetryPolicy


@pytest.fixture
def sample_csv() -> str:
    rows = [
        HEADER,
        csv_line(externalId="ERP-10001", orderNumber="ORD-2023-001", orderDate="2023-06-15T09:30:00Z",
                 customerNumber="CUST-0055", companyName="Apex Distributors", poNumber="PO-55001", orderType="EDI",
                 priceTier="Wholesale", currencyCode="USD", repNumber="REP-003", terms="Net60",
                 sku="PART-A1", productName="Part A1", quantity="100", price="4.25"),
        csv_line(externalId="ERP-10002", orderNumber="ORD-2023-002", orderDate="2023-07-02T14:00:00Z",
                 customerNumber="CUST-0082", companyName="Cornerstone Goods", poNumber="PO-82001", orderType="Direct",
                 priceTier="Wholesale", currencyCode="USD", repNumber="REP-007",
                 sku="PART-B3", productName="Part B3", quantity="50", price="9.99"),
        csv_line(externalId="ERP-10002", sku="WDG-RED-M", productName="Widget Red Medium", quantity="12",
                 price="$11.00"),
    ]
    return "\n".join(rows) + "\n"


# -- the real sandbox, in process (seeded once per session, copied per test) -----------------

SIZES = {"customers": 50, "products": 100}
BASE_URL = "http://sandbox.test"


@pytest.fixture
def transport(sandbox_app: Any) -> httpx.AsyncBaseTransport:
    return httpx.ASGITransport(app=sandbox_app, raise_app_exceptions=False)


@pytest.fixture
def make_client(transport: httpx.AsyncBaseTransport) -> Callable[..., NymbleClient]:
    def factory(client_id: str = "demo-admin", *, via: httpx.AsyncBaseTransport | None = None) -> NymbleClient:
        return NymbleClient(BASE_URL, Credentials("DEMO", client_id, f"{client_id}-secret"),
                            transport=via or transport, retry=RetryPolicy(sleep=_no_sleep))
    return factory


async def _no_sleep(_: float) -> None:
    return None
