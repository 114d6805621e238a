"""``nymble-desk orders`` and ``nymble-desk invoices``: list (filters, sorting, paging) and ``show ID``.

Both sign in with the saved profile (config.toml + keyring or the 0600 secret
file), as ``nymble-desk sync`` does. ``--json`` prints JSON with money as
strings (never floats); orders, their items and invoices carry ``discount`` (the
object as given) and ``discountAmount``. Exit status: 0 on success, 1 when the
API refused or could not be reached, 2 on a usage error.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, TextIO
from collections.abc import Callable

# the argument parsing lives in cli_args (stdlib only, so `--help` imports nothing else); re-exported here
from nymble_desk.cli_args import ORDER_STATUSES, add_invoices_arguments, add_orders_arguments  # noqa: F401
from nymble_desk.domain.money import parse_money


class UsageError(Exception):
    pass


# -- values -------------------------------------------------------------------------------------------

def _day(text: str | None, flag: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{flag}: write the date as YYYY-MM-DD (not {text!r})") from None


def _amount(text: str | None, flag: str) -> Decimal | None:
    if text is None or text == "":
        return None
    try:
        return parse_money(text)
    except (ValueError, InvalidOperation):
        raise UsageError(f"{flag}: {text!r} is not an amount") from None


def _plain(value: Any) -> Any:
    """JSON-ready: Decimals and dates as strings, models as camelCase dicts."""
    if hasattr(value, "model_dump"):
        return _plain(value.model_dump(by_alias=True, exclude_none=True))
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return format(value, "f")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _day_text(value: Any) -> str:
    return value.strftime("%Y-%m-%d") if hasattr(value, "strftime") else "-"


# -- text output ----------------------------------------------------------------------------------------

def _orders_text(page: Any, out: TextIO) -> None:
    from nymble_desk.sync.after_sales import money

    out.write(f"{'ORDER':<14}{'DATE':<12}{'CUSTOMER':<12}{'PO':<16}{'STATUS':<12}{'TOTAL':>12}  INVOICES\n")
    for o in page.items:
        cust = o.customer.customer_number if o.customer else "-"
        out.write(f"{o.order_number:<14}{_day_text(o.order_date):<12}{cust:<12}{(o.po_number or '-'):<16}"
                  f"{(o.order_status or '-'):<12}{money(o.order_total, o.currency_code):>12}  "
                  f"{', '.join(o.invoice_numbers) or '-'}\n")
    out.write(f"page {page.page_number} of {max(page.total_pages, 1)} · {page.total} order(s)\n")


def _invoices_text(page: Any, out: TextIO) -> None:
    from nymble_desk.sync.after_sales import money

    out.write(f"{'INVOICE':<12}{'ORDER':<12}{'CUSTOMER':<12}{'STATUS':<15}{'TOTAL':>12}{'PAID':>12}{'BALANCE':>12}"
              f"  DUE\n")
    for i in page.items:
        cur = i.currency_code
        cust = i.customer.customer_number if i.customer else (i.customer_number or "-")
        out.write(f"{(i.invoice_number or i.id):<12}{(i.order_number or '-'):<12}{cust:<12}{i.status:<15}"
                  f"{money(i.invoice_total, cur):>12}{money(i.amount_paid, cur):>12}{money(i.balance, cur):>12}"
                  f"  {_day_text(i.due_date)}\n")
    out.write(f"page {page.page_number} of {max(page.total_pages, 1)} · {page.total} invoice(s)\n")


def _payments_text(invoice: Any, out: TextIO, indent: str = "  ") -> None:
    from nymble_desk.sync.after_sales import money

    cur = invoice.currency_code
    for p in invoice.payments:
        kind = "refund" if p.original_payment_id else (p.method or "-")
        refunded = f" refunded {money(p.refunded_amount, cur)}" if p.refunded_amount else ""
        out.write(f"{indent}{_day_text(p.payment_date)} {kind:<10} {(p.reference or '-'):<14} "
                  f"{money(p.amount, cur):>12}{refunded} net {money(p.net_amount, cur)}\n")


def _discount(owner: Any, cur: str | None) -> str:
    """An order's or invoice's discount: ``$0.00``, or ``SPRING Spring promotion (7.5%) -$56.91``."""
    from nymble_desk.sync.after_sales import money

    amount = owner.discount_amount or 0
    if not amount:
        return money(0, cur)
    label = owner.discount.label(cur) + " " if owner.discount is not None else ""
    return f"{label}-{money(amount, cur)}"


def _line_discount(item: Any, cur: str | None) -> str:
    """`` less $10.00 (15%)`` after a line with a discount; "" otherwise."""
    from nymble_desk.sync.after_sales import money

    if not item.discount_amount:
        return ""
    label = f" ({item.discount.label(cur)})" if item.discount is not None else ""
    return f" less {money(item.discount_amount, cur)}{label}"


def _show_order_text(bundle: Any, out: TextIO) -> None:
    from nymble_desk.sync.after_sales import money

    o, cur = bundle.order, bundle.currency
    c = o.customer
    out.write(f"{o.order_number}  {o.order_status or '-'}  {_day_text(o.order_date)}  PO {o.po_number or '-'}\n")
    out.write(f"customer  {c.customer_number if c else '-'} {(c.company_name or '') if c else ''}\n")
    rep = o.primary_sales_rep
    out.write(f"rep       {rep.rep_number if rep else '-'}  type {o.order_type or '-'}  channel {o.channel or '-'}"
              f"  terms {o.terms or '-'}  tier {o.price_tier or '-'}\n")
    out.write(f"cart      {o.origination_cart_id or '-'}\n")
    ship = o.shipping_details
    where = ship.shipping_address.one_line() if ship and ship.shipping_address else "-"
    out.write(f"ship-to   {where}  ({ship.method if ship and ship.method else '-'})\n")
    for item in o.items:
        out.write(f"  {item.sku:<16}{(item.product_name or '')[:24]:<26}{item.quantity:>6} x "
                  f"{money(item.price, cur):>10} = {money(item.sub_total, cur):>12}{_line_discount(item, cur)}\n")
    ship_total = ship.total if ship else None
    out.write(f"subtotal {money(o.subtotal, cur)}  discount {_discount(o, cur)}  "
              f"tax {money(o.tax, cur)}  shipping {money(ship_total, cur)}  total {money(o.order_total, cur)}\n")
    for inv in bundle.invoices:
        out.write(f"invoice {inv.invoice_number}  {inv.status}  total {money(inv.invoice_total, cur)}  "
                  f"paid {money(inv.amount_paid, cur)}  balance {money(inv.balance, cur)}\n")
        _payments_text(inv, out, "    ")


def _show_invoice_text(inv: Any, out: TextIO) -> None:
    from nymble_desk.sync.after_sales import money

    cur = inv.currency_code
    cust = inv.customer.customer_number if inv.customer else (inv.customer_number or "-")
    out.write(f"{inv.invoice_number}  {inv.status}  order {inv.order_number or '-'}  customer {cust}\n")
    out.write(f"dated {_day_text(inv.invoice_date)}  due {_day_text(inv.due_date)}  terms {inv.terms or '-'}\n")
    out.write(f"subtotal {money(inv.subtotal, cur)}  discount {_discount(inv, cur)}  tax {money(inv.tax, cur)}  "
              f"shipping {money(inv.shipping, cur)}\n")
    out.write(f"total {money(inv.invoice_total, cur)}  paid {money(inv.amount_paid, cur)}  "
              f"balance {money(inv.balance, cur)}\n")
    _payments_text(inv, out)


# -- running --------------------------------------------------------------------------------------------

def _client_from_profile(profile_name: str | None) -> Any:
    from nymble_desk.api import Credentials, NymbleClient
    from nymble_desk.config import load_secret, load_settings
    from nymble_desk.demo_endpoint import DEMO_CLIENT, DEMO_ORG, DEMO_SECRET, demo_in_use, using_line

    if (demo := demo_in_use(profile_name)) is not None:  # no profile saved and a demo runs: that demo
        sys.stderr.write(using_line(demo) + "\n")
        return NymbleClient(demo.url, Credentials(DEMO_ORG, DEMO_CLIENT, DEMO_SECRET))
    settings = load_settings()  # a bad setting: one LocalProblem line naming it (exit 2)
    name = profile_name or settings.profile
    profile = settings.profiles.get(name)
    secret = load_secret(name) if profile else None
    if profile is None or secret is None:
        raise UsageError(f"no saved profile {name!r} with a secret: sign in once with nymble-desk and save it, "
                         "or start `nymble-desk demo` (while it runs, this command uses it)")
    return NymbleClient(settings.base_url_for(profile),
                        Credentials(profile.org_code, profile.client_id, secret.get_secret_value()),
                        timeout=settings.api.timeout)


def _run(args: argparse.Namespace, client: Any, out: TextIO, job: Callable[[Any], Any]) -> int:
    from nymble_desk.errors import ApiError

    async def go() -> Any:
        nonlocal client
        client = client if client is not None else _client_from_profile(getattr(args, "profile", None))
        async with client:
            await client.login()
            from nymble_desk.sync.after_sales import AfterSales

            return await job(AfterSales(client))

    try:
        asyncio.run(go())
    except UsageError as bad:
        sys.stderr.write(f"nymble-desk: {bad}\n")
        return 2
    except ApiError as error:
        sys.stderr.write(f"nymble-desk: {error.message}\n")
        return 1
    return 0


def orders_main(args: argparse.Namespace, *, client: Any = None, out: TextIO | None = None) -> int:
    from nymble_desk.sync.after_sales import OrderQuery

    out = out or sys.stdout
    try:
        if args.action == "show" and not args.id:
            raise UsageError("name an order: nymble-desk orders show ORDER_NUMBER")
        query = OrderQuery(
            order_number=args.number, customer=args.customer, po_number=args.po, status=args.status,
            date_from=_day(args.date_from, "--from"), date_to=_day(args.date_to, "--to"),
            total_min=_amount(args.min_total, "--min-total"), total_max=_amount(args.max_total, "--max-total"),
            sort_on=args.sort, sort_direction="asc" if args.asc else "desc",
            page_number=max(1, args.page), page_size=max(1, args.page_size))
    except UsageError as bad:
        sys.stderr.write(f"nymble-desk: {bad}\n")
        return 2

    async def job(service: Any) -> None:
        if args.action == "show":
            bundle = await service.order_bundle(args.id)
            if args.json:
                data = _plain(bundle.order)
                data["invoices"] = _plain(bundle.invoices)
                out.write(json.dumps(data, indent=2) + "\n")
            else:
                _show_order_text(bundle, out)
            return
        page = await service.search_orders(query)
        if args.json:
            out.write(json.dumps({"items": _plain(page.items), "totalCount": page.total,
                                  "pageNumber": page.page_number, "pageSize": page.page_size,
                                  "totalPages": page.total_pages}, indent=2) + "\n")
        else:
            _orders_text(page, out)

    return _run(args, client, out, job)


def invoices_main(args: argparse.Namespace, *, client: Any = None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    if args.action == "show" and not args.id:
        sys.stderr.write("nymble-desk: name an invoice: nymble-desk invoices show INVOICE_NUMBER\n")
        return 2

    async def job(service: Any) -> None:
        if args.action == "show":
            invoice = await service.get_invoice(args.id)
            if args.json:
                out.write(json.dumps(_plain(invoice), indent=2) + "\n")
            else:
                _show_invoice_text(invoice, out)
            return
        page = await service.search_invoices(customer=args.customer, order_number=args.order, status=args.status,
                                             page_number=max(1, args.page), page_size=max(1, args.page_size))
        if args.json:
            out.write(json.dumps({"items": _plain(page.items), "totalRecords": page.total,
                                  "currentPage": page.page_number, "totalPages": page.total_pages},
                                 indent=2) + "\n")
        else:
            _invoices_text(page, out)

    return _run(args, client, out, job)
