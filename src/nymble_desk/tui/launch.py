"""Start the TUI: `nymble-desk` (run_app) and `nymble-desk demo` (run_demo).

Nothing here imports the sandbox (FastAPI) except run_demo, lazily.
"""

from __future__ import annotations

import argparse
import logging
import logging.handlers
import sys
import threading
from pathlib import Path
from typing import Any

from nymble_desk import paths

log = logging.getLogger("nymble_desk")

DEMO_ORG, DEMO_CLIENT, DEMO_SECRET = "DEMO", "demo-rep", "demo-rep-secret"


def setup_logging() -> Path:
    """Send log records (and every traceback) to a rotating file under the log dir."""
    path = paths.ensure(paths.log_dir()) / "nymble-desk.log"
    if not any(getattr(h, "baseFilename", None) == str(path) for h in log.handlers):
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
    return path


def build_desk(base_url: str, org_code: str, client_id: str, client_secret: str, *,
               timeout: float = 10.0, drafts_path: Path | None = None) -> Any:
    from nymble_desk.api import Credentials, NymbleClient
    from nymble_desk.drafts.store import DraftStore
    from nymble_desk.sync.desk import Desk

    client = NymbleClient(base_url, Credentials(org_code, client_id, client_secret), timeout=timeout)
    return Desk(client, DraftStore(drafts_path))


def _settings() -> Any:
    from pydantic import ValidationError

    from nymble_desk.config import Settings, config_path

    try:
        return Settings()
    except ValidationError as exc:
        print(f"nymble-desk: {config_path()} or NYMBLE_DESK_* settings are not valid:\n{exc}", file=sys.stderr)
        return None


def run_app(args: argparse.Namespace) -> int:
    setup_logging()
    settings = _settings()
    if settings is None:
        return 2
    from nymble_desk.config import load_secret
    from nymble_desk.tui.app import NymbleApp

    name = getattr(args, "profile", None) or settings.profile
    if name != settings.profile:
        settings = settings.model_copy(update={"profile": name})
    profile = settings.profiles.get(name)
    secret = load_secret(name) if profile else None
    if profile is not None and secret is not None:
        desk = build_desk(settings.base_url_for(profile), profile.org_code, profile.client_id,
                          secret.get_secret_value(), timeout=settings.api.timeout)
        app = NymbleApp(desk, settings, signed_in=True, profile=name)
    else:
        app = NymbleApp(None, settings, signed_in=False, profile=name)
    app.run()
    return int(app.return_code or 0)


def run_demo(args: argparse.Namespace) -> int:
    setup_logging()
    from nymble_desk.sandbox.server import start_in_thread

    data_dir = Path(args.data_dir) if getattr(args, "data_dir", None) else paths.data_dir() / "demo"
    sizes = {k: v for k in ("customers", "products") if (v := getattr(args, k, None)) is not None}
    paths.ensure(data_dir)
    server = start_in_thread(data_dir, port=getattr(args, "port", 0) or 0, **sizes)
    try:
        print(f"Nymble Commerce sandbox at {server.base_url}")
        print(f"  org {DEMO_ORG}  client {DEMO_CLIENT}  secret {DEMO_SECRET}  (SalesRep REP-007)")
        print("  also demo-admin / demo-admin-secret, demo-customer / demo-customer-secret")
        if getattr(args, "no_tui", False):
            print("Press Ctrl+C to stop.", flush=True)
            stop = threading.Event()
            try:
                while not stop.wait(0.5):
                    pass
            except KeyboardInterrupt:
                pass
            return 0
        settings = _settings()
        if settings is None:
            return 2
        from nymble_desk.tui.app import NymbleApp

        desk = build_desk(server.base_url, DEMO_ORG, DEMO_CLIENT, DEMO_SECRET,
                          timeout=settings.api.timeout, drafts_path=data_dir / "drafts.sqlite3")
        app = NymbleApp(desk, settings.model_copy(update={"profile": "demo"}), signed_in=True, profile="demo")
        app.run()
        return int(app.return_code or 0)
    finally:
        server.stop()
