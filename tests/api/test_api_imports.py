"""The client's models and errors import without httpx; the client never imports Textual or the sandbox."""

from __future__ import annotations

import json
import subprocess
import sys


def modules_after(code: str) -> set[str]:
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True)
    return {m.split(".")[0] for m in json.loads(out.stdout)} | set(json.loads(out.stdout))


def test_models_errors_paging_without_httpx() -> None:
    loaded = modules_after("import nymble_desk.api.models, nymble_desk.api.errors, nymble_desk.api.paging")
    assert "httpx" not in loaded and "pydantic" in loaded


def test_whole_client_without_textual_or_sandbox() -> None:
    loaded = modules_after("from nymble_desk.api import NymbleClient\nimport nymble_desk.api.client")
    assert "httpx" in loaded
    assert {"textual", "fastapi", "starlette", "uvicorn"}.isdisjoint(loaded)
    assert not any(m.startswith(("nymble_desk.sandbox", "nymble_desk.tui")) for m in loaded)
