"""Deterministic demo data: the fixed records of ``demo.py`` plus generated ones.

Each organisation gets its own seeded ``random.Random`` so the same sizes always
give the same rows (ids included).  ``customers``/``products`` count the
generated records per organisation (``CUST-2000``.., ``SKU-000001``..); the
fixed records come on top.  Bulk rows go in with ``executemany`` inside one
transaction (100,000 customers and 200,000 products take seconds).
"""

from __future__ import annotations

import hashlib
import random
import sqlite3
import uuid
from datetime import datetime, timedelta, UTC
from decimal import Decimal
from typing import Any

from nymble_desk.domain.pricing import TierPrice, unit_price
from nymble_desk.sandbox.demo import (
    BRIGHTFIELD_ADDRESSES,
    CLIENTS,
    CUSTOMERS,
    DEMO_ORG,
    HISTORY,
    ORG_NAMES,
    OTHER_ORG,
    PRODUCTS,
    REPS,
    upc,
)
from nymble_desk.sandbox.auth import hash_secret
from nymble_desk.sandbox.db import Database, iso
from nymble_desk.sandbox.invoice_store import add_payment, create_invoice, settle_status
from nymble_desk.sandbox.order_store import write_order
from nymble_desk.sandbox.records import cents, order_number, rep_snapshot

ANCHOR = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
STAMP = iso(ANCHOR)
SEEDS = {DEMO_ORG: 1042, OTHER_ORG: 7}
TIERS = ("Wholesale", "Retail", "Distributor")
#: Each organisation's own price tiers (orders must name one of them); OTHER has one DEMO lacks.
ORG_TIERS = {DEMO_ORG: TIERS, OTHER_ORG: (*TIERS, "Contract")}
TERMS = ("Net30", "Net30", "Net60", "Net15", "COD")
FIRST = ("Alex", "Sam", "Riley", "Casey", "Taylor", "Jamie", "Drew", "Quinn", "Avery", "Parker", "Reese", "Rowan")
LAST = ("Nguyen", "Patel", "Garcia", "Kim", "Okafor", "Schmidt", "Rossi", "Silva", "Cohen", "Walsh", "Haddad")
NAME_A = ("Summit", "Harbor", "Granite", "Prairie", "Redwood", "Bluewater", "Ironside", "Maple", "Northgate",
          "Silverline", "Keystone", "Lakeshore", "Pioneer", "Copperfield", "Evergreen", "Westbrook", "Highland")
NAME_B = ("Supply", "Traders", "Hardware", "Distribution", "Goods", "Industrial", "Outfitters", "Wholesale",
          "Provisions", "Mercantile", "Components", "Equipment")
NAME_C = ("Co.", "Inc.", "LLC", "Ltd.", "Group", "& Sons", "Partners")
CITIES = (("Austin", "TX", "787"), ("Portland", "OR", "972"), ("Denver", "CO", "802"), ("Columbus", "OH", "432"),
          ("Raleigh", "NC", "276"), ("Phoenix", "AZ", "850"), ("Madison", "WI", "537"), ("Boise", "ID", "837"))
STREETS = ("Commerce Dr", "Industrial Pkwy", "Main St", "Oak Ave", "Market St", "Harbor Rd", "Mill Rd", "Elm St")
ADJ = ("Heavy-Duty", "Compact", "Premium", "Standard", "Stainless", "Galvanized", "Coated", "Precision", "Economy")
ITEM = ("Widget", "Bracket", "Hinge", "Fastener", "Gasket", "Coupling", "Valve", "Bearing", "Clamp", "Spacer",
        "Washer", "Fitting", "Sprocket", "Pulley", "Bushing")
SIZE = ("XS", "S", "M", "L", "XL", "10mm", "20mm", "1/4in", "1/2in", "3/4in")
COLOR = ("Blue", "Red", "Black", "Zinc", "Brass", "White", "Green")
CATEGORIES = ("Widgets", "Hardware", "Fasteners", "Plumbing", "Power Transmission", "Parts")


def org_id_for(code: str) -> str:
    return "org_" + hashlib.sha256(code.encode()).hexdigest()[:8]


