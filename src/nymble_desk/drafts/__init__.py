"""The local draft cache and outbox (stdlib sqlite3, WAL; never any card data)."""

from nymble_desk.drafts.models import Draft, DraftLine, DraftState, JournalEntry, OutboxOp
from nymble_desk.drafts.store import DraftClosed, DraftNotFound, DraftStore

__all__ = [
    "Draft",
    "DraftClosed",
    "DraftLine",
    "DraftNotFound",
    "DraftState",
    "DraftStore",
    "JournalEntry",
    "OutboxOp",
]
