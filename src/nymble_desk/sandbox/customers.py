"""Customers: ``GET /api/customers``, ``GET /api/customers/{customerNumber}``, ``PUT /api/customers``."""

from __future__ import annotations

import sqlite3
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Response

from nymble_desk.sandbox.auth import Caller, Principal
from nymble_desk.sandbox.bodies import CustomerIn
from nymble_desk.sandbox.db import Database, utc_now
from nymble_desk.sandbox.errors import bad_request
from nymble_desk.sandbox.invoice_store import OPEN_STATUSES, PAID_SQL, customer_balances
from nymble_desk.sandbox.json_rows import json_bool, json_rows_page, page_json_rows
from nymble_desk.sandbox.paging import Col, Keyword, contains, count_rows, ListQuery, page_order, paged_for, where
from nymble_desk.sandbox.products import resolve_tier
from nymble_desk.sandbox.records import add_money_sql, address_row, cents, fmt, money, money_number_sql
from nymble_desk.sandbox.responses import CustomerOut, CustomersPage
from nymble_desk.sandbox.scope import visible_customer

COLUMNS = {
    "customerNumber": Col("customer_number"),
    "name": Col("company_name"),
    "companyName": Col("company_name"),
    "companyEmail": Col("company_email"),
    "companyPhone": Col("company_phone"),
    "active": Col("active", "bool"),
    "creditHold": Col("credit_hold", "bool"),
    "repNumber": Col("rep_number"),
    "pricing": Col("pricing"),
    "terms": Col("terms"),
    "currencyCode": Col("currency"),
    "creditLimit": Col("credit_limit", "money"),
    "updatedAt": Col("updated_at", "date"),
}

CustomerNumber = Annotated[str, Path(min_length=1, max_length=100)]


def render_customers(con: sqlite3.Connection, org_id: str, rows: list[sqlite3.Row]) -> list[dict[str, Any]]:
    numbers = [r["customer_number"] for r in rows]
    balances = customer_balances(con, org_id, numbers)
    addresses: dict[str, list[dict[str, Any]]] = {n: [] for n in numbers}
    for start in range(0, len(numbers), 500):
        chunk = numbers[start:start + 500]
        for a in con.execute(
            f"SELECT * FROM addresses WHERE org_id = ? AND customer_number IN ({', '.join('?' * len(chunk))})"
            " ORDER BY customer_number, address_type DESC, is_default DESC, id",
            [org_id, *chunk],
        ):
            addresses[a["customer_number"]].append(
                {"addressType": a["address_type"], "default": bool(a["is_default"]), **address_row(a)}
            )
    out = []
    for r in rows:
        cur = r["currency"]
        balance = balances[r["customer_number"]]
        out.append({
            "customerNumber": r["customer_number"],
            "companyName": r["company_name"],
            "companyEmail": r["company_email"],
            "companyPhone": r["company_phone"],
            "companyFax": r["company_fax"],
            "active": bool(r["active"]),
            "creditHold": bool(r["credit_hold"]),
            "repNumber": r["rep_number"],
            "pricing": r["pricing"],
            "terms": r["terms"],
            "currencyCode": cur,
            "creditLimit": money(r["credit_limit"], cur),
            "creditLimitFormatted": fmt(r["credit_limit"], cur),
            "balance": money(balance, cur),
            "balanceFormatted": fmt(balance, cur),
            "addresses": addresses[r["customer_number"]],
            "updatedAt": r["updated_at"],
        })
    return out


# One customer of a list page as JSON, written by SQLite: the keys and values of render_customers (the single
# GETs' dict).  Its addresses in render_customers' order; its balance, as customer_balances sums it, computed
# once (the inner SELECT) for the number and the text.
_ADDRESS_JSON = f"""json_object(
    'addressType', address_type, 'default', {json_bool('is_default')}, 'name', name, 'address1', address1,
    'address2', address2, 'city', city, 'stateProvince', state_province, 'postalCode', postal_code,
    'country', country, 'phone', phone, 'email', email)"""
_ADDRESSES_JSON = f"""(SELECT json_group_array({_ADDRESS_JSON}) FROM (
    SELECT address_type, is_default, name, address1, address2, city, state_province, postal_code, country, phone,
    email FROM addresses WHERE addresses.org_id = customers.org_id
    AND addresses.customer_number = customers.customer_number ORDER BY address_type DESC, is_default DESC, id))"""
_BALANCE = f"""coalesce((SELECT sum(invoices.total - {PAID_SQL}) FROM invoices
    WHERE invoices.org_id = customers.org_id AND invoices.customer_number = customers.customer_number
    AND invoices.status IN ({', '.join('?' * len(OPEN_STATUSES))})), 0)"""
