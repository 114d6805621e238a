"""`nymble-desk import FILE`: bulk-import orders from CSV or JSON.

Arguments read from the namespace (any may be absent): ``file``, ``profile``,
``dry_run`` (check the file, and the customers, SKUs and reps it names on the server,
read-only; send nothing), ``json`` (print the report as JSON), ``batch_size`` (default
200), ``fresh`` (resend what an earlier run sent), ``merge_duplicates``, ``timeout``,
``lookup_timeout``.

Exit codes: 0 every order imported (or ready, in a dry run); 1 some orders rejected;
2 the file cannot be read or there is no saved sign-in; 3 the run stopped early (rerun
to continue).  Progress goes to stderr, the one report to stdout.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO
from collections.abc import Callable

from nymble_desk.cli_args import IMPORT_LOOKUP_TIMEOUT as LOOKUP_TIMEOUT
from nymble_desk.cli_args import add_import_arguments
from nymble_desk.importer.batches import DEFAULT_BATCH_SIZE
from nymble_desk.importer.parse import ParseResult, parse_file
from nymble_desk.importer.quick_start import Collector, import_httpx
from nymble_desk.importer.report import ImportReport
from nymble_desk.importer.rows import ImportFileError

if TYPE_CHECKING:
    from nymble_desk.api.client import NymbleClient

EXIT_OK, EXIT_REJECTED, EXIT_UNUSABLE, EXIT_STOPPED = 0, 1, 2, 3
def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of the `import` sub-command (defined in ``nymble_desk.cli_args``, stdlib only)."""
    add_import_arguments(parser)


def _print_report(report: ImportReport, as_json: bool, out: TextIO) -> None:
    if as_json:
        report.write_json(out)
    else:
        report.write_text(out)
    out.write("\n")
    out.flush()


class NoSignIn(Exception):
    """No saved profile or secret to sign in with."""


def _client_from_profile(name: str | None, timeout: float | None = None) -> NymbleClient:
    """A NymbleClient for the saved profile; raises NoSignIn when there is none."""
    import_httpx()  # before the API client imports it: without httpx's command-line tool
    from nymble_desk.api import Credentials, NymbleClient
    from nymble_desk.config import ApiSettings, load_secret, load_settings
    from nymble_desk.demo_endpoint import DEMO_CLIENT, DEMO_ORG, DEMO_SECRET, demo_in_use, using_line

    if (demo := demo_in_use(name)) is not None:  # no profile saved and a demo runs: that demo
        sys.stderr.write(using_line(demo) + "\n")
        return NymbleClient(demo.url, Credentials(DEMO_ORG, DEMO_CLIENT, DEMO_SECRET),
                            timeout=timeout or ApiSettings().timeout)
    settings = load_settings()  # a bad setting: a LocalProblem naming it (one line, exit 2, see startup_errors)
    name = name or settings.profile
    profile = settings.profiles.get(name)
    secret = load_secret(name) if profile else None
    if profile is None or secret is None:
        raise NoSignIn(f"no saved sign-in for profile {name!r}; sign in with `nymble-desk` first")
    return NymbleClient(settings.base_url_for(profile),
                        Credentials(profile.org_code, profile.client_id, secret.get_secret_value()),
                        timeout=timeout or settings.api.timeout)


async def send(client: NymbleClient, parsed: ParseResult, args: argparse.Namespace,
               err: TextIO) -> tuple[ImportReport, int]:
    """Sign in with ``client`` (an unopened NymbleClient) and import; the report and exit code."""
    from nymble_desk.errors import ApiError
    from nymble_desk.importer.run import Progress, run_import

    def show(p: Progress) -> None:
        note = " (already sent earlier)" if p.skipped else ""
        print(f"batch {p.batch}/{p.batches}: {p.done}/{p.total} orders{note}", file=err, flush=True)

    async with client:
        try:
            await client.login()
        except ApiError as exc:
            report = ImportReport(parsed.source, warnings=list(parsed.warnings))
            report.reject_invalid(parsed.iter_rows(ok=False))
            print(f"nymble-desk import: cannot sign in: {exc.message}", file=err)
            return report, EXIT_STOPPED
        result = await run_import(client, parsed, batch_size=getattr(args, "batch_size", DEFAULT_BATCH_SIZE),
                                  progress=show, fresh=bool(getattr(args, "fresh", False)),
                                  lookup_timeout=getattr(args, "lookup_timeout", None) or LOOKUP_TIMEOUT)
    if not result.complete:
        print(f"nymble-desk import: {result.stopped_by}", file=err)
        return result.report, EXIT_STOPPED
    return result.report, EXIT_OK if result.report.ok else EXIT_REJECTED


