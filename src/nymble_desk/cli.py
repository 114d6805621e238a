"""The `nymble-desk` command.

Sub-commands import what they need lazily, so that `nymble-desk` on its way to
the first screen never imports the sandbox (FastAPI) and `serve` never imports
Textual.  The parser itself is standard library only: `main` adds the arguments
of the one sub-command being run (`nymble-desk --help` adds none), so `--help`
of any of them costs about what `python -c pass` does.
"""

from __future__ import annotations

import argparse
import sys

from nymble_desk import __version__

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (~4 ms of `--help`)

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from pathlib import Path

ALL = "*"  # build_parser(ALL): every sub-command's arguments (tests, docs)


def _handler(module: str, func: str) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        import importlib

        return int(getattr(importlib.import_module(module), func)(args) or 0)

    return run


def _path(text: str) -> Path:
    """``type=`` for path arguments: pathlib (with fnmatch, urllib, ...) is imported only when one is given."""
    from pathlib import Path

    return Path(text)


def _sandbox_size_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--customers", type=int, default=None, help="customers to generate per organisation (default 2000)")
    p.add_argument("--products", type=int, default=None, help="products to generate per organisation (default 5000)")


def _run_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--profile", default=None, help="saved profile to sign in with")


def _demo_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--data-dir", type=_path, default=None, help="sandbox data dir (default: a demo dir under the user data dir)"
    )
    p.add_argument("--port", type=int, default=0, help="loopback port for the sandbox (default: a free one)")
    p.add_argument("--no-tui", action="store_true", help="only start the sandbox and print its URL and credentials")
    _sandbox_size_args(p)


def _serve_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8765)
    p.add_argument(
        "--data-dir",
        type=_path,
        default=None,
        help="where the sandbox keeps its SQLite file (env NYMBLE_DESK_DATA_DIR)",
    )
    _sandbox_size_args(p)


def _web_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1: this machine only; any other needs the token)")
    p.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000; 0: a free one)")
    p.add_argument("--demo", action="store_true", help="start the embedded sandbox once and sign every tab in to it")
    p.add_argument("--profile", default=None, help="saved profile each tab signs in with")
    p.add_argument("--token", default=None,
                   help="access token to require (env NYMBLE_DESK_WEB_TOKEN; made up and printed when not on "
                        "loopback)")
    p.add_argument("--data-dir", type=_path, default=None, help="--demo: the sandbox and drafts dir")
    _sandbox_size_args(p)


def _drafts_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", nargs="?", default="list", choices=["list", "show", "export", "discard", "move-aside"])
    p.add_argument("draft_id", nargs="?", default=None)
    p.add_argument("--all", action="store_true", help="include submitted and discarded drafts")
    p.add_argument("--output", "-o", type=_path, default=None, help="export: write JSON here instead of stdout")


def _sync_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--profile", default=None)
    p.add_argument("--status", action="store_true", help="only report, send nothing")


def _orders_args(p: argparse.ArgumentParser) -> None:
    from nymble_desk.cli_args import add_orders_arguments  # stdlib only

    add_orders_arguments(p)


def _invoices_args(p: argparse.ArgumentParser) -> None:
    from nymble_desk.cli_args import add_invoices_arguments  # stdlib only

    add_invoices_arguments(p)


def _import_args(p: argparse.ArgumentParser) -> None:
    from nymble_desk.cli_args import add_import_arguments  # stdlib only

    add_import_arguments(p)


#: name -> (help, its arguments, module and function that run it)
COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None], str, str]] = {
    "run": ("start the terminal UI (the default)", _run_args, "nymble_desk.tui.launch", "run_app"),
    "demo": (
        "start the embedded sandbox with demo data and open the UI signed in as a demo rep",
        _demo_args,
        "nymble_desk.demo_launch",
        "run_demo",
    ),
    "serve": ("run the local Nymble Commerce sandbox API", _serve_args, "nymble_desk.sandbox.server", "main"),
    "web": (
        "serve the desk to browser tabs (each tab its own desk; --demo for the sandbox)",
        _web_args,
        "nymble_desk.web.server",
        "run_web",
    ),
    "drafts": (
        "list, show, export or discard local drafts (move-aside: a damaged file)",
        _drafts_args,
        "nymble_desk.drafts.cli",
        "main",
    ),
    "sync": (
        "replay queued changes to the API now and report what is pending",
        _sync_args,
        "nymble_desk.sync.cli",
        "main",
    ),
    "orders": (
        "list orders (filters, sorting, paging) or show one with its invoices",
        _orders_args,
        "nymble_desk.records_cli",
        "orders_main",
    ),
    "invoices": (
        "list invoices (per customer, order, status) or show one with payments",
        _invoices_args,
        "nymble_desk.records_cli",
        "invoices_main",
    ),
    "import": (
        "import orders from a CSV or JSON file (idempotent by externalId)",
        _import_args,
        "nymble_desk.importer.cli",
        "main",
    ),
}


class _Formatter(argparse.HelpFormatter):
    """argparse's help layout at the terminal's width, found without ``shutil`` (which argparse would
    import for it, with fnmatch, bz2, lzma and zlib: a third of what `--help` imports)."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24,
                 width: int | None = None) -> None:
        if width is None:
            import os

            try:
                out = sys.__stdout__.fileno() if sys.__stdout__ is not None else -1  # -1: OSError, 80 columns
                columns = int(os.environ.get("COLUMNS") or os.get_terminal_size(out).columns)
            except (AttributeError, OSError, ValueError):
                columns = 80
            width = columns - 2
        super().__init__(prog, indent_increment, max_help_position, width)


def build_parser(only: str | None = ALL) -> argparse.ArgumentParser:
    """The parser; sub-command arguments for ``only`` (a command name, ALL, or None for none)."""
    parser = argparse.ArgumentParser(
        prog="nymble-desk",
        description="Take B2B orders for your customers against the Nymble Commerce API, from the keyboard.",
        formatter_class=_Formatter,
    )
    parser.add_argument("--version", action="version", version=f"nymble-desk {__version__}")
    parser.add_argument("--profile", default=None, help="saved profile to sign in with (default: the configured one)")
    parser.set_defaults(func=_handler("nymble_desk.tui.launch", "run_app"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (help_text, add_arguments, module, func) in COMMANDS.items():
        if only not in (ALL, None, name):
            # `nymble-desk run ...` needs the run parser only: each parser argparse builds asks gettext for
            # its texts, a search of the locale directories each time (~0.6 ms a parser, 10 of them)
            continue
        p = sub.add_parser(name, help=help_text, formatter_class=_Formatter)
        if only in (ALL, name):
            add_arguments(p)
        p.set_defaults(func=_handler(module, func))
    return parser


def command_of(argv: Sequence[str]) -> str | None:
    """The sub-command named in ``argv`` (skipping the top-level options), else None."""
    args = iter(argv)
    for arg in args:
        if arg == "--profile":
            next(args, None)
        elif arg in COMMANDS:
            return arg
        elif not arg.startswith("-"):
            return None  # a mistyped command: argparse reports it
    return None


def main(argv: Sequence[str] | None = None) -> int:
    given = list(sys.argv[1:] if argv is None else argv)
    if not given:
        # plain `nymble-desk`: straight to the TUI, without building every sub-command's parser (~11 ms)
        args = argparse.Namespace(profile=None, func=_handler("nymble_desk.tui.launch", "run_app"))
    else:
        args = build_parser(command_of(given)).parse_args(given)
    from nymble_desk.startup_errors import guarded  # stdlib only

    return guarded(lambda: args.func(args), f"nymble-desk {getattr(args, 'command', None) or 'run'}")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
