from __future__ import annotations

import pytest
from importer_files import HEADER, csv_line


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
