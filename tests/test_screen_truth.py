"""Screen truth: what a rep reads on the cart in a real terminal is exactly what is ordered.

`nymble-desk demo` runs in tmux (TERM=screen) at 80x24 and at 120x40, on a loopback
port the test chose. The rep's keys go in with ``tmux send-keys``: a customer, then
lines with random quantities (1 to 99,999, seeded, within each product's minimum and
increment), on both sides of a tier break and with long product names. The screen text
comes back with ``tmux capture-pane``; every line's quantity, unit price and line total,
and the order total, are read from it. Then the cart the app synced is checked out over
the API and the order read back: every number on screen must equal the order's.

A number cut by a narrow column (``150`` for ``150000``, ``$1,650,`` for ``$1,650,000.00``)
fails here, as on the code before the lines table sized its columns to their values.
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tmux_terminal import TMUX, Tmux, free_port, nymble_desk

SEED = int(os.environ.get("NYMBLE_SCREEN_TRUTH_SEED", "20261206"))
MONEY = re.compile(r"\$[\d,]+\.\d\d")
CUSTOMER = "CUST-1042"  # Wholesale tier: WDG-BLU-L is 12.50 from 1 and 11.75 from 48
LINES = 6

pytestmark = [pytest.mark.slow, pytest.mark.skipif(TMUX is None, reason="tmux is not installed")]


def cart_rows(screen: str, skus: set[str]) -> dict[str, tuple[int, str, str]]:
    """(quantity, unit price, line total) of each line of the cart as the screen shows it.

    Columns are at least two spaces apart (one cell of padding each side); after the SKU
    and the name come the quantity (digits), the stock on hand (when the index has it), the unit
    price, the rule (if any), the line total and the break hint (if any). A cut value does not match
    and fails the test."""
    rows: dict[str, tuple[int, str, str]] = {}
    for line in screen.splitlines():
        cells = re.split(r"\s{2,}", line.strip())
        if not cells or cells[0] not in skus:
            continue
        rest = cells[1:]
        at = next((i for i, c in enumerate(rest) if c.isdigit()), None)
        assert at is not None and at + 2 < len(rest) + 1, f"no whole quantity in {line!r}"
        after = rest[at + 1:]
        if after and re.fullmatch(r"[\d,]+!?", after[0]):  # the stock on hand ("500!" when short), whole
            after = after[1:]
        unit = after[0] if after else ""
        totals = [c for c in after[1:] if MONEY.fullmatch(c)]
        assert MONEY.fullmatch(unit) and totals, f"unit price or total cut in {line!r}"
        rows[cells[0]] = (int(rest[at]), unit, totals[0])
    return rows


def money(text: str) -> Decimal:
    return Decimal(text.replace("$", "").replace(",", ""))


def valid_quantity(rng: random.Random, minimum: int, increment: int, low: int = 1, high: int = 99_999) -> int:
    qty = rng.randint(low, high)
    qty = max(minimum, qty - qty % increment)
    smallest = -(-minimum // increment) * increment
    return max(smallest, qty)


async def choose_lines(base_url: str, rng: random.Random) -> list[tuple[str, int, int]]:
    """(SKU, random quantity, a small first quantity) for WDG-BLU-L (its 48 break), products with
    long names and Wholesale breaks, a minimum/increment product and a plain one."""
    from nymble_desk.api import Credentials, NymbleClient

    async with NymbleClient(base_url, Credentials("DEMO", "demo-rep", "demo-rep-secret")) as client:
        await client.login()
        page = await client.products.search(page_size=100)
    long_named = [p for p in page.items if len(p.name or "") >= 24 and (p.minimum_order_quantity or 1) <= 1000
                  and any(t.tier == "Wholesale" for t in p.prices) and p.active is not False]
    rng.shuffle(long_named)
    picks = [("WDG-BLU-L", 1, 1)] + [(p.sku, p.minimum_order_quantity or 1, p.quantity_increment or 1)
                                     for p in long_named[:LINES - 3]] + [("PART-A1", 10, 10), ("WDG-RED-M", 1, 1)]
    lines = []
    for sku, minimum, increment in picks:
        smallest = -(-minimum // increment) * increment
        qty = valid_quantity(rng, minimum, increment, low=48)  # past the 48 breaks
        first = min(qty, smallest * rng.randint(1, 3))  # below them
        lines.append((sku, qty, first))
    return lines


async def order_from_the_synced_cart(base_url: str, expected: dict[str, int]) -> Any:
    """Wait for the app's cart to reach the server with exactly ``expected`` (sku -> quantity), check it
    out on terms over the API and read the order back."""
    from nymble_desk.api import Credentials, NymbleClient
    from nymble_desk.api.models import CheckoutRequest

    async with NymbleClient(base_url, Credentials("DEMO", "demo-rep", "demo-rep-secret")) as client:
        await client.login()
        end = time.monotonic() + 30
        while True:
            cart = await client.carts.active_for_customer(CUSTOMER)
            if cart is not None and {i.sku: i.quantity for i in cart.items} == expected:
                break
            assert time.monotonic() < end, f"the cart never reached the server as {expected}: {cart}"
            await asyncio.sleep(0.1)
        customer = await client.customers.get(CUSTOMER)
        ship_to = next(a for a in customer.addresses if a.address_type == "Shipping")
        await client.carts.set_shipping(CUSTOMER, cart.shopping_cart_id, ship_to.model_dump(exclude_none=True))
        placed = await client.carts.checkout(CUSTOMER, cart.shopping_cart_id, CheckoutRequest(channel="Phone"))
        return await client.orders.get(placed.order_number)


@pytest.mark.timeout(90)
@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_every_number_on_the_cart_is_the_number_ordered(isolated_dirs: Path, size: tuple[int, int]) -> None:
    width, height = size
    rng = random.Random(f"{SEED}-{width}x{height}")
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {k: os.environ[k] for k in ("PATH", "HOME", "NYMBLE_DESK_CONFIG_DIR", "NYMBLE_DESK_DATA_DIR",
                                       "NYMBLE_DESK_LOG_DIR", "XDG_CONFIG_HOME", "XDG_DATA_HOME") if k in os.environ}
    env.update({"TERM": "screen", "LANG": "C.UTF-8", "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"})
    argv = [
        *nymble_desk(),
        "demo",
        "--data-dir",
        str(isolated_dirs / "demo"),
        "--customers",
        "50",
        "--products",
        "100",
        "--port",
        str(port),
    ]
    term = Tmux(width=width, height=height)
    try:
        term.start(argv, env)
        term.wait_for(r"Customer number, name", timeout=60)
        lines = asyncio.run(choose_lines(base_url, rng))
        term.send(CUSTOMER)
        term.wait_for(rf"\({CUSTOMER}\) · Terms")
        term.key("Enter")
        term.wait_for(r"SKU, SKU\*QTY")
        # Each line is entered small first, then the rest of its random quantity is added with a
        # second entry that merges into it (as a rep adds to an order): every value grows in place.
        for n, (sku, _qty, first) in enumerate(lines, 1):
            term.send(f"{sku}*{first}\r")
            term.wait_for(rf"Lines {n}\b")
        for sku, qty, first in lines:
            if qty > first:
                term.send(f"{sku}*{qty - first}\r")
                # the line's own row shows the grown quantity (a fast entry may be told in a summary instead)
                term.wait_for(rf"(?m)^\s*{re.escape(sku)}\s.*\s{qty}\s")
        # the draft is on the server cart and nothing is still arriving on the entry line
        term.wait_for(r"nothing queued")
        end = time.monotonic() + 30
        while "Receiving lines" in (screen := term.screen()) or "nothing queued" not in screen:
            assert time.monotonic() < end, f"the entry never settled:\n{screen}"
            time.sleep(0.05)
        context = f"seed {SEED}, {width}x{height}, lines {lines}:\n{screen}"
        shown = cart_rows(screen, {sku for sku, _, _ in lines})
        assert set(shown) == {sku for sku, _, _ in lines}, context
        assert {sku: qty for sku, (qty, _, _) in shown.items()} == {sku: qty for sku, qty, _ in lines}, context
        total = re.search(r"TOTAL (\$[\d,]+\.\d\d)(?!\d)", screen)
        assert total, context

        order = asyncio.run(order_from_the_synced_cart(base_url, {sku: qty for sku, qty, _ in lines}))
        ordered = {item.sku: item for item in order.items}
        assert set(ordered) == set(shown), context
        for sku, (qty, unit, line_total) in shown.items():
            item = ordered[sku]
            assert qty == item.quantity, f"{sku}: screen {qty}, order {item.quantity}; {context}"
            assert money(unit) == item.price, f"{sku}: screen {unit}, order {item.price}; {context}"
            assert money(line_total) == item.price * item.quantity, f"{sku}: screen {line_total}; {context}"
        blu = shown["WDG-BLU-L"]
        assert blu[1] == "$11.75", context  # grown past the 48 break: repriced at the break
        assert money(total.group(1)) == order.order_total, context
        items = re.search(r"Items (\d+)\b", screen)
        if items:
            assert int(items.group(1)) == sum(item.quantity for item in order.items), context
    finally:
        term.close()
