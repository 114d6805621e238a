"""Products: ``GET /api/products`` (keyword over SKU, name, description, UPC) and ``GET /api/products/{sku}``.

``{sku}`` also matches a UPC, so a scanned barcode finds its product.
"""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Response

from nymble_desk.domain.pricing import TierPrice
from nymble_desk.sandbox.auth import Caller
from nymble_desk.sandbox.db import Database
from nymble_desk.sandbox.errors import bad_request, not_found
from nymble_desk.sandbox.json_rows import json_bool, json_rows_page, page_json_rows
from nymble_desk.sandbox.paging import Col, Keyword, contains, count_rows, ListQuery, page_order, paged_for, where
from nymble_desk.sandbox.records import add_money_sql, fmt, money, money_number_sql
from nymble_desk.sandbox.responses import ProductOut, ProductsPage

def org_tiers(con: sqlite3.Connection, org_id: str) -> list[str]:
    """The organisation's configured price tiers, in its order."""
    return [
        r[0] for r in con.execute("SELECT name FROM price_tiers WHERE org_id = ? ORDER BY position, name", (org_id,))
    ]


def resolve_tier(con: sqlite3.Connection, org_id: str, name: str, field: str) -> str:
    """``name`` as the organisation spells it (case-insensitive match); else 400 ``field`` naming the valid tiers."""
    tiers = org_tiers(con, org_id)
    for tier in tiers:
        if tier.lower() == name.strip().lower():
            return tier
    raise bad_request(field, f"Price tier '{name}' is not configured in this organization; "
                             f"use one of: {', '.join(tiers)}.")


COLUMNS = {
    "sku": Col("sku"),
    "name": Col("name"),
    "description": Col("description"),
    "category": Col("category"),
    "upc": Col("upc"),
    "externalId": Col("external_id"),
    "active": Col("active", "bool"),
    "price": Col("price", "money"),
    "quantityOnHand": Col("quantity_on_hand", "int"),
    "minimumOrderQuantity": Col("moq", "int"),
    "quantityIncrement": Col("increment", "int"),
    "updatedAt": Col("updated_at", "date"),
}


def tier_rows(con: sqlite3.Connection, org_id: str, skus: list[str]) -> dict[str, list[sqlite3.Row]]:
    out: dict[str, list[sqlite3.Row]] = {s: [] for s in skus}
    for start in range(0, len(skus), 500):
        chunk = skus[start:start + 500]
        for t in con.execute(
            f"SELECT * FROM tier_prices WHERE org_id = ? AND sku IN ({', '.join('?' * len(chunk))})"
            " ORDER BY sku, tier, at_quantity",
            [org_id, *chunk],
        ):
            out[t["sku"]].append(t)
    return out


def tier_prices(rows: list[sqlite3.Row], currency: str) -> list[TierPrice]:
    return [TierPrice(t["tier"], money(t["price"], currency), t["at_quantity"]) for t in rows]


def render_products(con: sqlite3.Connection, org_id: str, rows: list[sqlite3.Row]) -> list[dict[str, Any]]:
    tiers = tier_rows(con, org_id, [r["sku"] for r in rows])
    out = []
    for r in rows:
        cur = r["currency"]
        out.append({
            "sku": r["sku"],
            "name": r["name"],
            "description": r["description"],
            "category": r["category"],
            "upc": r["upc"],
            "externalId": r["external_id"],
            "active": bool(r["active"]),
            "price": money(r["price"], cur),
            "priceFormatted": fmt(r["price"], cur),
            "currencyCode": cur,
            "quantityOnHand": r["quantity_on_hand"],
            "minimumOrderQuantity": r["moq"],
            "quantityIncrement": r["increment"],
            "updatedAt": r["updated_at"],
            "prices": [
                {"tier": t["tier"], "price": money(t["price"], cur), "priceFormatted": fmt(t["price"], cur),
                 "atQuantity": t["at_quantity"]}
                for t in tiers[r["sku"]]
            ],
        })
    return out


# One product of a list page as JSON, written by SQLite: the keys and values of render_products (the single GET's
# dict), its tier prices in tier_rows' order (the primary key's).
_PRODUCT_JSON = f"""json_object(
    'sku', sku, 'name', name, 'description', description, 'category', category, 'upc', upc,
    'externalId', external_id, 'active', {json_bool('active')},
    'price', {money_number_sql('price', 'currency')}, 'priceFormatted', money_text(price, currency),
    'currencyCode', currency, 'quantityOnHand', quantity_on_hand, 'minimumOrderQuantity', moq,
    'quantityIncrement', increment, 'updatedAt', updated_at,
    'prices', (SELECT json_group_array(json_object(
        'tier', tier_prices.tier, 'price', {money_number_sql('tier_prices.price', 'products.currency')},
        'priceFormatted', money_text(tier_prices.price, products.currency), 'atQuantity', tier_prices.at_quantity))
      FROM (SELECT tier, price, at_quantity FROM tier_prices
            WHERE tier_prices.org_id = products.org_id AND tier_prices.sku = products.sku
            ORDER BY tier, at_quantity) AS tier_prices))"""


def find_product(con: sqlite3.Connection, org_id: str, code: str) -> sqlite3.Row | None:
    row = con.execute("SELECT * FROM products WHERE org_id = ? AND sku = ?", (org_id, code)).fetchone()
    if row is None and code.isdigit():
        row = con.execute("SELECT * FROM products WHERE org_id = ? AND upc = ?", (org_id, code)).fetchone()
    if row is None and code != code.upper():
        row = con.execute("SELECT * FROM products WHERE org_id = ? AND sku = ?", (org_id, code.upper())).fetchone()
    return row


def price_for(con: sqlite3.Connection, org_id: str, product: sqlite3.Row, tier: str | None, quantity: int) -> Decimal:
    """The customer's unit price (tier break at the quantity, else list) via domain.pricing."""
    from nymble_desk.domain.pricing import unit_price

    cur = product["currency"]
    rows = tier_rows(con, org_id, [product["sku"]])[product["sku"]]
    return unit_price(money(product["price"], cur), tier_prices(rows, cur), tier, max(1, quantity))


def build_router(db: Database) -> APIRouter:
    router = APIRouter(tags=["products"])

    @router.get("/api/products", response_model=ProductsPage)
    def list_products(
        who: Caller, query: Annotated[ListQuery, Depends(paged_for(COLUMNS))], keyword: Keyword = None
    ) -> Response:
        clauses, params = where(COLUMNS, query)
        sql = " WHERE org_id = ?" + "".join(f" AND {c}" for c in clauses)
        args: list[Any] = [who.org_id, *params]
        if keyword:
            sql += " AND (sku LIKE ? ESCAPE '\\' OR name LIKE ? ESCAPE '\\' OR description LIKE ? ESCAPE '\\'" \
                   " OR upc LIKE ? ESCAPE '\\')"
            args += [contains(keyword)] * 4
        order = page_order(COLUMNS, query, "sku", "sku")
        with db.connection() as con:
            total = count_rows(con, "products", sql, args)
            add_money_sql(con)
            rows = page_json_rows(con, "products", _PRODUCT_JSON, [], sql, args, order, query)
            return json_rows_page(rows, total, query)

    @router.get("/api/products/{sku}", response_model=ProductOut)
    def get_product(who: Caller, sku: Annotated[str, Path(min_length=1, max_length=100)]) -> dict[str, Any]:
        with db.connection() as con:
            row = find_product(con, who.org_id, sku)
            if row is None:
                raise not_found("Product", sku)
            return render_products(con, who.org_id, [row])[0]

    return router