def _guid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def seed(db: Database, *, customers: int, products: int) -> bool:
    """Fill a fresh database; returns False (and does nothing) when it is already seeded."""
    if db.meta("seeded"):
        return False
    with db.write() as con:
        if con.execute("SELECT value FROM meta WHERE key = 'seeded'").fetchone():
            return False
        for code in (DEMO_ORG, OTHER_ORG):
            _seed_org(con, code, random.Random(SEEDS[code]), customers, products)
        con.execute("INSERT INTO meta VALUES ('seeded', ?)", (f"customers={customers} products={products}",))
    return True


def _seed_org(con: sqlite3.Connection, code: str, rng: random.Random, n_customers: int, n_products: int) -> None:
    org = org_id_for(code)
    con.execute("INSERT INTO orgs (id, code, name, currency) VALUES (?, ?, ?, 'USD')", (org, code, ORG_NAMES[code]))
    con.executemany("INSERT INTO price_tiers VALUES (?, ?, ?)", [(org, t, i) for i, t in enumerate(ORG_TIERS[code])])
    con.executemany(
        "INSERT INTO clients VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(org, c.client_id, hash_secret(c.secret), c.role, c.user_id, c.rep_number, c.customer_number)
         for c in CLIENTS[code]],
    )
    reps = [(org, *r, 1) for r in REPS]
    for n in range(1, 13):
        number = f"REP-{n:03d}"
        if number not in ("REP-003", "REP-007"):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            reps.append((org, number, first, last, f"{first}.{last}.{n}@nymble.example".lower(), f"555-300-{n:04d}", 1))
    con.executemany("INSERT INTO salesreps VALUES (?, ?, ?, ?, ?, ?, ?)", reps)
    rep_numbers = [r[1] for r in reps]
    stamp = iso(ANCHOR)
    _seed_customers(con, org, rng, n_customers, rep_numbers, stamp)
    catalog = _seed_products(con, org, rng, n_products)
    _seed_orders(con, org, rng, n_customers, catalog)
    if code == DEMO_ORG:
        _seed_credit(con, org, catalog)


def _address(rng: random.Random) -> tuple[str, str, str, str]:
    city, state, zip3 = rng.choice(CITIES)
    return f"{rng.randint(10, 9999)} {rng.choice(STREETS)}", city, state, f"{zip3}{rng.randint(0, 99):02d}"


def _seed_customers(con: sqlite3.Connection, org: str, rng: random.Random, n: int, reps: list[str], stamp: str) -> None:
    rows: list[tuple[Any, ...]] = []
    addresses: list[tuple[Any, ...]] = []
    for c in CUSTOMERS:
        slug = c.name.split()[0].lower().strip(".,")
        rows.append(
            (
                org,
                c.number,
                c.name,
                c.email or f"orders@{slug}.example",
                c.phone or f"555-410-{c.number[-4:]}",
                None,
                int(c.active),
                int(c.credit_hold),
                c.rep,
                c.tier,
                c.terms,
                "USD",
                cents(c.credit_limit),
                stamp,
            )
        )
        if c.number == "CUST-1042":
            for kind, default, a1, a2, city, state, postal, country in BRIGHTFIELD_ADDRESSES:
                addresses.append((org, c.number, kind, int(default), c.name, a1, a2, city, state, postal, country,
                                  None, None))
        else:
            a1, city, state, postal = _address(rng)
            for kind in ("Shipping", "Billing"):
                addresses.append((org, c.number, kind, 1, c.name, a1, None, city, state, postal, "US", None, None))
    for i in range(n):
        number = f"CUST-{2000 + i}"
        name = f"{rng.choice(NAME_A)} {rng.choice(NAME_B)} {rng.choice(NAME_C)}"
        slug = name.split()[0].lower()
        active = rng.random() > 0.03
        rows.append(
            (
                org,
                number,
                name,
                f"buyer{2000 + i}@{slug}.example",
                f"555-{rng.randint(200, 999)}-{rng.randint(0, 9999):04d}",
                None,
                int(active),
                int(active and rng.random() < 0.03),
                rng.choice(reps),
                rng.choices(TIERS, (5, 4, 1))[0],
                rng.choice(TERMS),
                "USD",
                rng.choice((5000, 10000, 25000, 50000)) * 100,
                stamp,
            )
        )
        a1, city, state, postal = _address(rng)
        addresses.append((org, number, "Shipping", 1, name, a1, None, city, state, postal, "US", None, None))
        addresses.append((org, number, "Billing", 1, name, a1, None, city, state, postal, "US", None, None))
        if rng.random() < 0.2:
            b1, city, state, postal = _address(rng)
            addresses.append((org, number, "Shipping", 0, name, b1, "Dock 2", city, state, postal, "US", None, None))
    con.executemany("INSERT INTO customers VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    con.executemany(
        "INSERT INTO addresses (org_id, customer_number, address_type, is_default, name, address1, address2, city,"
        " state_province, postal_code, country, phone, email) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        addresses,
    )


