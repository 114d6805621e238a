"""The `nymble-desk` command.

Sub-commands import what they need lazily, so that `nymble-desk` on its way to
the first screen never imports the sandbox (FastAPI) and `serve` never imports
Textual.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable, Sequence

from nymble_desk import __version__


def _handler(module: str, func: str) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        import importlib

        return int(getattr(importlib.import_module(module), func)(args) or 0)

    return run


def _sandbox_size_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--customers", type=int, default=None, help="customers to generate per organisation (default 2000)")
    p.add_argument("--products", type=int, default=None, help="products to generate per organisation (default 5000)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nymble-desk",
        description="Take B2B orders for your customers against the Nymble Commerce API, from the keyboard.",
    )
    parser.add_argument("--version", action="version", version=f"nymble-desk {__version__}")
    parser.add_argument("--profile", default=None, help="saved profile to sign in with (default: the configured one)")
    parser.set_defaults(func=_handler("nymble_desk.tui.launch", "run_app"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("run", help="start the terminal UI (the default)")
    p.add_argument("--profile", default=None, help="saved profile to sign in with")
    p.set_defaults(func=_handler("nymble_desk.tui.launch", "run_app"))

    p = sub.add_parser("demo", help="start the embedded sandbox with demo data and open the UI signed in as a demo rep")
    p.add_argument("--data-dir", type=Path, default=None, help="sandbox data dir (default: a demo dir under the user data dir)")
    p.add_argument("--port", type=int, default=0, help="loopback port for the sandbox (default: a free one)")
    p.add_argument("--no-tui", action="store_true", help="only start the sandbox and print its URL and credentials")
    _sandbox_size_args(p)
    p.set_defaults(func=_handler("nymble_desk.tui.launch", "run_demo"))

    p = sub.add_parser("serve", help="run the local Nymble Commerce sandbox API")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--data-dir", type=Path, default=None, help="where the sandbox keeps its SQLite file (env NYMBLE_DESK_DATA_DIR)")
    _sandbox_size_args(p)
    p.set_defaults(func=_handler("nymble_desk.sandbox.server", "main"))

    p = sub.add_parser("drafts", help="list, show, export or discard local drafts (move-aside: a damaged file)")
    p.add_argument("action", nargs="?", default="list", choices=["list", "show", "export", "discard", "move-aside"])
    p.add_argument("draft_id", nargs="?", default=None)
    p.add_argument("--all", action="store_true", help="include submitted and discarded drafts")
    p.add_argument("--output", "-o", type=Path, default=None, help="export: write JSON here instead of stdout")
    p.set_defaults(func=_handler("nymble_desk.drafts.cli", "main"))

    p = sub.add_parser("sync", help="replay queued changes to the API now and report what is pending")
    p.add_argument("--profile", default=None)
    p.add_argument("--status", action="store_true", help="only report, send nothing")
    p.set_defaults(func=_handler("nymble_desk.sync.cli", "main"))

    from nymble_desk.records_cli import add_invoices_arguments, add_orders_arguments  # stdlib-only at import

    p = sub.add_parser("orders", help="list orders (filters, sorting, paging) or show one with its invoices")
    add_orders_arguments(p)
    p.set_defaults(func=_handler("nymble_desk.records_cli", "orders_main"))

    p = sub.add_parser("invoices", help="list invoices (per customer, order, status) or show one with payments")
    add_invoices_arguments(p)
    p.set_defaults(func=_handler("nymble_desk.records_cli", "invoices_main"))

    p = sub.add_parser("import", help="import orders from a CSV or JSON file (idempotent by externalId)")
    from nymble_desk.importer.cli import add_arguments as import_arguments  # stdlib-only module

    import_arguments(p)
    p.set_defaults(func=_handler("nymble_desk.importer.cli", "main"))

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    if not (sys.argv[1:] if argv is None else argv):
        # plain `nymble-desk`: straight to the TUI, without building every sub-command's parser (~11 ms)
        args = argparse.Namespace(profile=None, func=_handler("nymble_desk.tui.launch", "run_app"))
    else:
        args = build_parser().parse_args(argv)
    from nymble_desk.startup_errors import guarded  # stdlib only

    return guarded(lambda: args.func(args), f"nymble-desk {getattr(args, 'command', None) or 'run'}")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
