"""What the sign-in screen is prefilled with, read without pydantic (standard library only).

The sign-in screen is a first screen: importing pydantic and pydantic-settings to
validate the settings cost more than a bare Textual app's whole start (issue #17).
This reads the same sources :class:`nymble_desk.config.Settings` does for the few
values the form shows (``NYMBLE_DESK_*`` variables over ``config.toml``), and never
raises: a file or value it cannot use gives the defaults here, and the full
validation after the first frame names the problem (LocalProblemScreen).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass

from nymble_desk import paths

DEFAULT_BASE_URL = "http://127.0.0.1:8765"  # nymble_desk.config.DEFAULT_BASE_URL (a test keeps them equal)


@dataclass(frozen=True)
class SignInPrefill:
    """The sign-in form's starting values (the secret is never prefilled)."""

    org_code: str
    client_id: str
    base_url: str
    profile: str


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _table(value: object) -> dict[str, object]:
    return value if isinstance(value, dict) else {}


def sign_in_prefill(profile: str | None = None) -> SignInPrefill:
    """The active profile's org code, client id and base URL (the API's when the profile has none)."""
    try:
        with (paths.config_dir() / "config.toml").open("rb") as f:
            data = tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError, ValueError):
        data = {}
    env = os.environ
    name = profile or env.get("NYMBLE_DESK_PROFILE") or _text(data.get("profile")) or "default"
    saved = _table(_table(data.get("profiles")).get(name))
    api_url = env.get("NYMBLE_DESK_API__BASE_URL") or _text(_table(data.get("api")).get("base_url"))
    return SignInPrefill(
        org_code=_text(saved.get("org_code")),
        client_id=_text(saved.get("client_id")),
        base_url=_text(saved.get("base_url")) or api_url or DEFAULT_BASE_URL,
        profile=name,
    )
