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
#: ``importer.existing.LOOKUP_TIMEOUT`` and ``importer.parse.CSV_COLUMNS`` / ``REQUIRED_COLUMNS``, likewise
#: kept equal by a test (the importer imports sqlite3 and pickle, which `import --help` need not pay for)
IMPORT_LOOKUP_TIMEOUT = 60.0
IMPORT_CSV_COLUMNS = (
    "externalId", "orderNumber", "orderDate", "customerNumber", "companyName", "poNumber", "orderType",
    "priceTier", "currencyCode", "repNumber", "terms", "channel", "notes", "sku", "productName", "quantity", "price",
)
IMPORT_REQUIRED_COLUMNS = ("customerNumber", "poNumber", "priceTier", "currencyCode", "repNumber", "sku", "quantity",
                           "price")

IMPORT_FORMATS = f"""\
CSV: one row per order line, a header row first (names matched without regard to case,
spaces or underscores; "," ";" or tab between cells).  Columns:
  {", ".join(IMPORT_CSV_COLUMNS[:9])},
  {", ".join(IMPORT_CSV_COLUMNS[9:])}
  required: {", ".join(IMPORT_REQUIRED_COLUMNS)}
Rows with the same externalId are one order (else the same orderNumber, else the same
customerNumber + poNumber + orderDate); a row with only sku/quantity/price continues the
order above.  Order columns may be left blank after an order's first row.  quantity is
a whole number, price an amount with a decimal point (12.50): an unquoted decimal comma
(12,50) makes an extra cell and the row is refused.  A row repeated within an order is
refused unless --merge-duplicates (then kept once).

JSON: {{"orders": [ORDER, ...]}} or [ORDER, ...], each ORDER as the Orders API creates it:
  {{"externalId": "ERP-10001", "orderDate": "2024-03-15T09:30:00Z",
   "customer": {{"customerNumber": "CUST-1042"}}, "poNumber": "PO-1", "priceTier": "Wholesale",
   "currencyCode": "USD", "primarySalesRep": {{"repNumber": "REP-007"}},
   "items": [{{"sku": "WDG-BLU-L", "quantity": 24, "price": 12.50}}]}}
Without an externalId an order gets one derived from its content (IMP-...), so a rerun of
the same file updates the same orders and never doubles them.

Exit codes: 0 all imported (or ready), 1 some rejected, 2 unusable file or no sign-in,
3 stopped early (rerun to continue: acknowledged batches are skipped)."""


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


def _keep_lines(base: type[argparse.HelpFormatter]) -> type[argparse.HelpFormatter]:
    """``base`` (the CLI's width-aware formatter) printing the epilog's lines as written, as argparse's
    RawDescriptionHelpFormatter does, without its terminal-size look-up (which imports shutil)."""

    class KeepLines(base):  # type: ignore[valid-type,misc]
        def _fill_text(self, text: str, width: int, indent: str) -> str:
            return "".join(indent + line for line in text.splitlines(keepends=True))

    return KeepLines


def add_import_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of the `import` sub-command; ``--help`` explains the CSV columns and the JSON shape."""
    parser.formatter_class = _keep_lines(parser.formatter_class)  # type: ignore[arg-type]  # a formatter class
    parser.description = "Import orders from a CSV or JSON file, in batches, idempotent by externalId."
    parser.epilog = IMPORT_FORMATS
    parser.add_argument("file", type=_path, help="orders.csv or orders.json")
    parser.add_argument("--profile", default=None, help="saved profile to sign in with")
    parser.add_argument("--dry-run", action="store_true",
                        help="check the file, and its customers, SKUs and reps on the server (read-only); send nothing")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--batch-size", type=int, default=IMPORT_BATCH_SIZE, help="orders per bulk call (1-500)")
    parser.add_argument("--fresh", action="store_true", help="ignore what an earlier run sent; resend all")
    parser.add_argument("--merge-duplicates", action="store_true",
                        help="keep a row (or order) repeated by accident once, instead of refusing it")
    parser.add_argument("--timeout", type=float, default=None, metavar="SECONDS",
                        help="seconds a bulk call may take (default: [api] timeout of the settings, 10)")
    parser.add_argument("--lookup-timeout", type=float, default=IMPORT_LOOKUP_TIMEOUT, metavar="SECONDS",
                        help=f"seconds one look-up of existing orders may take (default {IMPORT_LOOKUP_TIMEOUT:g})")
