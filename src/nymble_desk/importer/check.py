"""`import --dry-run` against the server, read-only: the customers, SKUs and sales reps the
file names are looked up (GET only), so an order the real run would refuse for an unknown
or inactive customer, an unknown SKU or an unknown rep fails the dry run the same way."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from nymble_desk.errors import NotFound
from nymble_desk.importer.parse import ParseResult
from nymble_desk.importer.report import ImportReport, Outcome
from nymble_desk.importer.rows import ImportRow

if TYPE_CHECKING:
    from nymble_desk.api.client import NymbleClient

CONCURRENCY = 8


def _names(row: ImportRow) -> tuple[str, list[str], list[str]]:
    customer = row.payload.get("customer") or {}
    reps = [r.get("repNumber", "") for r in (row.payload.get("primarySalesRep"), row.payload.get("takenBySalesRep"))
            if isinstance(r, dict)]
    skus = [str(i.get("sku", "")) for i in row.payload.get("items") or [] if isinstance(i, dict)]
    return str(customer.get("customerNumber", "")), skus, [str(r) for r in reps if r]


async def _problems(keys: set[str], fetch: Callable[[str], Awaitable[str | None]]) -> dict[str, str]:
    """key -> what is wrong with it (absent when it is fine), ``CONCURRENCY`` GETs at a time."""
    gate = asyncio.Semaphore(CONCURRENCY)
    found: dict[str, str] = {}

    async def one(key: str) -> None:
        async with gate:
            problem = await fetch(key)
        if problem:
            found[key] = problem

    await asyncio.gather(*(one(k) for k in keys))
    return found


async def check_references(client: NymbleClient, parsed: ParseResult, report: ImportReport) -> None:
    """Add an outcome for every valid row: ``ready``, or ``rejected`` naming what the server lacks."""
    customers: set[str] = set()
    skus: set[str] = set()
    reps: set[str] = set()
    for row in parsed.iter_rows(ok=True):
        customer, row_skus, row_reps = _names(row)
        customers.add(customer)
        skus.update(row_skus)
        reps.update(row_reps)

    async def customer_problem(number: str) -> str | None:
        try:
            found = await client.customers.get(number)
        except NotFound:
            return f"{number} is not a customer of this organisation (or not one you may order for)"
        return None if found.active else f"{number} is inactive: new orders for it are refused"

    async def sku_problem(sku: str) -> str | None:
        try:
            await client.products.get(sku)
        except NotFound:
            return f"{sku}: the product does not exist"
        return None

    async def rep_problem(number: str) -> str | None:
        try:
            await client.salesreps.get(number)
        except NotFound:
            return f"sales rep {number} does not exist"
        return None

    bad_customers = await _problems(customers, customer_problem)
    bad_skus = await _problems(skus, sku_problem)
    bad_reps = await _problems(reps, rep_problem)
    for row in parsed.iter_rows(ok=True):
        customer, row_skus, row_reps = _names(row)
        where = f"{row.source} line {row.line}"
        reasons = []
        if customer in bad_customers:
            reasons.append(f"{where}: customerNumber: {bad_customers[customer]}")
        for n, sku in enumerate(row_skus):
            if sku in bad_skus:
                line = row.lines[n] if len(row.lines) > n else row.line
                reasons.append(f"{row.source} line {line}: sku: {bad_skus[sku]}")
        reasons += [f"{where}: repNumber: {bad_reps[r]}" for r in row_reps if r in bad_reps]
        if reasons:
            report.add(Outcome(row.external_id, "rejected", None, tuple(reasons), row.lines))
        else:
            report.add(Outcome(row.external_id, "ready", None, (), row.lines))
