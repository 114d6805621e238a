"""The import contracts: the layers of docs/architecture.md, checked over the source's AST.

Every ``import`` in every module counts, at module level or inside a function (a lazy import is still a
dependency). Imports under ``if TYPE_CHECKING:`` count for the cycle check; for the layer rules they count
too: the TUI names the API's records through ``nymble_desk.sync.records`` (the Desk hands them up).

A new module must belong to a part (``PARTS``); a new arrow between parts is a design change: change
/work/shared/docs/architecture.json's picture, docs/architecture.md and ``ARROWS`` together.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import nymble_desk

SRC = Path(nymble_desk.__file__).parent
ROOT = "nymble_desk"

#: module (or package) -> part; the longest matching prefix wins.
PARTS: dict[str, str] = {
    # Shared: stdlib-only vocabulary any part may import (the version, error classes, a local problem).
    "nymble_desk": "Shared",
    "nymble_desk.errors": "Shared",
    "nymble_desk.local_problem": "Shared",
    "nymble_desk.loopback": "Shared",
    "nymble_desk.gc_pause": "Shared",
    # The API's error classes are vocabulary every layer catches by type; the TUI catching ApiError is not
    # talking to the client. (The errors work moves them to nymble_desk.errors; this entry then goes.)
    # CLI: the entry points, and each package's command module (argument parsing and printing).
    "nymble_desk.cli": "CLI",
    "nymble_desk.__main__": "CLI",
    "nymble_desk.cli_args": "CLI",
    "nymble_desk.records_cli": "CLI",
    "nymble_desk.demo_launch": "CLI",
    "nymble_desk.demo_endpoint": "CLI",
    "nymble_desk.web": "CLI",  # `nymble-desk web`: the server (aiohttp, textual-serve) and each tab's process
    "nymble_desk.drafts.cli": "CLI",
    "nymble_desk.sync.cli": "CLI",
    "nymble_desk.importer.cli": "CLI",
    "nymble_desk.tui": "TUI",
    "nymble_desk.importer": "Importer",
    "nymble_desk.sync": "Sync",
    "nymble_desk.index": "Index",
    "nymble_desk.drafts": "Drafts",
    "nymble_desk.api": "API",
    "nymble_desk.domain": "Domain",
    "nymble_desk.config": "Config",
    "nymble_desk.config_secrets": "Config",
    "nymble_desk.config_problems": "Config",
    "nymble_desk.config_quick": "Config",
    "nymble_desk.startup_errors": "Config",
    "nymble_desk.paths": "Config",
    "nymble_desk.sandbox": "Sandbox",
}

#: (from, to): the arrows of architecture.json. A part may always import itself and Shared.
ARROWS: frozenset[tuple[str, str]] = frozenset({
    ("CLI", "TUI"), ("CLI", "Sandbox"), ("CLI", "Importer"), ("CLI", "Sync"), ("CLI", "API"), ("CLI", "Config"),
    ("CLI", "Domain"), ("CLI", "Drafts"),
    ("TUI", "Sync"), ("TUI", "Domain"), ("TUI", "Config"), ("TUI", "Drafts"),
    ("Sync", "API"), ("Sync", "Drafts"), ("Sync", "Index"), ("Sync", "Domain"), ("Sync", "Config"),
    ("Index", "API"),
    ("Importer", "API"), ("Importer", "Config"), ("Importer", "Domain"),
    ("API", "Domain"),
    ("Drafts", "Domain"), ("Drafts", "Config"),
    ("Sandbox", "Domain"), ("Sandbox", "Config"),
})

#: Single module-to-module imports allowed against ARROWS, each with its reason (keep this short).
EXCEPTIONS: dict[tuple[str, str], str] = {
    ("nymble_desk.startup_errors", "nymble_desk.drafts.health"):
        "the command guard words a damaged drafts file the command hit (lazy, sqlite3 errors only)",
}

#: The "never"s, with the reason a failure prints. Every one is also absent from ARROWS.
NEVER: dict[tuple[str, str], str] = {
    ("Domain", "TUI"): "the core knows no screen",
    ("API", "TUI"): "the client knows no screen",
    ("Drafts", "TUI"): "the cache knows no screen",
    ("Sync", "TUI"): "sync knows no screen",
    ("Index", "TUI"): "the index knows no screen",
    ("Importer", "TUI"): "import is headless",
    ("TUI", "Sandbox"): "the TUI never imports the server: the CLI starts it for demo",
    ("TUI", "API"): "screens talk to the Desk, not the client",
    ("API", "Sandbox"): "the client is not sandbox-specific",
    ("Sandbox", "TUI"): "the server knows no screen",
    ("Sandbox", "API"): "the server does not use the client",
    ("Domain", "API"): "domain is pure",
    ("Domain", "Drafts"): "domain is pure",
}

#: Third-party packages a part must never import (anywhere, lazily or not).
FORBIDDEN_THIRD_PARTY: dict[str, tuple[str, ...]] = {
    "TUI": ("httpx", "fastapi", "uvicorn", "starlette"),
    "Domain": ("textual", "rich", "httpx", "pydantic", "fastapi"),
    "API": ("textual", "rich", "fastapi"),
    "Drafts": ("textual", "rich", "httpx", "fastapi"),
    "Sync": ("textual", "fastapi"),
    "Index": ("textual", "fastapi"),
    "Importer": ("textual", "fastapi"),
    "Config": ("textual", "httpx", "fastapi"),
    "Sandbox": ("textual",),
    "Shared": ("textual", "rich", "httpx", "pydantic", "fastapi"),
}


@dataclass(frozen=True)
class Import:
    source: str  # the importing module
    target: str  # the imported module (ours: a module that exists; else the dotted name as written)
    line: int
    type_only: bool  # under `if TYPE_CHECKING:`


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES: dict[str, Path] = {module_name(p): p for p in sorted(SRC.rglob("*.py"))}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _walk(node: ast.AST, type_only: bool = False) -> Iterator[tuple[ast.AST, bool]]:
    """Every node under ``node``, with whether it sits under ``if TYPE_CHECKING:`` (its else branch runs)."""
    for child in ast.iter_child_nodes(node):
        yield child, type_only
        if isinstance(child, ast.If) and _is_type_checking(child.test):
            for sub in child.body:
                yield sub, True
                yield from _walk(sub, True)
            for sub in child.orelse:
                yield sub, type_only
                yield from _walk(sub, type_only)
        else:
            yield from _walk(child, type_only)


def imports_of(name: str) -> list[Import]:
    """What module ``name`` imports. ``from pkg import sub`` imports ``pkg`` (its ``__init__`` runs and is
    read) and ``pkg.sub`` when that is a module; ``import a.b`` imports ``a.b``."""
    path = MODULES[name]
    is_package = path.name == "__init__.py"
    found: list[Import] = []
    for node, type_only in _walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [Import(name, alias.name, node.lineno, type_only) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            found.append(Import(name, module, node.lineno, type_only))
            found += [Import(name, f"{module}.{alias.name}", node.lineno, type_only)
                      for alias in node.names if f"{module}.{alias.name}" in MODULES]
    return found


ALL_IMPORTS: list[Import] = [imp for name in MODULES for imp in imports_of(name)]


def part_of(module: str) -> str | None:
    best = None
    for prefix in PARTS:
        if (module == prefix or module.startswith(prefix + ".")) and (best is None or len(prefix) > len(best)):
            best = prefix
    return PARTS[best] if best is not None else None


def ours(target: str) -> bool:
    return target == ROOT or target.startswith(ROOT + ".")


def where(imp: Import) -> str:
    return f"{MODULES[imp.source].relative_to(SRC.parent)}:{imp.line} imports {imp.target}"


# --- the map itself ---------------------------------------------------------------------------------------

def test_every_module_belongs_to_a_part() -> None:
    assert len(MODULES) > 100
    orphans = sorted(m for m in MODULES if m != ROOT and PARTS.get(m) is None and part_of(m) in (None, "Shared")
                     and m not in PARTS)
    assert not orphans, f"modules in no part (add them to PARTS and docs/architecture.md): {orphans}"


def test_the_nevers_are_not_arrows() -> None:
    assert not (set(NEVER) & ARROWS)


def test_shared_modules_import_only_shared_modules_and_the_stdlib() -> None:
    import sys

    bad = [where(i) for i in ALL_IMPORTS if part_of(i.source) == "Shared" and not i.type_only
           and ((ours(i.target) and part_of(i.target) != "Shared")
                or (not ours(i.target) and i.target.split(".")[0] not in sys.stdlib_module_names
                    and i.target != "__future__"))]
    assert not bad, "a Shared module must cost nothing to import:\n" + "\n".join(bad)


def test_the_analysis_sees_function_level_and_relative_imports() -> None:
    """The checker reads what it claims to: a lazy import inside a function, a relative one, a type-only one."""
    by_source = {(i.source, i.target): i for i in ALL_IMPORTS}
    lazy = by_source[("nymble_desk.sandbox", "nymble_desk.sandbox.app")]  # create_app loads FastAPI on first call
    assert not lazy.type_only
    assert ("nymble_desk.api.client", "nymble_desk.api.carts") in by_source  # `from .carts import Carts`
    assert by_source[("nymble_desk.api", "nymble_desk.api.client")].type_only


# --- the layers -------------------------------------------------------------------------------------------

def _violations() -> list[str]:
    out = []
    for imp in ALL_IMPORTS:
        if not ours(imp.target) or imp.target not in MODULES:
            continue
        src, dst = part_of(imp.source), part_of(imp.target)
        if src is None or dst is None or src == dst or dst == "Shared":
            continue
        if imp.type_only and src == "Shared":
            continue  # the shared vocabulary may name a domain type in a hint (it imports nothing at run time)
        if (src, dst) not in ARROWS and (imp.source, imp.target) not in EXCEPTIONS:
            reason = NEVER.get((src, dst), "no such arrow in architecture.json")
            out.append(f"{src} -> {dst} ({reason}): {where(imp)}")
    return out


def test_every_import_between_parts_follows_an_arrow() -> None:
    bad = _violations()
    assert not bad, "imports against the layers:\n" + "\n".join(bad)


@pytest.mark.parametrize(("src", "dst"), sorted(NEVER))
def test_never(src: str, dst: str) -> None:
    bad = [where(i) for i in ALL_IMPORTS
           if ours(i.target) and i.target in MODULES and part_of(i.source) == src and part_of(i.target) == dst]
    assert not bad, f"{src} must never import {dst}: {NEVER[(src, dst)]}\n" + "\n".join(bad)


@pytest.mark.parametrize("part", sorted(FORBIDDEN_THIRD_PARTY))
def test_forbidden_third_party(part: str) -> None:
    banned = FORBIDDEN_THIRD_PARTY[part]
    bad = [where(i) for i in ALL_IMPORTS
           if part_of(i.source) == part and not i.type_only and i.target.split(".")[0] in banned]
    assert not bad, f"{part} must not import {', '.join(banned)}:\n" + "\n".join(bad)


def test_no_screen_imports_another_screen() -> None:
    """Screens open one another through the app's routes (tui/navigation.py), never by import."""
    screens = "nymble_desk.tui.screens."
    bad = [where(i) for i in ALL_IMPORTS
           if i.source.startswith(screens) and i.target.startswith(screens) and i.target in MODULES
           and not _is_modal(i.target)]
    assert not bad, "a screen imports another screen (use routes(self.app)):\n" + "\n".join(bad)


