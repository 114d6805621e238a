"""The order flow tells the truth (issue #11, items 7, 8, 10 and the ergonomics bullet).

Every test drives the real app (``run_test``) over the real in-process sandbox, a real
draft cache on disk and the real Desk; the only fake is the offline switch at the edge of
the network (``test_order_offline.Switch``).
"""

from __future__ import annotations

import argparse
import io
from typing import Any

from nymble_desk.drafts import cli as drafts_cli
from test_order_support import Keys, add_entry, open_customer, screen_name, until


def drafts_listed(store: Any) -> str:
    out = io.StringIO()
    drafts_cli.main(argparse.Namespace(action="list", all=False, draft_id=None, output=None), store=store, out=out)
    return out.getvalue()


# -- item 7: no empty draft is kept ----------------------------------------------------------


async def test_opening_a_customer_and_adding_nothing_keeps_no_draft(make_app: Any, draft_store: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await open_customer(keys, app, "CUST-1042")
        await keys.press("f2")  # back to the lookup, nothing added
        await until(pilot, lambda: screen_name(app) == "CustomerLookupScreen")
        await open_customer(keys, app, "CUST-0082")
        await keys.press("f3")  # the drafts screen: nothing to offer
        await until(pilot, lambda: screen_name(app) == "DraftsScreen")
        assert app.screen.query_one("#drafts").row_count == 0
    assert draft_store.list_drafts(include_closed=True) == []  # not even a discarded row
    assert drafts_listed(draft_store).startswith("no open drafts")

    # the next start goes straight to the lookup: no drafts offer with "0  $0.00  local" rows
    again = make_app()
    async with again.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: screen_name(again) == "CustomerLookupScreen")


async def test_an_empty_draft_left_by_a_crash_is_never_offered(make_app: Any, make_desk: Any, draft_store: Any) -> None:
    desk = make_desk()
    [customer] = [c for c in await desk.search_customers("CUST-1042") if c.customer_number == "CUST-1042"]
    empty = desk.open_draft(customer)  # the cart was open when the power went: nothing in it
    [kept] = [c for c in await desk.search_customers("CUST-0082") if c.customer_number == "CUST-0082"]
    kept_draft = desk.open_draft(kept)
    desk.set_po(kept_draft.id, "PO-KEEP")  # anything entered keeps a draft
    assert [d.id for d in desk.drafts()] == [kept_draft.id]
    assert "CUST-1042" not in drafts_listed(draft_store)
    app = make_app(desk=desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: screen_name(app) == "DraftsScreen")
        assert list(app.screen.query_one("#drafts").rows) == [kept_draft.id]
    # opening the customer again reuses the untouched row, and adding a line keeps it
    assert desk.open_draft(customer).id == empty.id


async def test_a_line_added_keeps_the_draft_and_removing_every_line_does_not(
    make_app: Any, draft_store: Any
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await open_customer(keys, app, "CUST-1042")
        await add_entry(keys, app, "WDG-RED-M*2", expect_sku="WDG-RED-M", qty=2)
        await keys.press("f2")
        await until(pilot, lambda: screen_name(app) == "CustomerLookupScreen")
        [draft] = app.desk.drafts()
        assert [line.sku for line in draft.lines] == ["WDG-RED-M"]

        await open_customer(keys, app, "CUST-1042")  # the same draft, resumed
        assert app.screen.draft_id == draft.id
        await keys.press("f7", "delete")  # the lines table, remove the only line
        await until(pilot, lambda: not app.desk.get_draft(draft.id).lines)
        await keys.press("f3")
        await until(pilot, lambda: screen_name(app) == "DraftsScreen")
        assert app.screen.query_one("#drafts").row_count == 0
    assert app.desk.drafts() == []
    assert draft_store.get(draft.id).state == "discarded"
