"""Start the TUI for `nymble-desk` (run_app); `nymble-desk demo` starts in ``nymble_desk.demo_launch``.

The first screen waits for as little as possible: with a saved profile the app
starts on the local draft cache (stdlib sqlite3) and a :class:`DeferredDesk`;
settings validation (pydantic), the API client (httpx) and the sync engine are
built right after the first frame, in a thread. Nothing here imports the sandbox.
"""

from __future__ import annotations

import argparse
import os
import sys
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any
from collections.abc import Callable

from nymble_desk import gc_pause, paths
from nymble_desk.tui.deferred_desk import DeferredDesk as DeferredDesk  # re-exported: launch builds one

if TYPE_CHECKING:
    from nymble_desk.tui.app import NymbleApp


def setup_logging() -> Path:
    """Send log records (and every traceback) to the rotating log file (startup_errors.open_log, the one
    place that attaches it)."""
    from nymble_desk.startup_errors import open_log  # stdlib only

    return open_log()


def quick_profile(requested: str | None) -> tuple[str, bool]:
    """(profile name, whether it is saved with a secret), read without pydantic.

    Validation of the whole file happens after the first frame (see NymbleApp.settings);
    a file that is not even TOML is reported here, before the screen is taken over.
    """
    from nymble_desk.config_secrets import has_secret

    path = paths.config_dir() / "config.toml"
    data: dict[str, Any] = {}
    if path.exists():
        with path.open("rb") as f:
            data = tomllib.load(f)
    name = requested or os.environ.get("NYMBLE_DESK_PROFILE") or str(data.get("profile") or "default")
    profiles = data.get("profiles")
    saved = isinstance(profiles, dict) and isinstance(profiles.get(name), dict) and has_secret(name)
    return name, bool(saved)


def _desk_for_profile(name: str) -> Callable[[Any], Any]:
    def build(store: Any) -> Any:
        from nymble_desk.config import load_secret, load_settings
        from nymble_desk.sync.connect import ProfileUnusable, build_desk  # after the first frame, in a thread

        try:
            settings = load_settings()  # a LocalProblem names the key at fault
            profile = settings.profiles[name]
            secret = load_secret(name)
            if secret is None:
                raise LookupError(f"no secret saved for profile {name!r}")
        except Exception as exc:
            raise ProfileUnusable(str(exc)) from exc
        return build_desk(settings.base_url_for(profile), profile.org_code, profile.client_id,
                          secret.get_secret_value(), timeout=settings.api.timeout, store=store)

    return build


def build_app(args: argparse.Namespace) -> NymbleApp:
    """The app `nymble-desk` runs (tests drive it with run_test). A bad config file raises a LocalProblem
    before the screen is taken over; a damaged drafts file starts the app on LocalProblemScreen instead."""
    from nymble_desk.config_problems import decode_problem, toml_problem
    from nymble_desk.drafts.health import DraftsDamaged
    from nymble_desk.drafts.store import DraftStore
    from nymble_desk.tui.app import NymbleApp

    try:
        name, saved = quick_profile(getattr(args, "profile", None))
    except tomllib.TOMLDecodeError as exc:
        raise toml_problem(exc) from exc
    except UnicodeDecodeError as exc:
        raise decode_problem(exc) from exc

    def reopen() -> Any:
        if not saved:
            return None
        paths.ensure(paths.data_dir())
        return DeferredDesk(DraftStore(), _desk_for_profile(name))

    try:
        desk = reopen()
    except DraftsDamaged as damage:
        app = NymbleApp(None, None, signed_in=False, profile=name)
        app.local_problem = damage
    else:
        app = NymbleApp(desk, None, signed_in=saved, profile=name)
        from nymble_desk.drafts.health import probe

        if not saved and (reason := probe(paths.drafts_db_path())) is not None:
            app.local_problem = DraftsDamaged(paths.drafts_db_path(), reason)
    app.reopen_drafts = reopen
    return app


def run_app(args: argparse.Namespace) -> int:
    setup_logging()
    gc_pause.pause()  # until the first frame (NymbleApp resumes it): see gc_pause
    try:
        app = build_app(args)
        app.run()
    finally:
        gc_pause.resume()
    if app.exit_line:  # quit with a bad local file or setting unresolved
        print(app.exit_line, file=sys.stderr)
        return 2
    return int(app.return_code or 0)
