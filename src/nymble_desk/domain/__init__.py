"""The pure core: money, tier pricing and quantity rules, totals, the quick-entry grammar.

No I/O and nothing outside the standard library is imported here.
"""

from nymble_desk.domain.entry import MAX_QUANTITY, Entry, EntryError, is_upc, parse_entry
from nymble_desk.domain.money import (
    SYMBOLS,
    Money,
    format_money,
    from_minor,
    minor_units,
    parse_money,
    quantize,
    sum_money,
    to_decimal,
    to_minor,
)
from nymble_desk.domain.quantity import QuantityError, check_total, parse_quantity
from nymble_desk.domain.pricing import (
    QuantityCheck,
    QuantityRule,
    TierPrice,
    check_quantity,
    current_break,
    next_break,
    unit_price,
)
from nymble_desk.domain.totals import Discount, Line, Totals, compute_totals, line_net

__all__ = [
    "MAX_QUANTITY",
    "SYMBOLS",
    "Discount",
    "Entry",
    "EntryError",
    "Line",
    "Money",
    "QuantityCheck",
    "QuantityError",
    "QuantityRule",
    "TierPrice",
    "Totals",
    "check_quantity",
    "check_total",
    "compute_totals",
    "current_break",
    "format_money",
    "from_minor",
    "is_upc",
    "line_net",
    "minor_units",
    "next_break",
    "parse_entry",
    "parse_money",
    "parse_quantity",
    "quantize",
    "sum_money",
    "to_decimal",
    "to_minor",
    "unit_price",
]
