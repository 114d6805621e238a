"""What every test shares: its own config, data and log dirs, and the sandbox fixtures.

The sandbox (customers=50, products=100) is seeded once per session (per xdist worker) and copied per
test (``sandbox_copy``): every test directory uses these three fixtures, none seeds its own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sandbox_copy import copy_sandbox

SANDBOX_SIZES = {"customers": 50, "products": 100}


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


@pytest.fixture(scope="session")
def sandbox_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A seeded sandbox data dir, made once per session (per xdist worker)."""
    from nymble_desk.sandbox import create_app

    root = tmp_path_factory.mktemp("sandbox-template")
    create_app(root, **SANDBOX_SIZES)
    return root


@pytest.fixture
def sandbox_dir(sandbox_template: Path, tmp_path: Path) -> Path:
    """A per-test copy of the seeded template (same data, same token secret)."""
    return copy_sandbox(sandbox_template, tmp_path / "sandbox")


@pytest.fixture
def sandbox_app(sandbox_dir: Path) -> Any:
    """The real sandbox over this test's copy, for ``httpx.ASGITransport``."""
    from nymble_desk.sandbox import create_app

    return create_app(sandbox_dir, **SANDBOX_SIZES)
