"""The Desk's local changes to drafts: synchronous, committed to the draft cache before they return.

They never touch the network, so no network failure can come out of them (the checkout and the sync,
in :mod:`nymble_desk.sync.desk`, are what send them). :class:`DraftEdits` is a part of the Desk: it
needs the Desk's draft store and card vault.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Any

from nymble_desk.domain.pricing import QuantityRule, TierPrice, check_quantity, unit_price
from nymble_desk.drafts.models import Draft, DraftLine, DraftState, OrderTerms
from nymble_desk.drafts.store import DraftStore
from nymble_desk.errors import CustomerInactive, QuantityRejected
from nymble_desk.sync.cards import CardVault


def _emptied(draft: Draft) -> bool:
    """Nothing in it the rep entered (every line removed, no ship-to, PO or notes), nothing queued to
    place and no conflict to settle: an empty cart, not a cart in progress."""
    return (draft.state in (DraftState.LOCAL, DraftState.PENDING, DraftState.SYNCED) and not draft.lines
            and not draft.ship_to and not draft.po_number and not draft.notes and not draft.conflicts
            and not draft.checkout_queued and draft.order_terms.is_empty)


def plain_address(value: Any) -> dict[str, Any] | None:
    """An address (a model or a mapping) as the plain dict the draft cache and the checkout hold."""
    if value is None:
        return None
    if hasattr(value, "to_wire"):
        return dict(value.to_wire())
    return {k: v for k, v in dict(value).items() if v not in (None, "")}


class DraftEdits:
    """Open a draft, add, change and remove its lines, set its ship-to, PO, notes and terms, leave it."""

    store: DraftStore
    cards: CardVault

    def open_draft(self, customer: Any) -> Draft:
        if not getattr(customer, "active", True):
            raise CustomerInactive(customer.customer_number)
        return self.store.create(
            customer.customer_number,
            customer_name=customer.company_name or customer.customer_number,
            currency=customer.currency_code or "USD",
            price_tier=customer.pricing,
            terms=customer.terms,
        )

    def add_line(self, draft_id: str, product: Any, quantity: int) -> Draft:
        """Add ``quantity`` of a product (merging with its line); the tier price follows the new quantity."""
        if not getattr(product, "active", True):
            raise ValueError(f"{product.sku} is inactive and cannot be ordered")

        def plan(draft: Draft) -> list[DraftLine]:
            line = self._merged_line(draft, product, quantity)
            if isinstance(line, Exception):
                raise line
            return [line]

        return self.store.change_lines(draft_id, plan)

    def add_lines(self, draft_id: str, adds: Sequence[tuple[Any, int]]) -> tuple[Draft, dict[str, Exception]]:
        """:meth:`add_line` for many products at once, written in one transaction (a paste's batch).

        Each (product, quantity) merges with its line as ``add_line`` does; one that would break the
        product's rule (or is inactive) is left out and its SKU maps to the error, the rest are written.
        The merge is planned inside the draft's write lock, as ``add_line``'s is."""
        refused: dict[str, Exception] = {}

        def plan(draft: Draft) -> list[DraftLine]:
            refused.clear()
            changes: list[DraftLine] = []
            for product, quantity in adds:
                if not getattr(product, "active", True):
                    refused[product.sku] = ValueError(f"{product.sku} is inactive and cannot be ordered")
                    continue
                line = self._merged_line(draft, product, quantity)
                if isinstance(line, Exception):
                    refused[product.sku] = line
                    continue
                changes.append(line)
                draft = replace(draft, lines=(*(x for x in draft.lines if x.sku != line.sku), line))
            return changes

        return self.store.change_lines(draft_id, plan), refused

    @staticmethod
    def _merged_line(draft: Draft, product: Any, quantity: int) -> DraftLine | QuantityRejected:
        """``quantity`` more of ``product`` on top of its line in ``draft``, priced for the new total."""
        existing = draft.line(product.sku)
        total = (existing.quantity if existing else 0) + quantity
        rule = QuantityRule.of_product(product)
        check = check_quantity(total, rule, sku=product.sku)
        if not check.ok:
            return QuantityRejected(check, product.sku, total)
        tiers = [TierPrice(p.tier, Decimal(p.price), p.at_quantity) for p in product.prices]
        return DraftLine(
            sku=product.sku, name=product.name or product.sku, quantity=total,
            unit_price=unit_price(Decimal(product.price), tiers, draft.price_tier, total),
            minimum=rule.minimum, increment=rule.increment, upc=product.upc, list_price=Decimal(product.price),
            tier_prices=tuple((t.tier, t.price, t.at_quantity) for t in tiers),
        )

    def set_quantity(self, draft_id: str, sku: str, quantity: int) -> Draft:
        if quantity == 0:
            return self.remove_line(draft_id, sku)
        draft = self.store.get(draft_id)
        line = draft.line(sku)
        if line is None:
            raise KeyError(f"{sku} is not in this cart")
        check = check_quantity(quantity, QuantityRule(line.minimum, line.increment), sku=sku)
        if not check.ok:
            raise QuantityRejected(check, sku, quantity)
        return self.store.set_line(
            draft_id, sku, quantity, name=line.name, unit_price=self._reprice(draft, line, quantity),
            minimum=line.minimum, increment=line.increment, upc=line.upc, list_price=line.list_price,
            tier_prices=line.tier_prices,
        )

    @staticmethod
    def _reprice(draft: Draft, line: DraftLine, quantity: int) -> Decimal:
        if line.list_price is None:
            return line.unit_price
        tiers = [TierPrice(t, p, q) for t, p, q in line.tier_prices]
        return unit_price(line.list_price, tiers, draft.price_tier, quantity)

    def remove_line(self, draft_id: str, sku: str) -> Draft:
        return self.store.remove_line(draft_id, sku)

    def set_ship_to(self, draft_id: str, address: Any) -> Draft:
        return self.store.set_ship_to(draft_id, plain_address(address) or {})

    def set_po(self, draft_id: str, po: str | None) -> Draft:
        return self.store.set_po(draft_id, po)

    def set_notes(self, draft_id: str, notes: str | None) -> Draft:
        return self.store.set_notes(draft_id, notes)

    def set_order_terms(self, draft_id: str, terms: OrderTerms) -> Draft:
        """The order's shipping method and cost, tax and rep discounts; sent with the checkout."""
        return self.store.set_order_terms(draft_id, terms)

    def discard(self, draft_id: str) -> Draft:
        self.cards.forget(draft_id)
        return self.store.discard(draft_id)

    def drafts(self) -> list[Draft]:
        """The carts in progress; an emptied one (see :meth:`leave_draft`) is not one."""
        return [d for d in self.store.list_drafts() if not _emptied(d)]

    def recently_placed(self, hours: float = 24.0, limit: int = 10) -> list[Draft]:
        """Drafts placed as orders in the last ``hours`` (newest first): the drafts screen shows their numbers."""
        return self.store.recently_placed(hours, limit)

    def leave_draft(self, draft_id: str) -> bool:
        """The rep left the draft's cart: an empty one is not kept (True when it went).

        Untouched (opened, nothing added) it is deleted; emptied (every line removed, no ship-to,
        PO or notes, nothing queued to place, no conflict) it is discarded, which also empties any
        server cart that held its lines.  A draft with anything the rep entered always stays.
        """
        if self.store.drop_untouched(draft_id):
            return True
        try:
            draft = self.store.get(draft_id)
        except LookupError:
            return False
        if not _emptied(draft):
            return False
        self.discard(draft_id)
        return True

    def get_draft(self, draft_id: str) -> Draft:
        return self.store.get(draft_id)
