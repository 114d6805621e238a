"""The sandbox's fixed demo points: organisations, API clients and named records.

Tests, the demo command and the TUI rely on these; ``seed.py`` writes them
into every fresh sandbox, before the generated data.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class DemoClient:
    client_id: str
    secret: str
    role: str
    user_id: str
    rep_number: str | None = None
    customer_number: str | None = None


DEMO_ORG = "DEMO"
OTHER_ORG = "OTHER"

CLIENTS: dict[str, tuple[DemoClient, ...]] = {
    DEMO_ORG: (
        DemoClient("demo-admin", "demo-admin-secret", "Admin", "usr_demo_admin"),
        DemoClient("demo-rep", "demo-rep-secret", "SalesRep", "usr_demo_rep", rep_number="REP-007"),
        DemoClient(
            "demo-customer", "demo-customer-secret", "Customer", "usr_demo_customer", customer_number="CUST-1042"
        ),
    ),
    OTHER_ORG: (
        DemoClient("other-admin", "other-admin-secret", "Admin", "usr_other_admin"),
        DemoClient("other-rep", "other-rep-secret", "SalesRep", "usr_other_rep", rep_number="REP-007"),
    ),
}

ORG_NAMES = {DEMO_ORG: "Nymble Demo Wholesale", OTHER_ORG: "Other Trading Co."}

# (repNumber, first, last, email, phone)
REPS = (
    ("REP-003", "Morgan", "Lee", "morgan.lee@nymble.example", "555-300-0003"),
    ("REP-007", "Jordan", "Avery", "jordan.avery@nymble.example", "555-300-0007"),
)


@dataclass(frozen=True)
class FixedCustomer:
    number: str
    name: str
    rep: str
    tier: str = "Wholesale"
    terms: str = "Net30"
    credit_limit: Decimal = Decimal("25000")
    active: bool = True
    credit_hold: bool = False
    email: str | None = None
    phone: str | None = None


CUSTOMERS = (
    FixedCustomer("CUST-1042", "Brightfield Supply Co.", "REP-007", credit_limit=Decimal("50000"),
                  email="orders@brightfield.example", phone="555-400-1200"),
    FixedCustomer("CUST-0055", "Apex Distributors", "REP-003", terms="Net60"),
    FixedCustomer("CUST-0082", "Cornerstone Goods", "REP-007"),
    FixedCustomer("CUST-0042", "Acme Wholesale Ltd.", "REP-007"),
    FixedCustomer("CUST-0013", "Dormant Traders Inc.", "REP-007", active=False),
    FixedCustomer("CUST-0021", "Overdue Hardware LLC", "REP-007", credit_hold=True),
)

# (type, default, address1, address2, city, state, postal, country)
BRIGHTFIELD_ADDRESSES = (
    ("Shipping", True, "500 Commerce Drive", "Suite 200", "Austin", "TX", "78701", "US"),
    ("Shipping", False, "300 Commerce Blvd", None, "Portland", "OR", "97201", "US"),
    ("Billing", True, "300 Commerce Blvd", None, "Portland", "OR", "97201", "US"),
)


@dataclass(frozen=True)
class FixedProduct:
    sku: str
    name: str
    price: Decimal
    upc: str
    tiers: tuple[tuple[str, Decimal, int], ...] = ()
    moq: int = 1
    increment: int = 1
    category: str = "Widgets"
    #: quantityOnHand; some are short of what their buyers usually order, so a cart shows a line over stock
    on_hand: int = 500


def upc_check_digit(first11: str) -> str:
    odd = sum(int(d) for d in first11[0::2])
    even = sum(int(d) for d in first11[1::2])
    return str((10 - (odd * 3 + even) % 10) % 10)


def upc(first11: str) -> str:
    return first11 + upc_check_digit(first11)


PRODUCTS = (
    FixedProduct("WIDGET-BLU-L", "Widget Blue Large (classic)", Decimal("14.00"), upc("01234567891")),
    FixedProduct("WIDGET-RED-M", "Widget Red Medium (classic)", Decimal("12.00"), upc("01234567892")),
    FixedProduct("WDG-BLU-L", "Widget Blue Large", Decimal("13.50"), "012345678905",
                 tiers=(("Wholesale", Decimal("12.50"), 1), ("Wholesale", Decimal("11.75"), 48))),
    FixedProduct("WDG-RED-M", "Widget Red Medium", Decimal("12.00"), upc("01234567893"),
                 tiers=(("Wholesale", Decimal("11.00"), 1),), on_hand=20),
    FixedProduct("PART-A1", "Part A1", Decimal("4.25"), upc("01234567894"), moq=10, increment=10, category="Parts",
                 on_hand=2400),
    FixedProduct("PART-B3", "Part B3", Decimal("9.99"), upc("01234567895"), moq=25, increment=25, category="Parts",
                 on_hand=0),
    FixedProduct("WDG-100-BLU", "Widget 100 Blue", Decimal("18.50"), upc("01234567896"), on_hand=8),
)


#: Earlier orders of the seed customers that they repeat (what an order guide and last prices are made of):
#: (customer, days after the seed's anchor, ((sku, quantity), ...), PO). All are older than the customers'
#: other seeded orders, complete and paid, so the last orders, balances and PO numbers shown before stay.
HISTORY: tuple[tuple[str, int, tuple[tuple[str, int], ...], str], ...] = (
    ("CUST-1042", 40, (("WDG-BLU-L", 48), ("WDG-RED-M", 24), ("PART-A1", 100)), "PO-2024-70110"),
    ("CUST-1042", 95, (("WDG-BLU-L", 48), ("PART-A1", 100)), "PO-2024-71502"),
    ("CUST-1042", 150, (("WDG-BLU-L", 96), ("WDG-RED-M", 24), ("WDG-100-BLU", 12)), "PO-2024-73020"),
    ("CUST-1042", 205, (("WDG-BLU-L", 48), ("WDG-RED-M", 36), ("PART-A1", 50)), "PO-2024-74870"),
    ("CUST-0042", 60, (("WDG-100-BLU", 24), ("PART-B3", 50)), "PO-ACME-5510"),
    ("CUST-0042", 130, (("WDG-100-BLU", 24), ("WIDGET-RED-M", 10)), "PO-ACME-5634"),
    ("CUST-0042", 220, (("WDG-100-BLU", 36), ("PART-B3", 50), ("WIDGET-RED-M", 10)), "PO-ACME-5781"),
)
