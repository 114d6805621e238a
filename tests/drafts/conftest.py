from __future__ import annotations

from pathlib import Path

import pytest

from nymble_desk.drafts.store import DraftStore


@pytest.fixture
def store(tmp_path: Path) -> DraftStore:
    s = DraftStore(tmp_path / "drafts.sqlite3")
    yield s
    s.close()


@pytest.fixture
def draft(store: DraftStore):
    return store.create("CUST-1042", customer_name="Brightfield Supply Co.", currency="USD", price_tier="Wholesale",
                        terms="Net30")


