"""Build the Desk for a set of credentials: the API client over a draft store.

Here, in sync, so that the TUI (sign-in, the saved profile at start) and the CLI build a Desk
without importing the API client themselves (the TUI never imports ``nymble_desk.api``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nymble_desk.drafts.store import DraftStore
    from nymble_desk.sync.desk import Desk


class ProfileUnusable(Exception):
    """The saved profile cannot be used (invalid settings, no secret); ``__cause__`` says why.
    The app then opens the sign-in screen with that reason."""


def build_desk(base_url: str, org_code: str, client_id: str, client_secret: str, *,
               timeout: float = 10.0, drafts_path: Path | None = None, store: DraftStore | None = None,
               index_identity: Callable[[], str] | None = None) -> Desk:
    from nymble_desk.api import Credentials, NymbleClient
    from nymble_desk.drafts.store import DraftStore
    from nymble_desk.sync.desk import Desk

    client = NymbleClient(base_url, Credentials(org_code, client_id, client_secret), timeout=timeout)
    return Desk(client, store if store is not None else DraftStore(drafts_path), index_identity=index_identity,
                index_in_child=True)  # a real network address: the index fills in a child process
