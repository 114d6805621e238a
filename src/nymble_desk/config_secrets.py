"""Client secrets: the system keyring first, else a 0600 JSON file in the config dir.

The keyring is trusted only after a write is read back: the null backend drops
writes and headless or SSH hosts raise ``KeyringError``. A secret never reaches
config.toml or a log line.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

from nymble_desk import paths

if TYPE_CHECKING:
    from pydantic import SecretStr

log = logging.getLogger(__name__)

SERVICE = "nymble-desk"


def secrets_path() -> Path:
    return paths.config_dir() / "secrets.json"


def _keyring_set(profile: str, secret: str) -> bool:
    try:
        import keyring
        from keyring.errors import KeyringError

        try:
            keyring.set_password(SERVICE, profile, secret)
            return keyring.get_password(SERVICE, profile) == secret
        except KeyringError as exc:
            log.info("keyring unavailable (%s); using the secrets file", type(exc).__name__)
            return False
    except Exception as exc:  # a broken backend (dbus, locked store) must not stop sign-in
        log.warning("keyring failed (%s); using the secrets file", type(exc).__name__)
        return False


def _keyring_get(profile: str) -> str | None:
    try:
        import keyring

        return keyring.get_password(SERVICE, profile)
    except Exception as exc:
        log.info("keyring read failed (%s)", type(exc).__name__)
        return None


def _keyring_delete(profile: str) -> None:
    try:
        import keyring

        keyring.delete_password(SERVICE, profile)
    except Exception:
        pass  # nothing stored there, or no usable keyring


def _read_file() -> dict[str, str]:
    path = secrets_path()
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        log.warning("cannot read %s (%s)", path, type(exc).__name__)
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _write_file(data: dict[str, str]) -> None:
    path = secrets_path()
    paths.ensure(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.chmod(path, 0o600)  # O_CREAT's mode only applies to a new file
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(data, f)


def store_secret(profile: str, secret: str) -> str:
    """Store the secret of ``profile``; returns ``"keyring"`` or ``"file"``."""
    if _keyring_set(profile, secret):
        data = _read_file()
        if data.pop(profile, None) is not None:
            _write_file(data)
        return "keyring"
    data = _read_file()
    data[profile] = secret
    _write_file(data)
    return "file"


def _lookup(profile: str) -> str | None:
    # At most one place holds a secret (a keyring save removes it from the file), so the
    # cheap file is read first and the keyring (slow to import) only when the file has none.
    value = _read_file().get(profile)
    return value if value is not None else _keyring_get(profile)


def has_secret(profile: str) -> bool:
    """Whether a secret is saved for ``profile`` (without importing pydantic)."""
    return _lookup(profile) is not None


def load_secret(profile: str) -> SecretStr | None:
    from pydantic import SecretStr

    value = _lookup(profile)
    return SecretStr(value) if value is not None else None


def delete_secret(profile: str) -> None:
    _keyring_delete(profile)
    data = _read_file()
    if data.pop(profile, None) is not None:
        _write_file(data)
