"""The layers stay apart: the core never pulls in Textual or FastAPI, the TUI never the sandbox.

Checked twice: at run time in a fresh interpreter (what `sys.modules` holds after
the imports) and statically over the source (what each file imports, anywhere).
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

import nymble_desk

SRC = Path(nymble_desk.__file__).parent
CORE = ["nymble_desk.domain", "nymble_desk.api", "nymble_desk.drafts", "nymble_desk.sync",
        "nymble_desk.config", "nymble_desk.paths", "nymble_desk.cli"]


def loaded_after(code: str) -> set[str]:
    probe = code + "\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))\n"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


def top(modules: set[str]) -> set[str]:
    return {m.split(".")[0] for m in modules}


def test_core_packages_and_all_their_modules_import_no_textual_or_fastapi() -> None:
    code = (
        "import importlib, pkgutil\n"
        f"for name in {CORE!r}:\n"
        "    mod = importlib.import_module(name)\n"
        "    if hasattr(mod, '__path__'):\n"
        "        for info in pkgutil.walk_packages(mod.__path__, name + '.'):\n"
        "            importlib.import_module(info.name)\n"
    )
    modules = loaded_after(code)
    assert "nymble_desk.cli" in modules
    assert {"textual", "fastapi", "uvicorn", "starlette"}.isdisjoint(top(modules))
    assert not any(m.startswith(("nymble_desk.tui", "nymble_desk.sandbox")) for m in modules)


@pytest.mark.parametrize("module", ["nymble_desk.tui.app", "nymble_desk.tui.launch"])
def test_tui_start_imports_no_sandbox_or_fastapi(module: str) -> None:
    modules = loaded_after(f"import {module}")
    if module.endswith(".app"):
        assert "textual" in top(modules)
    assert {"fastapi", "uvicorn", "starlette"}.isdisjoint(top(modules))
    assert not any(m.startswith("nymble_desk.sandbox") for m in modules)


def imports_of(path: Path, *, top_level_only: bool = False) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    names: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_tui_sources_never_import_httpx_and_the_sandbox_only_lazily() -> None:
    files = sorted((SRC / "tui").rglob("*.py"))
    assert files
    for path in files:
        anywhere = imports_of(path)
        assert not any(n == "httpx" or n.startswith("httpx.") for n in anywhere), path
        module_level = imports_of(path, top_level_only=True)
        assert not any(n.startswith("nymble_desk.sandbox") or n.split(".")[0] == "fastapi" for n in module_level), path


def test_core_sources_never_import_textual() -> None:
    files = [SRC / "config.py", SRC / "config_secrets.py", SRC / "paths.py", SRC / "cli.py"]
    for package in ("domain", "api", "drafts", "sync"):
        files += sorted((SRC / package).rglob("*.py"))
    for path in files:
        if path.exists():
            assert not any(n.split(".")[0] == "textual" for n in imports_of(path)), path
