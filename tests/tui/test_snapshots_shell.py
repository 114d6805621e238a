"""Snapshots of the shell's screens at 80x24 and 120x40 (pytest-textual-snapshot).

Plain ``def`` tests: snap_compare runs the app itself. Each waits for its
workers and a settled status line so the picture is the same on every run.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from textual.pilot import Pilot

from test_shell_support import front, DEMO_ORG, DEMO_REP, until

SIZES = [(80, 24), (120, 40)]


async def settle(pilot: Pilot[Any]) -> None:
    app: Any = pilot.app
    await pilot.app.workers.wait_for_complete()
    if app.signed_in:
        await until(pilot, lambda: app.who is not None and app.sync_status is not None, timeout=10)
        await until(pilot, lambda: not app.syncing and app.sync_status.queued == 0, timeout=10)
        # a filled product index marks prices current: wait for it (the index opens after sign-in) and read the
        # status again, so the status line never depends on whether the status tick came after the fill (it flaked)
        # (the fill marks the prices fresh in a thread just after it ends: wait for that mark too)
        await until(pilot, lambda: app.desk.index is not None and app.desk.index.is_ready("customers")
                    and app.desk.index.is_ready("products") and app.desk.status.prices_as_of is not None,
                    timeout=30)
        app.refresh_status(may_sync=False)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    pilot.app.clear_notifications()


@pytest.mark.parametrize("size", SIZES)
def test_sign_in(snap_compare: Any, make_app: Any, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.press(*DEMO_ORG, "enter", *DEMO_REP)
        await settle(pilot)

    assert snap_compare(make_app(signed_in=False), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_sign_in_refused(snap_compare: Any, make_app: Any, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.press(*DEMO_ORG, "enter", *DEMO_REP, "enter", *"wrong", "enter")
        await until(pilot, lambda: pilot.app.screen.query_one("#secret-error").display, timeout=10)
        await settle(pilot)

    assert snap_compare(make_app(signed_in=False), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_lookup(snap_compare: Any, make_app: Any, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        app: Any = pilot.app
        await until(pilot, lambda: front(app) == "CustomerLookupScreen")
        # results come from the local index once it is filled (number order for a number prefix)
        await until(pilot, lambda: app.desk.index is not None and app.desk.index.is_ready("customers"), timeout=20)
        await pilot.press(*"CUST-00")
        await until(pilot, lambda: app.screen.last_query == "CUST-00", timeout=10)
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_drafts(snap_compare: Any, make_app: Any, draft_store: Any, size: tuple[int, int]) -> None:
    first = draft_store.create("CUST-1042", customer_name="Brightfield Supply Co.", currency="USD",
                               price_tier="Wholesale", terms="Net30")
    draft_store.set_line(first.id, "WDG-BLU-L", 12, name="Widget Blue Large", unit_price=Decimal("12.50"))
    draft_store.set_line(first.id, "PART-A1", 20, name="Part A1", unit_price=Decimal("4.25"), minimum=10,
                         increment=10)
    second = draft_store.create("CUST-0082", customer_name="Cornerstone Goods", currency="USD", price_tier="Retail")
    # placed (an untouched draft is never listed): shown below the carts with its order number
    draft_store.set_line(second.id, "WDG-RED-M", 2, name="Widget Red Medium", unit_price=Decimal("12.00"))
    draft_store.mark_submitted(second.id, "ORD-00099", "conf_0082")

    async def run_before(pilot: Pilot[Any]) -> None:
        app: Any = pilot.app
        await until(pilot, lambda: front(app) == "DraftsScreen")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_help(snap_compare: Any, make_app: Any, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        app: Any = pilot.app
        await until(pilot, lambda: front(app) == "CustomerLookupScreen")
        await settle(pilot)
        # the status line shows under the help: wait for its price age, which comes with a later reading
        await until(pilot, lambda: app.sync_status.prices_as_of is not None, timeout=10)
        await pilot.pause()
        await pilot.press("f1")
        await until(pilot, lambda: front(app) == "HelpScreen")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)
