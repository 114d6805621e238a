"""The order's own terms as a rep types them: amounts, a discount (``10%`` or ``25.00``) and line
discounts (``WDG-RED-M 5.00, PART-A1 10%``).  Pure; a bad value raises :class:`TermsError` naming
the field, and the caller keeps what was typed."""

from __future__ import annotations

from decimal import Decimal

from nymble_desk.domain.money import format_money, parse_money, quantize
from nymble_desk.domain.totals import Discount

MAX_AMOUNT = Decimal("1000000000")  # the API's bound on an amount


class TermsError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def parse_amount(text: str, field: str, currency: str = "USD") -> Decimal | None:
    """A shipping cost or tax: blank is none; else 0 or more, to the cent."""
    raw = text.strip()
    if not raw:
        return None
    try:
        value = parse_money(raw)
    except ValueError:
        raise TermsError(field, f"{field}: {raw!r} is not an amount (type e.g. 25.00)") from None
    if value < 0 or value > MAX_AMOUNT:
        raise TermsError(field, f"{field}: must be 0 or more (and under {format_money(MAX_AMOUNT, currency)})")
    if quantize(value, currency) != value:
        raise TermsError(field, f"{field}: {raw!r} has more decimals than {currency} has cents")
    return value


def parse_discount(text: str, field: str = "Discount", currency: str = "USD") -> Discount | None:
    """``10%`` (Percentage, more than 0 and at most 100) or ``25.00`` (Fixed, more than 0); blank is none."""
    raw = text.strip()
    if not raw:
        return None
    percent = raw.endswith("%")
    try:
        value = parse_money(raw[:-1] if percent else raw)
    except ValueError:
        raise TermsError(field, f"{field}: {raw!r} is not a discount (type 10% or an amount such as 25.00)") \
            from None
    if percent:
        if not 0 < value <= 100:
            raise TermsError(field, f"{field}: a percentage is more than 0 and at most 100")
        return Discount("Percentage", value)
    if not 0 < value <= MAX_AMOUNT or quantize(value, currency) != value:
        raise TermsError(field, f"{field}: an amount off is more than 0, to the cent")
    return Discount("Fixed", value)


def parse_line_discounts(text: str, skus: list[str], currency: str = "USD") -> tuple[tuple[str, Discount], ...]:
    """``SKU discount`` pairs separated by commas or semicolons; each SKU must be a line of the cart."""
    out: dict[str, Discount] = {}
    known = {s.upper(): s for s in skus}
    for part in (p.strip() for p in text.replace(";", ",").split(",")):
        if not part:
            continue
        sku, _, rest = part.partition(" ")
        line = known.get(sku.upper())
        if line is None:
            raise TermsError("Line discounts", f"Line discounts: {sku} is not a line of this cart")
        found = parse_discount(rest, "Line discounts", currency)
        if found is None:
            raise TermsError("Line discounts", f"Line discounts: {sku} needs a discount (e.g. {sku} 10%)")
        out[line] = found
    return tuple(out.items())


def discount_text(discount: Discount, currency: str = "USD") -> str:
    """``10%`` or ``$5.00`` (what the rep typed, in the order's currency)."""
    if discount.type == "Percentage":
        return f"{discount.value.normalize():f}%"
    return format_money(discount.value, currency)


def line_discounts_text(pairs: tuple[tuple[str, Discount], ...], currency: str = "USD") -> str:
    return ", ".join(f"{sku} {discount_text(d, currency)}" for sku, d in pairs)
