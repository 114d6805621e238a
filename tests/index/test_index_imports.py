"""The index is cheap to import: the standard library only (no Textual, httpx, pydantic or FastAPI)."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("textual", "httpx", "pydantic", "fastapi", "nymble_desk.api", "nymble_desk.sandbox")


def loaded_after(statement: str) -> set[str]:
    code = f"import sys, json\n{statement}\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout))


def test_searching_needs_only_the_standard_library() -> None:
    mods = loaded_after("from nymble_desk.index import SearchIndex, CustomerHit, ProductHit, Freshness")
    assert not {m for m in mods if m.split(".")[0] in HEAVY or m.startswith(HEAVY)}


def test_the_refresher_leaves_the_api_layer_until_it_filters() -> None:
    mods = loaded_after("from nymble_desk.index.refresh import Refresher")
    assert "textual" not in mods and "fastapi" not in mods and "nymble_desk.api" not in mods
