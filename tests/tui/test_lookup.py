"""Customer lookup against the real sandbox: type, results appear, Enter opens or refuses."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input, Static

from nymble_desk.tui.screens.customers import CustomerLookupScreen
from nymble_desk.tui.widgets.hit_table import HitTable

from test_shell_support import front, on_screen, until


def rows(app: Any) -> dict[str, list[str]]:
    table = app.screen.query_one("#results", HitTable)
    return {key: list(table.get_row(key)) for key in table.keys}


def message(app: Any) -> str:
    return str(app.screen.query_one("#message", Static).render())


async def search(pilot: Any, text: str, *, type_last: int = 2) -> None:
    """Put ``text`` in the search box, typing its last characters as a rep would."""
    app = pilot.app
    box = app.screen.query_one("#search", Input)
    box.focus()
    head, tail = text[:-type_last], text[-type_last:]
    box.value = head
    await pilot.press(*tail)
    await until(pilot, lambda: app.screen.last_query == text, timeout=10)


async def test_results_appear_as_you_type(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, on_screen(app, CustomerLookupScreen))
        await search(pilot, "Brightfield", type_last=len("Brightfield"))
        found = rows(app)
        assert "CUST-1042" in found
        assert "Brightfield Supply Co." in found["CUST-1042"][1]
        detail = str(app.screen.query_one("#detail", Static).render())
        assert "Net" in detail and "Wholesale" in detail and "$50,000.00" in detail

        await search(pilot, "CUST-0082")
        assert next(iter(rows(app))) == "CUST-0082"


async def test_no_match_says_so(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, on_screen(app, CustomerLookupScreen))
        await search(pilot, "zzqqxx-no-such")
        assert rows(app) == {}
        assert "No customer matches" in message(app)


async def test_inactive_customer_is_marked_and_refused(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, on_screen(app, CustomerLookupScreen))
        await search(pilot, "CUST-0013")
        found = rows(app)
        assert "INACTIVE" in found["CUST-0013"][4]
        app.screen.query_one("#results", HitTable).move_cursor(row=list(found).index("CUST-0013"))
        await pilot.press("enter")
        await until(pilot, lambda: "INACTIVE" in message(app))
        assert "cannot be started" in message(app)
        assert isinstance(app.screen, CustomerLookupScreen)
        assert app.desk.drafts() == []


async def test_credit_hold_is_marked_in_words(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, on_screen(app, CustomerLookupScreen))
        await search(pilot, "CUST-0021")
        assert "ON HOLD" in rows(app)["CUST-0021"][4]


async def test_enter_on_an_active_customer_opens_the_cart_on_a_new_draft(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, on_screen(app, CustomerLookupScreen))
        await search(pilot, "CUST-1042")
        app.screen.query_one("#results", HitTable).move_cursor(row=list(rows(app)).index("CUST-1042"))
        await pilot.press("enter")
        await until(pilot, lambda: front(app) == "CartScreen", timeout=10)
        # a new draft, for that customer (listed as a cart in progress once something is added)
        drafts = app.desk.store.list_drafts(include_closed=True)
        assert [d.customer_number for d in drafts] == ["CUST-1042"] and app.desk.drafts() == []
        assert app.screen.draft_id == drafts[0].id


async def test_down_moves_to_the_results_and_enter_there_opens(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, on_screen(app, CustomerLookupScreen))
        await search(pilot, "CUST-0082")
        await pilot.press("down")
        assert isinstance(app.screen.focused, HitTable)
        await pilot.press("enter")
        await until(pilot, lambda: front(app) == "CartScreen", timeout=10)
        assert app.desk.get_draft(app.screen.draft_id).customer_number == "CUST-0082"


async def test_typing_without_an_index_asks_the_api_after_a_pause_not_per_key(make_app: Any, make_client: Any,
                                                                               sandbox_app: Any,
                                                                               draft_store: Any) -> None:
    """While the index fills (here: no index at all) each key used to send a search to the API, parsed
    and drawn on the UI loop; the search now waits for a pause in the typing (API_PAUSE_S)."""
    import httpx

    from nymble_desk.sync.desk import Desk

    searched: list[str] = []

    class Counting(httpx.AsyncBaseTransport):
        def __init__(self) -> None:
            self.inner = httpx.ASGITransport(app=sandbox_app, raise_app_exceptions=False)

        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            if request.url.path == "/api/customers" and "keyword" in request.url.params:
                searched.append(request.url.params["keyword"])
            return await self.inner.handle_async_request(request)

    desk = Desk(make_client(transport=Counting()), draft_store)
    desk._open_index = lambda identity: None  # type: ignore[method-assign]  # no local index: only the API answers
    app = make_app(desk=desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, on_screen(app, CustomerLookupScreen))
        app.screen.query_one("#search", Input).focus()
        await pilot.press(*"Brightfield")
        await until(pilot, lambda: app.screen.last_query == "Brightfield", timeout=10)
        assert "CUST-1042" in rows(app)
    assert searched[-1] == "Brightfield"
    assert len(searched) <= 3, searched  # one per key (11) before
