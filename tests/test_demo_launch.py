"""`nymble-desk demo`'s start-up: the sandbox starts after the first frame, on a socket bound before it,
and the local index is keyed by the sandbox's identity, so a new port reuses it."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

from nymble_desk.demo_launch import DEMO_CLIENT, DEMO_ORG, DEMO_SECRET, STARTING, SandboxStarter
from nymble_desk.drafts.store import DraftStore
from nymble_desk.loopback import listening_socket
from nymble_desk.sync.connect import build_desk
from nymble_desk.tui.launch import DeferredDesk

SIZES = {"customers": 30, "products": 30}


def desk_for(starter: SandboxStarter, store: DraftStore) -> Any:
    starter.start()
    return build_desk(starter.base_url, DEMO_ORG, DEMO_CLIENT, DEMO_SECRET, store=store,
                      index_identity=starter.identity)


async def test_a_new_port_reuses_the_index_and_refreshes_by_updated_at(tmp_path: Path) -> None:
    store = DraftStore(tmp_path / "drafts.sqlite3")
    first = SandboxStarter(tmp_path / "sandbox", listening_socket(), SIZES)
    try:
        desk = desk_for(first, store)
        await desk.sign_in()
        filled = await desk.refresh_index()
        assert [k.full for k in filled.kinds] == [True, True] and filled.rows > 0
        await desk.client.aclose()
        scope, count = desk.lookups.scope, desk.index_freshness().customers.count
    finally:
        await asyncio.to_thread(first.stop)
    second = SandboxStarter(tmp_path / "sandbox", listening_socket(), SIZES)
    try:
        assert second.base_url != first.base_url
        desk = desk_for(second, store)
        await desk.sign_in()
        assert desk.lookups.scope == scope and "sandbox:" in scope and first.base_url not in scope
        assert desk.index_freshness().customers.count == count > 0  # kept, not emptied by the new port
        again = await desk.refresh_index()
        assert [k.full for k in again.kinds] == [False, False]  # by updatedAt, not a fill
        assert again.rows == 0
        await desk.client.aclose()
    finally:
        await asyncio.to_thread(second.stop)


async def test_another_sandbox_gets_another_index(tmp_path: Path) -> None:
    a = SandboxStarter(tmp_path / "a", listening_socket(), SIZES)
    b = SandboxStarter(tmp_path / "b", listening_socket(), SIZES)
    try:
        assert await asyncio.to_thread(a.identity) != await asyncio.to_thread(b.identity)
    finally:
        await asyncio.to_thread(a.stop)
        await asyncio.to_thread(b.stop)


async def test_the_deferred_demo_desk_waits_for_sign_in_then_builds_off_the_event_loop(tmp_path: Path) -> None:
    starter = SandboxStarter(tmp_path / "sandbox", listening_socket(), SIZES)
    built_in: list[threading.Thread] = []

    def build(store: Any) -> Any:
        built_in.append(threading.current_thread())
        return desk_for(starter, store)

    deferred = DeferredDesk(DraftStore(tmp_path / "drafts.sqlite3"), build, starting=STARTING)
    try:
        assert deferred.status.last_error == STARTING and not deferred.status.online
        search = asyncio.ensure_future(deferred.search_customers("Brightfield"))
        for _ in range(5):  # the lookup's first search, as it mounts: it must not build the Desk yet
            await asyncio.sleep(0.02)
        assert not built_in and starter.running is None and not search.done()
        identity = await deferred.sign_in()  # the app's after-first-frame call
        assert identity.rep_number == "REP-007"
        hits = await asyncio.wait_for(search, 30)
        assert any(c.customer_number == "CUST-1042" for c in hits)
        assert built_in and built_in[0] is not threading.main_thread()
        assert deferred.status.online
    finally:
        await deferred.aclose()
        await asyncio.to_thread(starter.stop)
