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


# -- item 10 and the ergonomics: F9 from the cart to a last look, a confirmation that says it all --


def text(app: Any, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


async def test_f9_on_the_cart_shows_a_last_look_and_the_confirmation_matches_the_api(
    make_app: Any, make_client: Any
) -> None:
    from textual.widgets import Input

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await open_customer(keys, app, "CUST-1042")
        draft_id = app.screen.draft_id
        await add_entry(keys, app, "WDG-BLU-L*48", expect_sku="WDG-BLU-L", qty=48)
        await add_entry(keys, app, "WDG-RED-M*2", expect_sku="WDG-RED-M", qty=2)
        await keys.press("f9")  # no ship-to was set: the default is preselected, and the last look opens
        await until(pilot, lambda: screen_name(app) == "ReviewScreen")
        assert app.desk.get_draft(draft_id).state != "submitted"  # F9 never places blind
        assert text(app, "#review-lines") == "2 lines, 50 items"
        assert text(app, "#review-total") == "$586.00"  # 48 x 11.75 + 2 x 11.00
        assert "500 Commerce Drive" in text(app, "#review-ship-to")
        assert text(app, "#review-po") == "none"
        assert "On terms (Net30)" in text(app, "#review-payment")
        await keys.press("f7")  # back: nothing sent
        await until(pilot, lambda: screen_name(app) == "CheckoutScreen")
        assert app.desk.get_draft(draft_id).state != "submitted"
        await keys.press("f9")
        await until(pilot, lambda: screen_name(app) == "ReviewScreen")
        await keys.press("f9")
        await until(pilot, lambda: screen_name(app) == "ConfirmationScreen", timeout=30)
        confirmation = app.screen
        await until(pilot, lambda: confirmation.facts is not None and confirmation.facts.source == "API")
        order_number = confirmation.order_number
        shown = {label: text(app, f"#conf-{label}") for label in ("order", "lines", "total", "ship-to", "po")}
        # the email in one key: the customer's address is in the field, F9 sends it
        await until(pilot, lambda: app.screen.query_one("#conf-email", Input).value != "")
        await keys.press("f9")
        await until(pilot, lambda: "Confirmation emailed to" in text(app, "#conf-message"), timeout=30)

    async with make_client() as client:
        await client.login()
        order = await client.orders.get(order_number)
    assert shown["order"] == order.order_number
    assert shown["lines"] == f"{len(order.items)} lines, {sum(i.quantity for i in order.items)} items"
    assert shown["total"] == f"${order.order_total:,.2f}" == "$586.00"
    assert shown["ship-to"].startswith("500 Commerce Drive, Suite 200, Austin TX 78701")
    assert order.shipping_details.shipping_address.address1 == "500 Commerce Drive"
    assert shown["po"] == "none" and not order.po_number


async def test_a_reused_po_is_named_with_the_earlier_order_and_its_date(make_app: Any, make_client: Any) -> None:
    async with make_client() as client:
        await client.login()
        from nymble_desk.api.paging import Filter

        [earlier] = (await client.orders.search([Filter("customerNumber", "equals", "CUST-1042"),
                                                 Filter("poNumber", "equals", "PO-2024-77001")])).items
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await open_customer(keys, app, "CUST-1042")
        await add_entry(keys, app, "WDG-RED-M*2", expect_sku="WDG-RED-M", qty=2)
        await keys.press("f6")
        await until(pilot, lambda: screen_name(app) == "ShippingScreen" and bool(app.screen.addresses))
        app.screen.query_one("#po").focus()
        await keys.type("PO-2024-77001")
        await keys.press("enter")
        await until(pilot, lambda: "WARNING" in text(app, "#po-message"))
        named = f"already used PO PO-2024-77001 on {earlier.order_number} of {earlier.order_date:%Y-%m-%d}"
        assert named in text(app, "#po-message")
        await keys.press("f8", "f9")  # the last look repeats the warning
        await until(pilot, lambda: screen_name(app) == "ReviewScreen")
        assert named in text(app, "#review-warning")


async def test_an_order_queued_offline_shows_its_number_when_it_lands(
    make_app: Any, sandbox_app: Any, draft_store: Any
) -> None:
    import httpx

    from nymble_desk.api import Credentials, NymbleClient
    from nymble_desk.api.retry import RetryPolicy
    from nymble_desk.sync.desk import Desk
    from textual.notifications import Notify
    from test_order_offline import Switch

    switch = Switch(httpx.ASGITransport(app=sandbox_app, raise_app_exceptions=False))
    fast = RetryPolicy(max_attempts=2, base_delay=0.1, max_delay=0.1, deadline=1.0)
    desk = Desk(NymbleClient("http://sandbox", Credentials("DEMO", "demo-rep", "demo-rep-secret"),
                             transport=switch, retry=fast), draft_store)
    seen: list[Any] = []
    app = make_app(desk=desk)
    async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
        keys = Keys(pilot)
        await open_customer(keys, app, "CUST-1042")
        draft_id = app.screen.draft_id
        await add_entry(keys, app, "WDG-RED-M*3", expect_sku="WDG-RED-M", qty=3)
        await until(pilot, lambda: getattr(app.screen.query_one("CustomerPanel"), "summary", None) is not None)
        # offline, the lookup answers from the local index, filled after sign-in
        await until(pilot, lambda: desk.index is not None and desk.index.is_ready("customers"), timeout=30)
        switch.offline = True
        await keys.press("f9")
        await until(pilot, lambda: screen_name(app) == "ReviewScreen")
        await keys.press("f9")
        await until(pilot, lambda: screen_name(app) == "ConfirmationScreen", timeout=30)
        assert "QUEUED" in text(app, "#conf-title") and app.screen.order_number is None
        await keys.press("f8")  # done: on to the next customer while the order waits
        await until(pilot, lambda: screen_name(app) == "CustomerLookupScreen")
        await open_customer(keys, app, "CUST-1042")  # the same cart: F9 again shows the queued order
        await keys.press("f9")
        await until(pilot, lambda: screen_name(app) == "ConfirmationScreen")  # not Invoices, not a second order
        assert "QUEUED" in text(app, "#conf-title")
        await keys.press("f3")
        await until(pilot, lambda: screen_name(app) == "DraftsScreen")
        assert "order queued" in " ".join(str(c) for c in app.screen.query_one("#drafts").get_row(draft_id))

        switch.offline = False
        await keys.press("f5")
        await until(pilot, lambda: desk.get_draft(draft_id).state == "submitted", timeout=30)
        number = desk.get_draft(draft_id).order_number
        await until(pilot, lambda: any(isinstance(m, Notify) and number in m.notification.message for m in seen))
        # the drafts screen lists it with its number, and Enter opens the order
        table = app.screen.query_one("#drafts")
        await until(pilot, lambda: draft_id in table.rows and f"placed {number}" in str(table.get_row(draft_id)))
        table.move_cursor(row=table.get_row_index(draft_id))
        await keys.press("enter")
        await until(pilot, lambda: screen_name(app) == "OrderDetailScreen" and app.screen.order_number == number)
    assert len([m for m in seen if isinstance(m, Notify) and number in m.notification.message]) == 1
