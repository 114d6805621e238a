"""Small shared pieces: money on the wire, addresses, reps, ids, numbering."""

from __future__ import annotations

import json
import secrets
import sqlite3
import uuid
from decimal import Decimal
from functools import lru_cache
from typing import Any

from nymble_desk.domain.money import SYMBOLS, format_money, from_minor, minor_units, to_minor

ADDRESS_FIELDS = ("address1", "address2", "city", "stateProvince", "postalCode", "country")


# A list page renders thousands of amounts, most of them repeated (prices, credit limits, zero balances):
# both are pure, so they are remembered (a 1000-row page of products: 60 -> 15 ms).
@lru_cache(maxsize=65536)
def money(cents: int, currency: str = "USD") -> Decimal:
    return from_minor(int(cents), currency)


@lru_cache(maxsize=65536)
def fmt(cents: int, currency: str = "USD") -> str:
    return format_money(from_minor(int(cents), currency), currency)


@lru_cache(maxsize=65536)
def money_json(cents: int, currency: str = "USD") -> str:
    """The amount as the JSON number the response models write (``Num``: a float): ``1000`` USD -> ``10.0``."""
    return repr(float(money(cents, currency)))


# Currencies whose amounts SQLite writes itself (``cents / 100.0``): those with a symbol, all of two decimals.
# The quotient is the float nearest the amount, which json_object writes with 15 significant digits: for every
# amount under 10**13 that is Python's repr of the float, the text json.dumps writes (test_list_pages.py).
_SQL_CURRENCIES = tuple(code for code in SYMBOLS if minor_units(code) == 2)


def money_number_sql(cents: str, currency: str) -> str:
    """SQL for the amount ``cents`` (minor units) of ``currency`` as a JSON number inside ``json_object``:
    the same number text as :func:`money_json`."""
    codes = ", ".join(f"'{code}'" for code in _SQL_CURRENCIES)
    return (f"iif({currency} IN ({codes}) AND abs({cents}) < 1000000000000000, {cents} / 100.0,"
            f" json(money_json({cents}, {currency})))")


def add_money_sql(con: sqlite3.Connection) -> None:
    """``money_json(cents, currency)`` (wrap it in ``json()``: a JSON number) and ``money_text(cents, currency)``
    (the ``*Formatted`` text) in the SQL of ``con``: the same amounts as :func:`money` and :func:`fmt`."""
    con.create_function("money_json", 2, money_json, deterministic=True)
    con.create_function("money_text", 2, fmt, deterministic=True)


def cents(amount: Decimal | int | str, currency: str = "USD") -> int:
    return to_minor(amount, currency)


def new_guid() -> str:
    return str(uuid.uuid4())


def short_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(4)}"


def dumps(value: Any) -> str | None:
    return None if value is None else json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def loads(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def address_dict(address: Any, *, zip_key: str = "postalCode") -> dict[str, Any] | None:
    """An address (body model or dict) as the wire shape with the postal code under ``zip_key``."""
    if address is None:
        return None
    data = address.model_dump() if hasattr(address, "model_dump") else dict(address)
    postal = data.get("postalCode", data.get("zipPostalCode"))
    out = {k: data.get(k) for k in ("name", "address1", "address2", "city", "stateProvince")}
    out[zip_key] = postal
    out["country"] = data.get("country")
    for extra in ("phone", "email"):
        if data.get(extra):
            out[extra] = data[extra]
    if out.get("name") is None:
        out.pop("name", None)
    return out


def rekey_address(address: dict[str, Any] | None, zip_key: str) -> dict[str, Any] | None:
    if address is None:
        return None
    out = dict(address)
    postal = out.pop("postalCode", None)
    postal = out.pop("zipPostalCode", postal)
    out[zip_key] = postal
    return out


def rep_snapshot(con: sqlite3.Connection, org_id: str, rep_number: str | None) -> dict[str, Any] | None:
    if not rep_number:
        return None
    row = con.execute(
        "SELECT * FROM salesreps WHERE org_id = ? AND rep_number = ?", (org_id, rep_number)
    ).fetchone()
    if row is None:
        return None
    return rep_out(row)


def rep_out(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "repNumber": row["rep_number"],
        "firstName": row["first_name"],
        "lastName": row["last_name"],
        "fullName": f"{row['first_name']} {row['last_name']}",
        "email": row["email"],
        "phoneNumber": row["phone"],
        "active": bool(row["active"]),
    }


def default_address(con: sqlite3.Connection, org_id: str, customer_number: str, kind: str) -> dict[str, Any] | None:
    row = con.execute(
        "SELECT * FROM addresses WHERE org_id = ? AND customer_number = ? AND address_type = ?"
        " ORDER BY is_default DESC, id LIMIT 1",
        (org_id, customer_number, kind),
    ).fetchone()
    return None if row is None else address_row(row)


def address_row(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "name": row["name"],
        "address1": row["address1"],
        "address2": row["address2"],
        "city": row["city"],
        "stateProvince": row["state_province"],
        "postalCode": row["postal_code"],
        "country": row["country"],
        "phone": row["phone"],
        "email": row["email"],
    }


def next_number(con: sqlite3.Connection, org_id: str, kind: str) -> int:
    """Take the organisation's next order or invoice sequence number (inside a write)."""
    column = {"order": "next_order", "invoice": "next_invoice"}[kind]
    row = con.execute(f"SELECT {column} FROM orgs WHERE id = ?", (org_id,)).fetchone()
    con.execute(f"UPDATE orgs SET {column} = {column} + 1 WHERE id = ?", (org_id,))
    return int(row[0])


def order_number(seq: int) -> str:
    return f"ORD-{seq:05d}"


def invoice_number(seq: int) -> str:
    return f"INV-{seq:06d}"
