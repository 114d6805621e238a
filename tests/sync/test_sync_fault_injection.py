"""200+ seeded random orders driven through Desk/SyncEngine while the network misbehaves.

Every call may be refused (nothing sent), lose its reply after the server acted,
time out, or answer 500/429.  Some rounds "restart" the program mid-way (a new
Desk over the same draft file, so cards held in memory are gone).  Afterwards
every intended order exists exactly once with exactly the intended lines, and
no cart is left active by mistake.
"""

from __future__ import annotations

import os
import random
import shutil
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from nymble_desk.api.paging import Filter
from nymble_desk.drafts.models import DraftState
from nymble_desk.drafts.store import DraftStore
from nymble_desk.sync.desk import CardDetails, CheckoutInput, Desk
from nymble_desk.sync.engine import NEEDS_CARD

from sync_faults import Faults

SEED = 20261123
ORDERS = 210
OUTAGE = 0.15  # share of orders built and checked out during a full outage
ROUND = 8  # orders in flight at once (distinct customers)
CARD = CardDetails(number="4111111111111111", cardholder_name="Pat Doe", expiry_month="12", expiry_year=2030, cvv="123")


@dataclass
class Plan:
    customer: Any
    steps: list[tuple[Any, ...]]
    expected: dict[str, int]
    ship_to: dict[str, str]
    po: str
    card: bool
    discard: bool = False
    draft_id: str | None = None
    outcome: str | None = None