Catalog = dict[str, tuple[str, int, int, int, list[TierPrice]]]  # sku -> (name, price, moq, increment, tiers)


def _seed_products(con: sqlite3.Connection, org: str, rng: random.Random, n: int) -> Catalog:
    rows: list[tuple[Any, ...]] = []
    tiers: list[tuple[Any, ...]] = []
    catalog: Catalog = {}
    for p in PRODUCTS:
        rows.append((org, p.sku, p.name, f"{p.name}, demo catalogue item", p.category, p.upc, 1, cents(p.price), "USD",
                     p.on_hand, p.moq, p.increment, f"EXT-{p.sku}", STAMP))
        tiers.extend((org, p.sku, tier, at, cents(price)) for tier, price, at in p.tiers)
    for i in range(1, n + 1):
        sku = f"SKU-{i:06d}"
        name = f"{rng.choice(ADJ)} {rng.choice(ITEM)} {rng.choice(COLOR)} {rng.choice(SIZE)}"
        price = rng.randint(99, 25000)
        moq, inc = 1, 1
        roll = rng.random()
        if roll < 0.08:
            moq = inc = rng.choice((5, 6, 10, 12, 25))
        elif roll < 0.15:
            moq, inc = rng.choice((10, 12, 24)), rng.choice((1, 2))
        active = rng.random() > 0.03
        rows.append((org, sku, name, f"{name} for trade use", rng.choice(CATEGORIES), upc(f"7{i:010d}"),
                     int(active), price, "USD", rng.randint(0, 5000), moq, inc, f"EXT-{i:06d}", STAMP))
        product_tiers = []
        if rng.random() < 0.6:
            product_tiers.append(("Wholesale", 1, price * 90 // 100))
            if rng.random() < 0.5:
                product_tiers.append(("Wholesale", 48, price * 85 // 100))
        if rng.random() < 0.3:
            product_tiers.append(("Distributor", 1, price * 80 // 100))
        tiers.extend((org, sku, t, at, pr) for t, at, pr in product_tiers)
        if active and i <= 2000:
            catalog[sku] = (name, price, moq, inc,
                            [TierPrice(t, Decimal(pr) / 100, at) for t, at, pr in product_tiers])
    con.executemany("INSERT INTO products VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    con.executemany("INSERT INTO tier_prices VALUES (?, ?, ?, ?, ?)", tiers)
    for p in PRODUCTS:
        catalog[p.sku] = (p.name, cents(p.price), p.moq, p.increment,
                          [TierPrice(t, pr, at) for t, pr, at in p.tiers])
    return catalog


def _seed_orders(con: sqlite3.Connection, org: str, rng: random.Random, n_customers: int, catalog: Catalog) -> None:
    plans: list[tuple[str, datetime, list[tuple[str, int]], str | None]] = [
        ("CUST-1042", ANCHOR + timedelta(days=250), [("WDG-BLU-L", 48), ("WDG-RED-M", 12)], "PO-2024-77001"),
        ("CUST-1042", ANCHOR + timedelta(days=290), [("PART-A1", 20)], "PO-2024-77452"),
        ("CUST-1042", ANCHOR + timedelta(days=300, hours=3), [("WIDGET-BLU-L", 5), ("PART-B3", 50)], "PO-2024-78010"),
        ("CUST-0082", ANCHOR + timedelta(days=120), [("PART-B3", 25)], "PO-82-1001"),
    ]
    generated = [s for s in catalog if s.startswith("SKU-")] or [s for s in catalog]
    for i in range(min(n_customers, 600)):
        if rng.random() < 0.5:
            for _ in range(rng.randint(1, 3)):
                lines = []
                for sku in rng.sample(generated, k=min(len(generated), rng.randint(1, 4))):
                    moq, inc = catalog[sku][2], catalog[sku][3]
                    lines.append((sku, max(moq, inc * rng.randint(1, 8))))
                plans.append(
                    (
                        f"CUST-{2000 + i}",
                        ANCHOR + timedelta(days=rng.randint(0, 320), minutes=rng.randint(0, 600)),
                        lines,
                        f"PO-{rng.randint(10000, 99999)}",
                    )
                )
    plans.sort(key=lambda p: (p[1], p[0]))
    for seq, (number, when, lines, po) in enumerate(plans, start=1):
        _write_seed_order(con, org, rng, catalog, seq, number, when, lines, po)
    # the seed customers' repeat orders (demo.HISTORY) come last, so every number given above stays
    for seq, (number, days, history_lines, po) in enumerate(HISTORY, start=len(plans) + 1):
        _write_seed_order(con, org, rng, catalog, seq, number, ANCHOR + timedelta(days=days, hours=10),
                          list(history_lines), po, fate="Paid")
    con.execute("UPDATE orgs SET next_order = ? WHERE id = ?", (len(plans) + len(HISTORY) + 1, org))


def _write_seed_order(con: sqlite3.Connection, org: str, rng: random.Random, catalog: Catalog, seq: int,
                      number: str, when: datetime, lines: list[tuple[str, int]], po: str | None,
                      fate: str | None = None) -> None:
    """One seeded order with its invoice (and payment, by ``fate`` or at random)."""
    cust = con.execute("SELECT * FROM customers WHERE org_id = ? AND customer_number = ?", (org, number)).fetchone()
    stamp = iso(when)
    addr = con.execute(
        "SELECT * FROM addresses WHERE org_id = ? AND customer_number = ? ORDER BY address_type "
        "DESC, is_default DESC, id",
        (org, number),
    ).fetchall()
    ship = next(a for a in addr if a["address_type"] == "Shipping")
    bill = next(a for a in addr if a["address_type"] == "Billing")

    def snap(a: sqlite3.Row) -> dict[str, Any]:
        return {"address1": a["address1"], "address2": a["address2"], "city": a["city"],
                "stateProvince": a["state_province"], "postalCode": a["postal_code"], "country": a["country"]}

    items = []
    for sku, qty in lines:
        name, price, moq, inc, tiers = catalog[sku]
        unit = unit_price(Decimal(price) / 100, tiers, cust["pricing"], qty)
        items.append(
            {"sku": sku, "product_name": name, "quantity": qty, "price": cents(unit), "moq": moq, "increment": inc}
        )
    age = (ANCHOR + timedelta(days=330) - when).days
    status = "Complete" if age > 60 else "Shipped" if age > 20 else "Processing"
    order = write_order(
        con,
        {
            "id": _guid(rng),
            "org_id": org,
            "order_number": order_number(seq),
            "order_date": stamp,
            "order_status": status,
            "order_type": rng.choice(("Standard", "Assisted", "Assisted")),
            "po_number": po,
            "price_tier": cust["pricing"],
            "currency": "USD",
            "terms": cust["terms"],
            "channel": rng.choice(("Phone", "Web", "TradeShow")),
            "external_id": None,
            "notes": None,
            "origination_cart_id": None,
            "customer": {
                "customerNumber": number,
                "companyName": cust["company_name"],
                "companyEmail": cust["company_email"],
                "companyPhone": cust["company_phone"],
                "billingAddress": snap(bill),
                "shippingAddress": snap(ship),
            },
            "primary_rep": rep_snapshot(con, org, cust["rep_number"]),
            "taken_by_rep": None,
            "user": {"userId": "usr_seed", "userType": "SalesRep"},
            "shipping": {
                "method": "FedEx Ground",
                "total": 1850 if len(lines) > 1 else 950,
                "shippingAddress": snap(ship),
            },
            "tax": 0,
            "discount": 0,
            "created_at": stamp,
            "updated_at": stamp,
        },
        items,
    )
    inv_lines = [{"sku": i["sku"], "productName": i["product_name"], "quantity": i["quantity"], "price": i["price"]}
                 for i in items]
    fate = fate or (
        "Paid"
        if po == "PO-2024-77001"
        else "Issued"
        if po == "PO-2024-77452"
        else "PartiallyPaid"
        if po == "PO-2024-78010"
        else rng.choices(("Paid", "Issued", "PartiallyPaid", "Voided"), (6, 2, 1, 1))[0]
    )
    inv = create_invoice(con, order, inv_lines, status="Voided" if fate == "Voided" else "Issued", now=stamp,
                         with_charges=True, invoice_id=_guid(rng))
    if fate in ("Paid", "PartiallyPaid"):
        amount = order["total"] if fate == "Paid" else order["total"] // 2
        pay_when = iso(when + timedelta(days=rng.randint(3, 40)))
        add_payment(con, inv, amount, "USD", method=rng.choice(("Cheque", "ACH", "Wire", "EFT")), when=pay_when,
                    payment_id=_guid(rng), reference=f"REF-{rng.randint(100000, 999999)}")
        settle_status(con, inv, pay_when)


# --- credit (issue #13): customers near and over their credit limit ------------------------------------
# Kept apart from the order history above (no draw from the organisation's rng, so the generated data
# stays the same).  Limits are 25,000 (demo.py).  CUST-0082 owes 21,890.00 on an issued invoice and has
# orders of 1,760.00 and 259.25 not yet invoiced (the older one's invoice voided): 1,090.75 available.
# CUST-0042 owes 26,400.00: 1,400.00 over.  CUST-0021 is on credit hold (demo.py).
# CUST-1042 (limit 50,000) owes little: a large order breaks it.
CreditOrder = tuple[str, str, tuple[tuple[str, int], ...], bool]
CREDIT_ORDERS: tuple[CreditOrder, ...] = (
    # (customer, PO, lines, invoiced)
    ("CUST-0082", "PO-82-2001", (("WDG-RED-M", 1990),), True),
    ("CUST-0082", "PO-82-2002", (("WDG-RED-M", 160),), False),
    ("CUST-0042", "PO-42-3001", (("WDG-RED-M", 2400),), True),
)


def _seed_credit(con: sqlite3.Connection, org: str, catalog: Catalog) -> None:
    from nymble_desk.sandbox.records import next_number

    for n, (number, po, lines, invoiced) in enumerate(CREDIT_ORDERS):
        cust = con.execute("SELECT * FROM customers WHERE org_id = ? AND customer_number = ?", (org, number)).fetchone()
        when = ANCHOR + timedelta(days=326, hours=n)
        stamp = iso(when)
        items = []
        for sku, qty in lines:
            name, price, moq, inc, tiers = catalog[sku]
            unit = unit_price(Decimal(price) / 100, tiers, cust["pricing"], qty)
            items.append({"sku": sku, "product_name": name, "quantity": qty, "price": cents(unit),
                          "moq": moq, "increment": inc})
        ship = {"address1": "100 Credit Way", "city": "Austin", "stateProvince": "TX", "postalCode": "78701",
                "country": "US"}
        order = write_order(con, {
            "id": str(uuid.UUID(hashlib.sha256(f"{org}:{po}".encode()).hexdigest()[:32], version=4)),
            "org_id": org, "order_number": order_number(next_number(con, org, "order")), "order_date": stamp,
            "order_status": "Processing" if invoiced else "Pending", "order_type": "Assisted", "po_number": po,
            "price_tier": cust["pricing"], "currency": "USD", "terms": cust["terms"], "channel": "Phone",
            "external_id": None, "notes": None, "origination_cart_id": None,
            "customer": {"customerNumber": number, "companyName": cust["company_name"],
                         "companyEmail": cust["company_email"], "companyPhone": cust["company_phone"],
                         "billingAddress": ship, "shippingAddress": ship},
            "primary_rep": rep_snapshot(con, org, cust["rep_number"]), "taken_by_rep": None,
            "user": {"userId": "usr_seed", "userType": "SalesRep"},
            "shipping": {"method": "Freight", "total": 0, "shippingAddress": ship},
            "tax": 0, "discount": 0, "created_at": stamp, "updated_at": stamp,
        }, items)
        if invoiced:
            inv_lines = [{"sku": i["sku"], "productName": i["product_name"], "quantity": i["quantity"],
                          "price": i["price"]} for i in items]
            create_invoice(con, order, inv_lines, status="Issued", now=stamp, with_charges=True,
                           invoice_id=str(uuid.UUID(hashlib.sha256(f"{org}:inv:{po}".encode()).hexdigest()[:32],
                                                    version=4)))
