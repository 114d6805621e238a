"""Two processes adding to one line of one draft (a browser tab and a terminal, #14) lose no add.

Each add reads the line's quantity and writes quantity + n. Planned outside the write lock, two
processes interleave read, read, write, write and one add vanishes: with the earlier
``store.get`` then ``store.set_line``, 1 + 2 x 150 adds of 1 ended at 151 (twice in two runs), not 301.
``Desk.add_line`` now plans its merge inside the draft's ``BEGIN IMMEDIATE`` transaction.
"""

from __future__ import annotations

import multiprocessing as mp
from pathlib import Path
from typing import Any

from nymble_desk.drafts.store import DraftStore

ADDS = 150


def _adder(path: str, product_json: dict[str, Any], draft_id: str, go: Any, done: Any) -> None:
    from nymble_desk.api import Credentials, NymbleClient
    from nymble_desk.api.models import Product
    from nymble_desk.sync.desk import Desk

    product = Product.model_validate(product_json)
    store = DraftStore(Path(path))
    # add_line never calls the API: the client points at a port nothing listens on
    desk = Desk(NymbleClient("http://127.0.0.1:9", Credentials("DEMO", "demo-rep", "demo-rep-secret")), store)
    go.wait(30)
    for _ in range(ADDS):
        desk.add_line(draft_id, product, 1)
    store.close()
    done.put("ok")


async def test_two_processes_adding_to_one_line_lose_nothing(desk: Any, store: DraftStore) -> None:
    product = await desk.find_product("WDG-BLU-L")
    draft = store.create("CUST-1042", customer_name="Brightfield Supply Co.", currency="USD",
                         price_tier="Wholesale", terms="Net30")
    desk.add_line(draft.id, product, 1)
    ctx = mp.get_context("spawn")
    go, done = ctx.Event(), ctx.Queue()
    data = product.model_dump(mode="json", by_alias=True)
    workers = [ctx.Process(target=_adder, args=(str(store.path), data, draft.id, go, done)) for _ in range(2)]
    for w in workers:
        w.start()
    go.set()
    for w in workers:
        w.join(120)
        assert w.exitcode == 0
    assert [done.get(timeout=5) for _ in workers] == ["ok", "ok"]
    line = store.get(draft.id).line("WDG-BLU-L")
    assert line is not None and line.quantity == 1 + 2 * ADDS