_CUSTOMER_JSON = f"""(SELECT json_object(
    'customerNumber', customer_number, 'companyName', company_name, 'companyEmail', company_email,
    'companyPhone', company_phone, 'companyFax', company_fax, 'active', {json_bool('active')},
    'creditHold', {json_bool('credit_hold')}, 'repNumber', rep_number, 'pricing', pricing, 'terms', terms,
    'currencyCode', currency,
    'creditLimit', {money_number_sql('credit_limit', 'currency')},
    'creditLimitFormatted', money_text(credit_limit, currency),
    'balance', {money_number_sql('owed.balance', 'currency')}, 'balanceFormatted', money_text(owed.balance, currency),
    'addresses', {_ADDRESSES_JSON}, 'updatedAt', updated_at)
  FROM (SELECT {_BALANCE} AS balance) AS owed)"""


def search(con: sqlite3.Connection, who: Principal, query: ListQuery) -> Response:
    """One page of ``GET /api/customers`` as its JSON response."""
    clauses, params = where(COLUMNS, query)
    scope, scope_params = who.customer_scope()
    sql = " WHERE org_id = ?" + scope + "".join(f" AND {c}" for c in clauses)
    args: list[Any] = [who.org_id, *scope_params, *params]
    if query.keyword:
        sql += (" AND (customer_number LIKE ? ESCAPE '\\' OR company_name LIKE ? ESCAPE '\\'"
                " OR company_email LIKE ? ESCAPE '\\' OR company_phone LIKE ? ESCAPE '\\')")
        args += [contains(query.keyword)] * 4
    total = count_rows(con, "customers", sql, args)
    order = page_order(COLUMNS, query, 'name', 'customer_number')
    add_money_sql(con)
    rows = page_json_rows(con, "customers", _CUSTOMER_JSON, list(OPEN_STATUSES), sql, args, order, query)
    return json_rows_page(rows, total, query)


def build_router(db: Database) -> APIRouter:
    router = APIRouter(tags=["customers"])

    @router.get("/api/customers", response_model=CustomersPage)
    def list_customers(
        who: Caller, query: Annotated[ListQuery, Depends(paged_for(COLUMNS))], keyword: Keyword = None
    ) -> Response:
        query.keyword = keyword
        with db.connection() as con:
            return search(con, who, query)

    @router.get("/api/customers/{customerNumber}", response_model=CustomerOut)
    def get_customer(who: Caller, customerNumber: CustomerNumber) -> dict[str, Any]:
        with db.connection() as con:
            row = visible_customer(con, who, customerNumber)
            return render_customers(con, who.org_id, [row])[0]

    @router.put("/api/customers", response_model=CustomerOut, responses={201: {"model": CustomerOut}})
    def upsert_customer(who: Caller, body: CustomerIn, response: Response) -> dict[str, Any]:
        who.require_staff()
        now = utc_now()
        with db.write() as con:
            existing = con.execute(
                "SELECT * FROM customers WHERE org_id = ? AND customer_number = ?", (who.org_id, body.customerNumber)
            ).fetchone()
            if existing is not None:
                visible_customer(con, who, body.customerNumber)
            rep = body.repNumber or (existing["rep_number"] if existing else who.rep_number)
            if who.role == "SalesRep" and rep != who.rep_number:
                raise bad_request("RepNumber", "A sales rep can only keep customers assigned to itself.")
            if rep and con.execute(
                "SELECT 1 FROM salesreps WHERE org_id = ? AND rep_number = ?", (who.org_id, rep)
            ).fetchone() is None:
                raise bad_request("RepNumber", f"Sales rep '{rep}' does not exist.")
            pricing = resolve_tier(con, who.org_id, body.pricing, "Pricing")
            con.execute(
                "INSERT OR REPLACE INTO customers VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (who.org_id, body.customerNumber, body.companyName, body.companyEmail, body.companyPhone,
                 body.companyFax, int(body.active), int(body.creditHold), rep, pricing, body.terms,
                 body.currencyCode.upper(), cents(body.creditLimit, body.currencyCode.upper()), now),
            )
            if body.addresses is not None:
                con.execute(
                    "DELETE FROM addresses WHERE org_id = ? AND customer_number = ?", (who.org_id, body.customerNumber)
                )
                con.executemany(
                    "INSERT INTO addresses (org_id, customer_number, address_type, is_default, name, address1,"
                    " address2, city, state_province, postal_code, country, phone, email)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        (
                            who.org_id,
                            body.customerNumber,
                            a.addressType.capitalize(),
                            int(a.default),
                            a.name,
                            a.address1,
                            a.address2,
                            a.city,
                            a.stateProvince,
                            a.postalCode,
                            a.country,
                            a.phone,
                            a.email,
                        )
                        for a in body.addresses
                    ],
                )
            row = con.execute(
                "SELECT * FROM customers WHERE org_id = ? AND customer_number = ?", (who.org_id, body.customerNumber)
            ).fetchone()
            response.status_code = 200 if existing is not None else 201
            return render_customers(con, who.org_id, [row])[0]

    return router