def _is_modal(module: str) -> bool:
    """A module of modal dialogs only (a screen opens one and waits for its answer): each of its screen
    classes derives from ``ModalScreen`` (its own modal base, such as ``_OrderModal``, counts)."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    classes = [node for node in tree.body if isinstance(node, ast.ClassDef)]
    modal = {"ModalScreen"}
    for node in classes:  # in file order: a local modal base comes before its subclasses
        bases = {ast.unparse(b).split("[")[0].rsplit(".", 1)[-1] for b in node.bases}
        if bases & modal:
            modal.add(node.name)
    screens = [n for n in classes if n.name.endswith("Screen") or n.name in modal]
    return bool(screens) and all(n.name in modal for n in screens)


# --- cycles -----------------------------------------------------------------------------------------------

def import_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {name: set() for name in MODULES}
    for imp in ALL_IMPORTS:
        if imp.target in MODULES and imp.target != imp.source:
            graph[imp.source].add(imp.target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_cycles_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_between_modules() -> None:
    graph = import_graph()
    found = cycles(graph)
    described = []
    for component in found:
        members = set(component)
        described.append("; ".join(f"{m} -> {sorted(graph[m] & members)}" for m in component))
    assert not found, "import cycles (a submodule imports the package, or two modules each other):\n" + \
        "\n".join(described)
