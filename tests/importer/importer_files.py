"""CSV snippets for the importer tests."""

from __future__ import annotations

HEADER = (
    "externalId,orderNumber,orderDate,customerNumber,companyName,poNumber,orderType,priceTier,"
    "currencyCode,repNumber,terms,channel,notes,sku,productName,quantity,price"
)


def csv_line(**cells: str) -> str:
    """One CSV line in HEADER's column order, blank where not given."""
    return ",".join(cells.get(name, "") for name in HEADER.split(","))


def order_lines(ext: str = "", customer: str = "CUST-1042", po: str = "PO-1", date: str = "2024-03-15",
                items: tuple[tuple[str, str, str], ...] = (("WDG-BLU-L", "24", "12.50"),), **extra: str) -> list[str]:
    base = dict(externalId=ext, orderDate=date, customerNumber=customer, poNumber=po, priceTier="Wholesale",
                currencyCode="USD", repNumber="REP-007", **extra)
    return [csv_line(**base, sku=s, quantity=q, price=p) for s, q, p in items]
