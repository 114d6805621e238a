"""When the cart's type-ahead searches: at once from the local index for keys typed by hand,
once after a burst (a scanner, a paste), and in a worker when the index cannot answer at once.

The real app over the real sandbox, its index filled; the Desk's two search calls are
wrapped to count them (they still run). The entry line's clock is driven by the test,
so "typed by hand" and "a burst" do not depend on how fast this machine is.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from textual import events
from textual.widgets import OptionList

from nymble_desk.tui.widgets.entry_line import SETTLE_S, EntryInput, EntryLine
from test_order_entry import open_cart
from test_order_support import until


def count_searches(desk: Any) -> Counter[str]:
    calls: Counter[str] = Counter()
    now, later = desk.search_now, desk.search_products

    def search_now(kind: str, text: str, limit: int) -> Any:
        calls["now"] += 1
        return now(kind, text, limit)

    async def search_products(text: str, limit: int = 10) -> Any:
        calls["later"] += 1
        return await later(text, limit)

    desk.search_now, desk.search_products = search_now, search_products
    return calls


async def cart_with_index(pilot: Any, app: Any, key_gap: float) -> tuple[EntryInput, OptionList, Counter[str]]:
    """The cart open with the index filled; the entry line's clock steps ``key_gap`` s a key;
    the Desk's searches counted."""
    await until(pilot, lambda: app.desk.index is not None and app.desk.index.is_ready("products"), timeout=30)
    await open_cart(pilot, app)
    line = app.screen.query_one(EntryLine)
    line.clock = ticking(key_gap)
    return line.input, line.matches, count_searches(app.desk)


def scan(app: Any, code: str, enter: bool = False, *, arrived_apart: float = 0.0) -> None:
    """Keys as a scanner's burst reaches the app: all read at once, queued back to back.
    With ``arrived_apart`` they are stamped as read that many seconds apart (typed by hand),
    though the app gets to them back to back (as when it was busy)."""
    for n, ch in enumerate(code):
        key = events.Key("minus" if ch == "-" else ch, ch)
        key.time += n * arrived_apart
        app.post_message(key)
    if enter:
        app.post_message(events.Key("enter", "\r"))


def ticking(step: float):
    t = [0.0]

    def clock() -> float:
        t[0] += step
        return t[0]

    return clock


async def test_keys_typed_by_hand_get_matches_from_the_index_with_each_key(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        entry, matches, calls = await cart_with_index(pilot, app, 1.0)  # a second between keys
        await pilot.press("W")
        assert calls["now"] == 0  # one character: not searched
        for typed in ("WD", "WDG", "WDG-", "WDG-B"):
            await pilot.press(typed[-1])
            # answered while the key was handled: no wait for a worker or a settle
            assert entry.value == typed and matches.display and matches.option_count > 0, typed
            assert entry.suggestion.upper().startswith(typed) and len(entry.suggestion) > len(typed)
        assert calls == Counter(now=4), calls
        await pilot.press("*")  # a quantity is being typed: no search, the list goes
        assert not matches.display and calls == Counter(now=4)


async def test_a_burst_searches_once_after_it_is_quiet(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        entry, matches, calls = await cart_with_index(pilot, app, 0.001)  # a millisecond between keys: a scanner
        scan(app, "WDG-BLU-L")
        await until(pilot, lambda: entry.value == "WDG-BLU-L")
        assert calls == Counter(), calls  # nothing per key
        await pilot.pause(SETTLE_S * 3)
        await until(pilot, lambda: matches.display and matches.option_count > 0)
        assert calls == Counter(later=1), calls  # one search, for the whole code
        assert "WDG-BLU-L" in str(matches.get_option_at_index(0).prompt)


async def test_keys_typed_by_hand_but_handled_late_are_no_burst(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        entry, matches, calls = await cart_with_index(pilot, app, 0.001)  # handled a millisecond apart...
        scan(app, "WDG-B", arrived_apart=0.2)  # ...but typed 200 ms apart: a busy app, not a scanner
        await until(pilot, lambda: entry.value == "WDG-B" and matches.display)
        assert calls == Counter(now=4), calls  # WD, WDG, WDG-, WDG-B: each answered at once


async def test_a_scanned_code_with_enter_is_added_without_any_search(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        entry, matches, calls = await cart_with_index(pilot, app, 0.001)
        scan(app, "WDG-RED-M", enter=True)
        await until(pilot, lambda: "WDG-RED-M" in app.screen.query_one("#lines").rows)
        await pilot.pause(SETTLE_S * 3)
        assert calls["now"] == 0 and calls["later"] == 0, calls
        assert not matches.display and entry.value == ""


async def test_without_an_answer_at_once_the_search_runs_in_a_worker(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        entry, matches, calls = await cart_with_index(pilot, app, 1.0)
        app.desk.lookups.search_now = lambda *a, **k: None  # as when a query runs over its budget
        await pilot.press(*"WDG-B")
        await until(pilot, lambda: matches.display and matches.option_count > 0)
        assert calls["later"] >= 1 and entry.value == "WDG-B"
        assert any("WDG-BLU-L" in str(matches.get_option_at_index(i).prompt) for i in range(matches.option_count))
