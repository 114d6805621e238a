"""Index hits go where the Desk takes API models: a draft opened from a CustomerHit, lines added from ProductHits.

This is the seam for wiring the index into Desk.search_customers / search_products /
find_product: the TUI hands what it found to ``Desk.open_draft`` and ``Desk.add_line``.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from nymble_desk.drafts.store import DraftStore
from nymble_desk.index import SearchIndex
from nymble_desk.index.refresh import Refresher
from nymble_desk.sync.desk import CustomerInactive, Desk, QuantityRejected


async def test_hits_open_drafts_and_add_priced_lines(index: SearchIndex, index_path, make_client) -> None:
    async with make_client("demo-admin", "demo-admin-secret") as client:
        await Refresher(index, client, page_size=100).run(po_pages=0)
        desk = Desk(client, DraftStore(index_path))  # the index lives in the drafts file, beside the drafts
        customer = index.search_customers("CUST-1042")[0]
        draft = desk.open_draft(customer)
        assert (draft.customer_number, draft.customer_name, draft.price_tier, draft.currency) == (
            "CUST-1042", "Brightfield Supply Co.", "Wholesale", "USD")
        draft = desk.add_line(draft.id, index.get_product("012345678905"), 48)  # scanned UPC of WDG-BLU-L
        line = draft.line("WDG-BLU-L")
        assert (line.quantity, line.unit_price) == (48, Decimal("11.75"))  # the Wholesale break at 48
        with pytest.raises(QuantityRejected) as refused:
            desk.add_line(draft.id, index.get_product("PART-A1"), 15)
        assert refused.value.check.nearest == (10, 20)
        with pytest.raises(CustomerInactive):
            desk.open_draft(index.search_customers("CUST-0013")[0])
    assert index.is_ready("customers") and index.is_ready("products")
