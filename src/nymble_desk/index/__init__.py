"""The local search index of customers and products (issue #7).

``SearchIndex`` lives in the drafts database file in ``idx_*`` tables and needs
only the standard library; ``Refresher`` (in :mod:`nymble_desk.index.refresh`)
fills it from the API client.  Nothing here imports Textual, httpx or the sandbox.
"""

from __future__ import annotations

from nymble_desk.index.models import CustomerHit, Freshness, KindFreshness, ProductHit, TierBreak
from nymble_desk.index.search_index import SearchIndex

__all__ = ["CustomerHit", "Freshness", "KindFreshness", "ProductHit", "Refresher", "SearchIndex", "TierBreak"]


def __getattr__(name: str) -> object:
    # Lazy, so that importing the index for searching does not pull in the refresher's imports.
    if name == "Refresher":
        from nymble_desk.index.refresh import Refresher

        return Refresher
    raise AttributeError(name)
