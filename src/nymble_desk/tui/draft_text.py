"""A draft's header line and a failure in plain words, shared by the order screens (cart, ship-to, checkout,
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


def plain_error(exc: BaseException) -> str:
    """A network or API failure in plain words (never a traceback)."""
    if type(exc).__name__ in ("Unreachable", "ConnectError", "TimeoutException"):
        return "the API is unreachable (offline)"
    text = getattr(exc, "message", None) or getattr(exc, "detail", None) or str(exc)
    return str(text) if text else type(exc).__name__
