"""Lines entered in the cart (typed, scanned, pasted, from the order guide): read, checked, summed up.

The cart screen looks the products up and writes the accepted lines to the draft; what
is decided here needs neither: each line is read by the entry grammar, checked against
the line as the entries before it left it (the product's quantity rule, the 99,999 a
line holds), and the accepted quantities of a SKU are summed so that a chunk of a paste
costs one write.  A refusal is an outcome with its reason, never an exception.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from nymble_desk.domain.entry import Entry, EntryError, parse_entry
from nymble_desk.domain.pricing import QuantityRule, check_quantity
from nymble_desk.domain.quantity import QuantityError, check_total
from nymble_desk.errors import QuantityRejected, in_plain_words
from nymble_desk.tui.screens.quantity import refusal

#: refused lines named in a batch summary (the rest are counted)
NAMED_REFUSALS = 3


@dataclass
class EntryOutcome:
    """What became of one entered line: ``refused`` holds the reason, else ``draft`` the cart after it."""

    text: str
    refused: str | None
    draft: Any = None
    sku: str | None = None
    merged: bool = False
    message: str = ""


@dataclass
class EntryPlan:
    """The outcome of each line as checked, and what to add: SKU -> (product, quantity), in first-seen order."""

    outcomes: list[EntryOutcome] = field(default_factory=list)
    adding: dict[str, tuple[Any, int]] = field(default_factory=dict)


def batch_summary(batch: list[EntryOutcome]) -> str:
    """One line for a batch: "30 lines: 24 added, 2 merged, 4 refused (X*2: No product X; ...)"."""
    refused = [o for o in batch if o.refused is not None]
    merged = sum(1 for o in batch if o.refused is None and o.merged)
    added = len(batch) - len(refused) - merged
    lines = "1 line" if len(batch) == 1 else f"{len(batch)} lines"
    text = f"{lines}: {added} added, {merged} merged, {len(refused)} refused"
    if not refused:
        return text
    named = "; ".join(f"{o.text}: {o.refused}" for o in refused[:NAMED_REFUSALS])
    more = f"; and {len(refused) - NAMED_REFUSALS} more" if len(refused) > NAMED_REFUSALS else ""
    return f"! {text} ({named}{more}). Refused lines come back in the field one by one: fix, Enter"


def read_entries(texts: list[str]) -> list[tuple[str, Entry | str]]:
    """Each text with its entry, or the grammar's reason for refusing it."""
    read: list[tuple[str, Entry | str]] = []
    for text in texts:
        try:
            read.append((text, parse_entry(text)))
        except EntryError as exc:
            read.append((text, exc.message))
    return read


def codes_of(read: list[tuple[str, Entry | str]]) -> list[str]:
    """The SKUs and UPCs to look up, once each, in the order they came."""
    return list(dict.fromkeys(entry.code for _, entry in read if isinstance(entry, Entry)))


def plan_entries(read: list[tuple[str, Entry | str]], products: Mapping[str, Any],
                 in_cart: Callable[[str], int]) -> EntryPlan:
    """Check each line against its product (``products``: code -> product, or the reason there is
    none) and the line as the entries before it left it (``in_cart``: the draft's quantity of a SKU)."""
    plan = EntryPlan()
    running: dict[str, int] = {}
    for text, entry in read:
        if isinstance(entry, str):
            plan.outcomes.append(EntryOutcome(text, entry))
            continue
        product = products[entry.code]
        if isinstance(product, str):
            plan.outcomes.append(EntryOutcome(text, product))
            continue
        rule = QuantityRule.of_product(product)
        qty = entry.quantity if entry.quantity is not None else rule.smallest
        already = running.get(product.sku, in_cart(product.sku))
        try:
            total = check_total(already, qty)  # the merged line stays within what a line holds
        except QuantityError as exc:
            plan.outcomes.append(EntryOutcome(text, f"{product.sku}: {exc.message}"))
            continue
        if not check_quantity(total, rule, sku=product.sku).ok:
            plan.outcomes.append(EntryOutcome(text, refusal(product.sku, rule, qty, already=already)))
            continue
        running[product.sku] = total
        plan.adding[product.sku] = (product, plan.adding.get(product.sku, (product, 0))[1] + qty)
        note = f" (now {total})" if total != qty else ""
        plan.outcomes.append(EntryOutcome(text, None, sku=product.sku, merged=bool(already),
                                          message=f"Added {qty} x {product.sku}{note}"))
    return plan


def settle_plan(plan: EntryPlan, draft: Any, refused: Mapping[str, Exception],
                in_cart: Callable[[str], int]) -> list[EntryOutcome]:
    """The outcomes once the lines were written: ``draft`` the cart after them, ``refused`` the SKUs
    the draft turned down (every accepted line of such a SKU is refused with the reason)."""
    failed: dict[str, str] = {}
    for sku, why in refused.items():
        product, qty = plan.adding[sku]
        if isinstance(why, QuantityRejected):
            failed[sku] = refusal(sku, QuantityRule.of_product(product), qty, already=in_cart(sku))
        else:
            failed[sku] = f"{sku}: {in_plain_words(why)}"
    for outcome in plan.outcomes:
        if outcome.refused is None and outcome.sku in failed:
            outcome.refused, outcome.message = failed[outcome.sku], ""
        elif outcome.refused is None:
            outcome.draft = draft
    return plan.outcomes
