"""The arguments of `nymble-desk`'s sub-commands that live beside heavier code (orders, invoices, import).

Standard library only: `nymble-desk orders --help` parses with these and imports nothing else; the
commands' own modules (records_cli, importer.cli) re-export them and import their work lazily.
"""

from __future__ import annotations

import argparse
TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (~4 ms of `--help`)

if TYPE_CHECKING:
    from pathlib import Path

ORDER_STATUSES = "Pending, Processing, Shipped, Complete, Cancelled"
#: ``nymble_desk.importer.batches.DEFAULT_BATCH_SIZE`` (a test keeps the two equal; importing that
#: module would cost `import --help` ~30 ms).
IMPORT_BATCH_SIZE = 200


def _path(text: str) -> Path:
    from pathlib import Path  # only when a path is given: `--help` never pays for it

    return Path(text)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", nargs="?", default="list", choices=["list", "show"])
    p.add_argument("id", nargs="?", default=None, help="show: the order/invoice number or id")
    p.add_argument("--profile", default=None, help="saved profile to sign in with")
    p.add_argument("--page", type=int, default=1, help="page number (1-based)")
    p.add_argument("--page-size", type=int, default=20)
    p.add_argument("--json", action="store_true", help="print JSON (money as strings)")


def add_orders_arguments(p: argparse.ArgumentParser) -> None:
    _common(p)
    p.add_argument("--number", default=None, help="order number contains")
    p.add_argument("--customer", default=None, help="customer number")
    p.add_argument("--po", default=None, help="PO number contains")
    p.add_argument("--status", default=None, help=f"order status ({ORDER_STATUSES})")
    p.add_argument("--from", dest="date_from", default=None, help="ordered on or after YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", default=None, help="ordered on or before YYYY-MM-DD")
    p.add_argument("--min-total", default=None)
    p.add_argument("--max-total", default=None)
    p.add_argument("--sort", default="orderDate", help="orderDate, orderNumber, orderTotal, customerNumber, ...")
    p.add_argument("--asc", action="store_true", help="ascending (default: descending)")


def add_invoices_arguments(p: argparse.ArgumentParser) -> None:
    _common(p)
    p.add_argument("--customer", default=None, help="customer number")
    p.add_argument("--order", default=None, help="order number")
    p.add_argument("--status", default=None, help="Draft, Issued, PartiallyPaid, Paid, Voided, Cancelled")


def add_import_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of the `import` sub-command."""
    parser.add_argument("file", type=_path, help="orders.csv or orders.json")
    parser.add_argument("--profile", default=None, help="saved profile to sign in with")
    parser.add_argument("--dry-run", action="store_true", help="check the file and report; send nothing")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--batch-size", type=int, default=IMPORT_BATCH_SIZE, help="orders per bulk call")
    parser.add_argument("--fresh", action="store_true", help="ignore what an earlier run sent; resend all")
