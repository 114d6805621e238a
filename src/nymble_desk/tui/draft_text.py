"""A draft's header line, shared by the order screens (cart, ship-to, checkout,
confirmation) so that none of them imports another."""

from __future__ import annotations

from typing import Any


def load_draft(desk: Any, draft_id: str) -> Any:
    """The draft with ``draft_id`` from the local cache (no network)."""
    return desk.get_draft(draft_id)


def header_text(title: str, draft: Any) -> str:
    tier = draft.price_tier or "list"
    terms = f" {draft.terms}" if draft.terms else ""
    return f"{title}  {draft.customer_number} {draft.customer_name}  [{tier} {draft.currency}{terms}]"