def _valid(product: Any, rng: random.Random, low: int = 0, high: int = 6) -> int:
    inc = max(1, product.quantity_increment or 1)
    smallest = -(-max(1, product.minimum_order_quantity or 1) // inc) * inc
    return smallest + inc * rng.randint(low, high)


def make_plan(rng: random.Random, n: int, customer: Any, products: list[Any]) -> Plan:
    chosen = rng.sample(products, rng.randint(2, 5))
    steps: list[tuple[Any, ...]] = []
    qty: dict[str, int] = {}
    for p in chosen:
        q = _valid(p, rng)
        steps.append(("add", p, q))
        qty[p.sku] = q
        if rng.random() < 0.3:
            steps.append(("sync",))
    for _ in range(rng.randint(0, 4)):  # quantity changes and removals
        p = rng.choice(chosen)
        if p.sku not in qty:
            q = _valid(p, rng)
            steps.append(("add", p, q))
            qty[p.sku] = q
        elif rng.random() < 0.25 and len(qty) > 1:
            steps.append(("remove", p.sku))
            del qty[p.sku]
        else:
            q = _valid(p, rng)
            steps.append(("set", p.sku, q))
            qty[p.sku] = q
        if rng.random() < 0.3:
            steps.append(("sync",))
    ship = {"address1": f"{100 + n} Test Way", "city": "Austin", "stateProvince": "TX", "postalCode": "78701",
            "country": "US"}
    return Plan(customer, steps, dict(qty), ship, f"PO-FI-{n:04d}", card=rng.random() < 0.4,
                discard=rng.random() < 0.04)


async def build(desk: Desk, plan: Plan) -> None:
    draft = desk.open_draft(plan.customer)
    plan.draft_id = draft.id
    for step in plan.steps:
        if step[0] == "add":
            desk.add_line(draft.id, step[1], step[2] - (desk.store.get(draft.id).line(step[1].sku) or _Zero).quantity)
        elif step[0] == "set":
            desk.set_quantity(draft.id, step[1], step[2])
        elif step[0] == "remove":
            desk.remove_line(draft.id, step[1])
        else:
            await desk.sync_now()
    desk.set_ship_to(draft.id, plan.ship_to)
    desk.set_po(draft.id, plan.po)
    if plan.discard:
        desk.discard(draft.id)
        plan.outcome = "discarded"
        return
    outcome = await desk.checkout(draft.id, CheckoutInput("Phone", None, CARD if plan.card else None,
                                                          use_terms=not plan.card))
    assert outcome.state in ("placed", "queued"), (outcome, desk.store.get(draft.id))
    plan.outcome = outcome.state


class _Zero:
    quantity = 0


@pytest.fixture
def store(tmp_path):
    """The draft file on tmpfs when there is one: this suite is about the network, and every draft change
    is an fsync (synchronous=FULL) that a slow CI disk would turn into minutes; the crash test covers the disk."""
    shm = Path("/dev/shm")
    base = Path(tempfile.mkdtemp(prefix="nd-fi-", dir=shm)) if shm.is_dir() and os.access(shm, os.W_OK) else tmp_path
    s = DraftStore(base / "drafts.sqlite3")
    yield s
    s.close()
    if base != tmp_path:
        shutil.rmtree(base, ignore_errors=True)


@pytest.mark.slow
async def test_every_order_exactly_once_under_faults(asgi, store, make_client) -> None:
    t0 = time.monotonic()
    rng = random.Random(SEED)
    faults = Faults(asgi, rate=0.3, rng=random.Random(SEED + 1))
    admin = make_client(client_id="demo-admin", secret="demo-admin-secret")
    await admin.login()
    customers = [c async for c in admin.customers.iter_all()
                 if c.active and not c.credit_hold and c.terms]
    products = [p async for p in admin.products.iter_all() if p.active]
    assert len(customers) >= ROUND and len(products) >= 10
    orders_before = (await admin.orders.search(page_size=1)).total
    active_before = {c.id async for c in admin.carts.iter_all() if c.is_active}

    plans = [make_plan(rng, n, customers[n % len(customers)], products) for n in range(ORDERS)]
    # rounds of distinct customers, in plan order
    rounds: list[list[Plan]] = []
    for plan in plans:
        if not rounds or len(rounds[-1]) >= ROUND or any(p.customer.customer_number == plan.customer.customer_number
                                                        for p in rounds[-1]):
            rounds.append([])
        rounds[-1].append(plan)

    desk = Desk(make_client(transport=faults, client_id="demo-admin", secret="demo-admin-secret"), store)
    restarts = passes = 0
    outcomes: Counter[str] = Counter()
    for r, batch in enumerate(rounds):
        for plan in batch:
            faults.down = rng.random() < OUTAGE
            await build(desk, plan)
            faults.down = False
            outcomes[plan.outcome or "?"] += 1
        if rng.random() < 0.25:  # the program dies and starts again: memory (and cards) gone
            desk = Desk(make_client(transport=faults, client_id="demo-admin", secret="demo-admin-secret"), store)
            restarts += 1
        for _ in range(80):
            passes += 1
            await desk.sync_now()
            states = {p.draft_id: store.get(p.draft_id) for p in batch}
            for plan in batch:  # the rep re-enters the card the restart forgot
                d = states[plan.draft_id]
                if d.state == DraftState.CONFLICT and d.conflicts == (NEEDS_CARD,):
                    await desk.checkout(d.id, CheckoutInput("Phone", None, CARD, use_terms=False))
            if all(d.state in (DraftState.SUBMITTED, DraftState.DISCARDED) for d in states.values()) \
                    and store.queued_count() == 0:
                break
        stuck = {d.id: (d.state, d.conflicts, d.last_error) for d in (store.get(p.draft_id) for p in batch)
                 if d.state not in (DraftState.SUBMITTED, DraftState.DISCARDED)}
        assert not stuck, f"round {r}: drafts not done: {stuck}"

    faults.rate = 0.0
    checked = 0
    for plan in plans:
        draft = store.get(plan.draft_id)
        if plan.discard:
            assert draft.state == DraftState.DISCARDED
            continue
        assert draft.state == DraftState.SUBMITTED and draft.order_number, draft
        page = await admin.orders.search([Filter("originationCartId", "equals", draft.remote_cart_id)], page_size=5)
        assert page.total == 1, f"{draft.remote_cart_id}: {page.total} orders"
        order = page.items[0]
        assert order.order_number == draft.order_number
        assert sorted((i.sku, i.quantity) for i in order.items) == sorted(plan.expected.items())
        assert order.po_number == plan.po
        checked += 1
    orders_after = (await admin.orders.search(page_size=1)).total
    assert orders_after - orders_before == checked, "an order was duplicated or an extra one made"

    # no cart left active by mistake: only an emptied cart of a customer whose last draft was discarded
    last_plan = {p.customer.customer_number: p for p in plans}
    for cart in [c async for c in admin.carts.iter_all() if c.is_active and c.id not in active_before]:
        assert last_plan[cart.customer_number].discard and not cart.items, cart
    print(f"\nfault injection: {checked} orders checked ({outcomes['placed']} placed at once, {outcomes['queued']} "
          f"queued, {outcomes['discarded']} discarded drafts), faults {dict(sorted(faults.counts.items()))}, "
          f"{len(faults.log)} calls, {restarts} restarts, {passes} sync passes, {time.monotonic() - t0:.1f}s")
    assert sum(faults.counts.values()) > 200
