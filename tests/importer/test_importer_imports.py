"""The importer is core code: importing all of it loads neither Textual nor the sandbox."""

from __future__ import annotations

import json
import subprocess
import sys


def test_importer_modules_load_no_textual_fastapi_or_sandbox():
    code = (
        "import importlib, json, pkgutil, sys, nymble_desk.importer as pkg\n"
        "for info in pkgutil.walk_packages(pkg.__path__, 'nymble_desk.importer.'):\n"
        "    importlib.import_module(info.name)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    modules = set(json.loads(result.stdout.strip().splitlines()[-1]))
    assert "nymble_desk.importer.run" in modules and "nymble_desk.importer.cli" in modules
    assert {"textual", "fastapi", "starlette", "uvicorn"}.isdisjoint({m.split(".")[0] for m in modules})
    assert not any(m.startswith(("nymble_desk.sandbox", "nymble_desk.tui")) for m in modules)
