"""`nymble-desk import FILE`: bulk-import orders from CSV or JSON.

Arguments read from the namespace (any may be absent): ``file``, ``profile``,
``dry_run`` (validate only, send nothing), ``json`` (print the report as JSON),
``batch_size`` (default 200), ``fresh`` (forget the checkpoint and resend everything).

Exit codes: 0 every order imported; 1 some orders rejected; 2 the file cannot be read
or there is no saved sign-in; 3 the run stopped early (rerun to continue).
Progress goes to stderr, the report to stdout.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any, Callable, TextIO

from nymble_desk.cli_args import add_import_arguments
from nymble_desk.importer.batches import DEFAULT_BATCH_SIZE
from nymble_desk.importer.parse import ParseResult, parse_file
from nymble_desk.importer.report import ImportReport
from nymble_desk.importer.rows import ImportFileError

EXIT_OK, EXIT_REJECTED, EXIT_UNUSABLE, EXIT_STOPPED = 0, 1, 2, 3


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of the `import` sub-command (defined in ``nymble_desk.cli_args``, stdlib only)."""
    add_import_arguments(parser)


def _print_report(report: ImportReport, as_json: bool, out: TextIO) -> None:
    print(report.to_json() if as_json else report.to_text(), file=out)


class NoSignIn(Exception):
    """No saved profile or secret to sign in with."""


def _client_from_profile(name: str | None) -> Any:
    """A NymbleClient for the saved profile; raises NoSignIn when there is none."""
    from nymble_desk.api import Credentials, NymbleClient
    from nymble_desk.config import Settings, load_secret

    from pydantic import ValidationError

    try:
        settings = Settings()
    except ValidationError as exc:
        raise NoSignIn(f"the settings are not valid:\n{exc}") from None
    name = name or settings.profile
    profile = settings.profiles.get(name)
    secret = load_secret(name) if profile else None
    if profile is None or secret is None:
        raise NoSignIn(f"no saved sign-in for profile {name!r}; sign in with `nymble-desk` first")
    return NymbleClient(settings.base_url_for(profile),
                        Credentials(profile.org_code, profile.client_id, secret.get_secret_value()),
                        timeout=settings.api.timeout)


async def send(client: Any, parsed: ParseResult, args: argparse.Namespace, err: TextIO) -> tuple[ImportReport, int]:
    """Sign in with ``client`` (an unopened NymbleClient) and import; the report and exit code."""
    from nymble_desk.api.errors import ApiError
    from nymble_desk.importer.run import Progress, run_import

    def show(p: Progress) -> None:
        note = " (already sent earlier)" if p.skipped else ""
        print(f"batch {p.batch}/{p.batches}: {p.done}/{p.total} orders{note}", file=err, flush=True)

    async with client:
        try:
            await client.login()
        except ApiError as exc:
            report = ImportReport(parsed.source, warnings=list(parsed.warnings))
            report.reject_invalid(parsed.rows)
            print(f"nymble-desk import: cannot sign in: {exc.message}", file=err)
            return report, EXIT_STOPPED
        result = await run_import(client, parsed, batch_size=getattr(args, "batch_size", DEFAULT_BATCH_SIZE),
                                  progress=show, fresh=bool(getattr(args, "fresh", False)))
    if not result.complete:
        print(f"nymble-desk import: {result.stopped_by}", file=err)
        return result.report, EXIT_STOPPED
    return result.report, EXIT_OK if result.report.ok else EXIT_REJECTED


def main(
    args: argparse.Namespace,
    *,
    make_client: Callable[[str | None], Any] | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    as_json = bool(getattr(args, "json", False))
    try:
        parsed = parse_file(Path(args.file))
    except ImportFileError as exc:
        print(f"nymble-desk import: {exc}", file=err)
        return EXIT_UNUSABLE
    if getattr(args, "dry_run", False):
        report = ImportReport(parsed.source, warnings=list(parsed.warnings))
        report.reject_invalid(parsed.rows)
        valid = len(parsed.valid)
        print(f"{parsed.source}: {valid} of {len(parsed.rows)} orders ready to send (dry run: nothing sent)", file=err)
        _print_report(report, as_json, out)
        return EXIT_OK if report.ok else EXIT_REJECTED
    try:
        client = (make_client or _client_from_profile)(getattr(args, "profile", None))
    except NoSignIn as exc:
        print(f"nymble-desk import: {exc}", file=err)
        return EXIT_UNUSABLE
    report, code = asyncio.run(send(client, parsed, args, err))
    _print_report(report, as_json, out)
    return code