async def dry_run(client: NymbleClient | None, parsed: ParseResult, why_not: str) -> ImportReport:
    """One report: the file's own problems, then (signed in) what the server would refuse."""
    from nymble_desk.errors import ApiError

    if client is not None:
        async with client:
            try:
                await client.login()
                from nymble_desk.importer.check import check_references

                report = ImportReport(parsed.source, warnings=list(parsed.warnings), dry_run=True,
                                      note=f"customers, SKUs and reps checked on {client.base_url}, read-only")
                report.reject_invalid(parsed.iter_rows(ok=False))
                await check_references(client, parsed, report)
                return report
            except ApiError as exc:
                why_not = f"not checked on the server: {exc.message}"
    report = ImportReport(parsed.source, warnings=list(parsed.warnings), dry_run=True,
                          note=f"the file only: customers, SKUs and reps {why_not}")
    report.reject_invalid(parsed.iter_rows(ok=False))
    from nymble_desk.importer.report import Outcome

    for row in parsed.iter_rows(ok=True):
        report.add(Outcome(row.external_id, "ready", None, (), row.lines))
    return report


def main(
    args: argparse.Namespace,
    *,
    make_client: Callable[[str | None], NymbleClient] | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    collector = Collector()
    collector.hold()  # start-up (imports, the file's first pass) makes no garbage worth a collection
    try:
        return _main(args, make_client, out or sys.stdout, err or sys.stderr, collector)
    finally:
        collector.finish()  # the exit leaves what the command built to the OS (quick_start)


def _main(args: argparse.Namespace, make_client: Callable[[str | None], NymbleClient] | None, out: TextIO,
          err: TextIO, collector: Collector) -> int:
    as_json = bool(getattr(args, "json", False))
    batch_size = getattr(args, "batch_size", DEFAULT_BATCH_SIZE)
    if not 1 <= batch_size <= 500:
        print(f"nymble-desk import: --batch-size must be 1 to 500 (the bulk endpoint's limit), not {batch_size}",
              file=err)
        return EXIT_UNUSABLE
    for flag in ("timeout", "lookup_timeout"):
        value = getattr(args, flag, None)
        if value is not None and not value > 0:
            print(f"nymble-desk import: --{flag.replace('_', '-')} must be a number of seconds above 0, "
                  f"not {value:g}", file=err)
            return EXIT_UNUSABLE
    try:
        parsed = parse_file(Path(args.file), merge_duplicates=bool(getattr(args, "merge_duplicates", False)))
    except ImportFileError as exc:
        print(f"nymble-desk import: {exc}", file=err)
        return EXIT_UNUSABLE
    timeout = getattr(args, "timeout", None)

    def build(profile: str | None) -> NymbleClient:
        return make_client(profile) if make_client is not None else _client_from_profile(profile, timeout)

    try:
        if getattr(args, "dry_run", False):
            try:
                client: NymbleClient | None = build(getattr(args, "profile", None))
                why_not = ""
            except NoSignIn as exc:
                client, why_not = None, f"not checked on the server: {exc}"
            collector.release()
            report = asyncio.run(dry_run(client, parsed, why_not))
            _print_report(report, as_json, out)
            return EXIT_OK if report.ok else EXIT_REJECTED
        try:
            client = build(getattr(args, "profile", None))
        except NoSignIn as exc:
            print(f"nymble-desk import: {exc}", file=err)
            return EXIT_UNUSABLE
        collector.release()  # the client and what it needs are imported: the run's own cycles are collected
        report, code = asyncio.run(send(client, parsed, args, err))
        _print_report(report, as_json, out)
        return code
    finally:
        parsed.close()
