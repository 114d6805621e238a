"""Test isolation shared by every test: each test gets its own config, data and log dirs."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for var in ("CONFIG", "DATA", "LOG"):
        monkeypatch.setenv(f"NYMBLE_DESK_{var}_DIR", str(tmp_path / var.lower()))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    for var in ("NO_COLOR", "TEXTUAL_THEME"):
        monkeypatch.delenv(var, raising=False)
    return tmp_path
