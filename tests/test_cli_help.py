"""`nymble-desk --help` and every sub-command's `--help` import only the parser's own stdlib modules.

What is imported is what costs the time (the benchmark is benchmarks/cli_help.py): each `--help`
runs in a fresh interpreter, which reports `sys.modules` as it exits.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from nymble_desk import cli
from nymble_desk.cli_args import IMPORT_BATCH_SIZE

PROBE = (
    "import atexit, json, sys\n"
    "atexit.register(lambda: sys.__stderr__.write('MODULES ' + json.dumps(sorted(sys.modules)) + '\\n'))\n"
    "sys.argv = ['nymble-desk'] + {argv!r}\n"
    "from nymble_desk.cli import main\n"
    "sys.exit(main())\n"
)
HEAVY = {"asyncio", "pathlib", "typing", "decimal", "sqlite3", "textual", "httpx", "pydantic", "fastapi", "ssl",
         "shutil", "lzma", "bz2"}


def modules_after(argv: list[str]) -> set[str]:
    result = subprocess.run([sys.executable, "-c", PROBE.format(argv=argv)], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    line = next(x for x in result.stderr.splitlines() if x.startswith("MODULES "))
    return set(json.loads(line.removeprefix("MODULES ")))


@pytest.mark.parametrize("command", [None, *cli.COMMANDS])
def test_help_imports_nothing_but_the_parser(command: str | None) -> None:
    modules = modules_after(([command] if command else []) + ["--help"])
    ours = {m for m in modules if m.startswith("nymble_desk")}
    assert ours <= {"nymble_desk", "nymble_desk.cli", "nymble_desk.cli_args"}, ours
    assert not HEAVY & {m.split(".")[0] for m in modules}, HEAVY & {m.split(".")[0] for m in modules}


def test_every_command_still_parses_its_arguments() -> None:
    parser = cli.build_parser()  # ALL: what tests and docs use
    args = parser.parse_args(["orders", "--status", "Shipped", "--asc"])
    assert (args.status, args.asc, args.command) == ("Shipped", True, "orders")
    args = parser.parse_args(["import", "orders.csv", "--dry-run"])
    assert str(args.file) == "orders.csv" and args.dry_run and args.batch_size == IMPORT_BATCH_SIZE
    args = cli.build_parser("demo").parse_args(["demo", "--port", "0", "--no-tui"])
    assert args.no_tui and args.port == 0


def test_command_of_skips_top_level_options() -> None:
    assert cli.command_of(["--profile", "orders", "invoices", "--help"]) == "invoices"
    assert cli.command_of(["--help"]) is None
    assert cli.command_of(["nosuch"]) is None


def test_import_default_batch_size_is_the_importers() -> None:
    from nymble_desk.importer.batches import DEFAULT_BATCH_SIZE

    assert IMPORT_BATCH_SIZE == DEFAULT_BATCH_SIZE


def test_import_help_constants_are_the_importers() -> None:
    from nymble_desk import cli_args
    from nymble_desk.importer.existing import LOOKUP_TIMEOUT
    from nymble_desk.importer.parse import CSV_COLUMNS, REQUIRED_COLUMNS

    assert cli_args.IMPORT_LOOKUP_TIMEOUT == LOOKUP_TIMEOUT
    assert cli_args.IMPORT_CSV_COLUMNS == CSV_COLUMNS
    assert cli_args.IMPORT_REQUIRED_COLUMNS == REQUIRED_COLUMNS
