"""Settings, saved profiles and where the client secret lives.

Settings come from, highest first: arguments to ``Settings(...)``, ``NYMBLE_DESK_*``
environment variables (nested with ``__``: ``NYMBLE_DESK_API__BASE_URL``), then
``config.toml`` in :func:`nymble_desk.paths.config_dir`, then the defaults below.
Unknown keys are an error, so a typo in config.toml is reported instead of ignored.

A profile names an organisation, an API client id and a base URL. Its secret is
never in config.toml: see :mod:`nymble_desk.config_secrets`.
"""

from __future__ import annotations

import logging
import os
import tomllib
from pathlib import Path
from typing import Any

from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)
from pydantic_settings.exceptions import SettingsError

from nymble_desk import paths
from nymble_desk.config_problems import decode_problem, toml_problem, validation_problem
from nymble_desk.config_secrets import delete_secret, load_secret, store_secret
from nymble_desk.startup_errors import LocalProblem, path_problem

__all__ = [
    "ApiSettings",
    "Profile",
    "Settings",
    "config_path",
    "delete_secret",
    "load_secret",
    "load_settings",
    "save_profile",
    "store_secret",
]

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "http://127.0.0.1:8765"


def config_path() -> Path:
    return paths.config_dir() / "config.toml"


def check_base_url(value: str | None) -> str | None:
    """An http(s) URL with a host, or a ValueError saying what to write."""
    if value is None:
        return None
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("is not an http:// or https:// URL with a host, e.g. http://127.0.0.1:8765")
    return value


class ApiSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    base_url: str = DEFAULT_BASE_URL
    timeout: float = Field(default=10.0, gt=0)

    @field_validator("base_url")
    @classmethod
    def valid_base_url(cls, value: str | None) -> str | None:
        return check_base_url(value)


class Profile(BaseModel):
    """A saved sign-in: everything but the secret."""

    model_config = ConfigDict(extra="forbid")

    org_code: str = Field(min_length=1)
    client_id: str = Field(min_length=1)
    base_url: str | None = None

    @field_validator("base_url")
    @classmethod
    def valid_base_url(cls, value: str | None) -> str | None:
        return check_base_url(value)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="NYMBLE_DESK_",
        env_nested_delimiter="__",
        extra="forbid",
    )

    api: ApiSettings = ApiSettings()
    profile: str = "default"
    profiles: dict[str, Profile] = {}
    keymap: dict[str, str] = {}
    theme: str = "textual-dark"
    #: Take orders as "TradeShow", "Phone", ... from the start (orderType Assisted); None: off (tui/session_mode.py)
    session_channel: str | None = None

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # config_path() is read on every Settings() so a moved config dir is honoured.
        return init_settings, env_settings, TomlConfigSettingsSource(settings_cls, toml_file=config_path())

    def active_profile(self) -> Profile | None:
        return self.profiles.get(self.profile)

    def base_url_for(self, profile: Profile | None = None) -> str:
        profile = profile if profile is not None else self.active_profile()
        return (profile.base_url if profile and profile.base_url else None) or self.api.base_url


def load_settings(**overrides: Any) -> Settings:
    """Settings(), with anything wrong in config.toml or NYMBLE_DESK_* as one LocalProblem naming it."""
    path = config_path()
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        raise validation_problem(exc.errors(include_url=False), path) from exc
    except tomllib.TOMLDecodeError as exc:
        raise toml_problem(exc, path) from exc
    except UnicodeDecodeError as exc:
        raise decode_problem(exc, path) from exc
    except SettingsError as exc:  # e.g. NYMBLE_DESK_PROFILES=3: not JSON for a table
        cause = exc.__cause__ or exc
        raise LocalProblem("NYMBLE_DESK_* environment", _first_line(str(exc)),
                           f"fix or unset the variable ({type(cause).__name__})") from exc


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else "not valid"


# --- writing config.toml ------------------------------------------------------

def _toml_key(key: str) -> str:
    bare = key and all(c.isalnum() or c in "-_" for c in key)
    return key if bare else _toml_value(key)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
        return f'"{escaped}"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} to config.toml")


def _dump_toml(data: dict[str, Any], prefix: str = "") -> str:
    scalars = [(k, v) for k, v in data.items() if not isinstance(v, dict)]
    tables = [(k, v) for k, v in data.items() if isinstance(v, dict)]
    out = [f"{_toml_key(k)} = {_toml_value(v)}\n" for k, v in scalars]
    for key, table in tables:
        name = f"{prefix}.{_toml_key(key)}" if prefix else _toml_key(key)
        has_scalars = any(not isinstance(v, dict) for v in table.values())
        if has_scalars or not table:
            out.append(f"\n[{name}]\n")
        out.append(_dump_toml(table, name))
    return "".join(out)


def read_config_file(path: Path | None = None) -> dict[str, Any]:
    path = path or config_path()
    if not path.exists():
        return {}
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except tomllib.TOMLDecodeError as exc:
        raise toml_problem(exc, path) from exc
    except UnicodeDecodeError as exc:
        raise decode_problem(exc, path) from exc


def write_config_file(data: dict[str, Any], path: Path | None = None) -> Path:
    """Write ``data`` as config.toml atomically (comments in an old file are not kept)."""
    path = path or config_path()
    paths.ensure(path.parent)
    tmp = path.with_suffix(".toml.tmp")
    tmp.write_text(_dump_toml(data).lstrip("\n"), encoding="utf-8")
    os.replace(tmp, path)
    return path


def save_profile(
    name: str,
    *,
    org_code: str,
    client_id: str,
    secret: str | SecretStr | None = None,
    base_url: str | None = None,
    make_default: bool = True,
) -> str | None:
    """Save a profile in config.toml and its secret in the keyring or the 0600 file.

    Returns where the secret went (``"keyring"`` or ``"file"``), or None when no
    secret was given. The secret is never written to config.toml.
    """
    profile = Profile(org_code=org_code, client_id=client_id, base_url=base_url or None)
    data = read_config_file()
    data.setdefault("profiles", {})[name] = profile.model_dump(exclude_none=True)
    if make_default:
        data["profile"] = name
    load_settings()  # fail early (one line naming it) if config.toml or the environment is broken
    try:
        write_config_file(data)
        where = None
        if secret is not None:
            where = store_secret(name, secret.get_secret_value() if isinstance(secret, SecretStr) else secret)
    except OSError as exc:  # a read-only config dir: say where, not "cannot reach the API"
        problem = path_problem(exc)
        if problem is None:
            raise
        raise problem from exc
    log.info("saved profile %s (org %s, client %s); secret in %s", name, org_code, client_id, where or "-")
    return where
