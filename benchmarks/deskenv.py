"""A signed-in nymble-desk set up for a benchmark: its own dirs, a profile, a sandbox on loopback, drafts.

Everything lives under one temporary root; the environment returned is what the
app is started with (it reads its dirs from ``NYMBLE_DESK_*_DIR``).  The secret
goes to the 0600 secrets file (the keyring is switched off), as on a headless host.
"""

from __future__ import annotations

import asyncio
import os
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import common  # puts src/ on sys.path


def make_env(root: Path, term: str = "xterm-256color") -> dict[str, str]:
    env = dict(os.environ)
    for var in ("CONFIG", "DATA", "LOG"):
        env[f"NYMBLE_DESK_{var}_DIR"] = str(root / var.lower())
    env["HOME"] = str(root / "home")
    env["XDG_CONFIG_HOME"] = str(root / "xdg-config")
    env["XDG_DATA_HOME"] = str(root / "xdg-data")
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    env["TERM"] = term
    for var in ("NO_COLOR", "TEXTUAL_THEME", "TEXTUAL", "COLORTERM"):
        env.pop(var, None)
    # This process writes the profile and drafts, so it must see the same dirs.
    os.environ.update({k: v for k, v in env.items() if k.startswith(("NYMBLE_DESK_", "PYTHON_KEYRING", "XDG_"))})
    os.environ["HOME"] = env["HOME"]
    return env


def start_sandbox(root: Path, customers: int = 50, products: int = 100) -> Any:
    from nymble_desk.sandbox.server import start_in_thread

    return start_in_thread(root / "sandbox", customers=customers, products=products)


def save_profile(base_url: str, client_id: str = "demo-rep") -> None:
    from nymble_desk.config import save_profile as save

    save("bench", org_code="DEMO", client_id=client_id, secret=f"{client_id}-secret", base_url=base_url)


def products(base_url: str, n: int, client_id: str = "demo-rep") -> list[Any]:
    """The first ``n`` active products the API lists (as API models)."""
    from nymble_desk.api import Credentials, NymbleClient

    async def fetch() -> list[Any]:
        async with NymbleClient(base_url, Credentials("DEMO", client_id, f"{client_id}-secret")) as client:
            page = await client.products.search(page_size=min(1000, n * 2), sort_on="sku", sort_direction="asc")
            return [p for p in page.items if p.active][:n]

    return asyncio.run(fetch())


def store() -> Any:
    from nymble_desk import paths
    from nymble_desk.drafts.store import DraftStore

    paths.ensure(paths.data_dir())
    return DraftStore(paths.drafts_db_path())


def add_lines(draft_store: Any, draft_id: str, items: list[Any]) -> None:
    for p in items:
        qty = max(p.minimum_order_quantity, p.quantity_increment)
        draft_store.set_line(draft_id, p.sku, qty, name=p.name or p.sku, unit_price=Decimal(p.price),
                             minimum=p.minimum_order_quantity, increment=p.quantity_increment, upc=p.upc)


def mark_all_synced(draft_store: Any) -> None:
    """As if every draft had been sent already: the app then starts with nothing to send."""
    for op in draft_store.pending_ops():
        draft_store.complete_op(op.id)
    for draft in draft_store.list_drafts():
        draft_store.set_state(draft.id, "synced")


def nymble_desk_argv() -> list[str]:
    script = Path(sys.executable).with_name("nymble-desk")
    return [str(script)] if script.exists() else [common.python(), "-m", "nymble_desk"]
