"""Tripwires for nymble_desk.tui.textual_compat: one test per assumption about Textual's private or
undocumented behaviour.  After a Textual upgrade a failure here names the assumption that broke and
the function to fix, before the screens misbehave in subtler ways."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Iterator
from contextlib import contextmanager
from typing import ClassVar

import pytest
import textual
from rich.text import Text
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Input

from nymble_desk.tui import textual_compat as compat
from nymble_desk.tui.one_frame import TURNS


@contextmanager
def assumption(number: int, what: str) -> Iterator[None]:
    """Turns a failure into one line naming the assumption (see textual_compat's docstring)."""
    try:
        yield
    except (AttributeError, TypeError, KeyError, AssertionError) as broken:
        pytest.fail(
            f"Textual {textual.__version__} (assumptions checked with {compat.TESTED_WITH}) broke "
            f"textual_compat assumption {number}: {what} [{type(broken).__name__}: {broken}]",
            pytrace=False,
        )


class Box(Widget):
    """A widget whose repaint never needs a new layout."""

    DEFAULT_CSS = "Box { width: 10; height: 1; }"
    text = "-"

    def render(self) -> Text:
        return Text(self.text)


class Field(Input):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+k", "clear_all", "Clear")]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.seen: list[tuple[str, str]] = []  # (key, the value when on_key saw it)

    def on_key(self, event: events.Key) -> None:
        self.seen.append((event.key, self.value))
        if event.key == "x":
            event.prevent_default()


class Harness(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("f5", "bell", "Sync"), Binding("ctrl+k", "bell", "App's own")]

    def compose(self) -> ComposeResult:
        yield Field(id="field", suggester=SuggestFromList(["WDG-BLU-L"], case_sensitive=False))
        yield Box(id="a")
        yield Box(id="b")


async def test_own_bindings_are_the_nodes_own_not_the_focus_chains() -> None:
    async with Harness().run_test() as pilot:
        field = pilot.app.query_one(Field)
        with assumption(1, "DOMNode._bindings.key_to_bindings holds the node's own bindings by key"):
            assert [b.action for b in compat.own_bindings(field, "ctrl+k")] == ["clear_all"]
            assert compat.own_bindings(field, "f5") == ()  # the app's, not the field's
            assert "delete_left" in [b.action for b in compat.own_bindings(field, "backspace")]  # Input's own
            own = {b.action for b in compat.all_own_bindings(field)}
            assert {"clear_all", "delete_left", "submit"} <= own and "bell" not in own


async def test_restart_blink_is_callable_on_a_mounted_input() -> None:
    async with Harness().run_test() as pilot:
        field = pilot.app.query_one(Field)
        with assumption(2, "Input._restart_blink() takes no arguments and restarts the cursor blink"):
            assert list(inspect.signature(Input._restart_blink).parameters) == ["self"]
            compat.restart_blink(field)


async def test_suggestion_is_the_ghost_completion() -> None:
    async with Harness().run_test() as pilot:
        field = pilot.app.query_one(Field)
        field.focus()
        await pilot.press(*"wdg")
        with assumption(3, "Input._suggestion holds the suggester's completion of the value"):
            for _ in range(200):
                if compat.suggestion(field) == "WDG-BLU-L":
                    break
                await pilot.pause()
            assert compat.suggestion(field) == "WDG-BLU-L"
            field.value = "zzz"
            for _ in range(200):
                if compat.suggestion(field) == "":
                    break
                await pilot.pause()
            assert compat.suggestion(field) == ""


async def test_a_repaint_request_reaches_the_screen_within_the_turns_one_frame_waits() -> None:
    async with Harness().run_test() as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        a, b = pilot.app.query_one("#a", Box), pilot.app.query_one("#b", Box)
        turns = 0
        with pilot.app.batch_update():  # as one_frame holds the frame
            a.text, b.text = "A", "B"
            a.refresh()
            b.refresh()
            with assumption(4, "Screen._dirty_widgets holds the widgets waiting for the next frame"):
                assert {a, b}.isdisjoint(compat.waiting_to_paint(screen))  # not there before the loop turns
            while turns < 50 and not {a, b} <= compat.waiting_to_paint(screen):
                await asyncio.sleep(0)
                turns += 1
        with assumption(5, f"a repaint request reaches the screen in {TURNS} event-loop turns (one_frame.TURNS)"):
            assert {a, b} <= compat.waiting_to_paint(screen), "never reached the screen"
            assert turns <= compat.TURNS_TO_REACH_SCREEN == TURNS, f"took {turns} turns"


async def test_on_key_of_an_input_subclass_runs_first_and_can_stop_input() -> None:
    async with Harness().run_test() as pilot:
        field = pilot.app.query_one(Field)
        field.focus()
        await pilot.press("a", "x", "b")
        with assumption(6, "an Input subclass's on_key runs before Input inserts the character, "
                           "and prevent_default() stops the insert"):
            assert field.seen[:3] == [("a", ""), ("x", "a"), ("b", "a")]
            assert field.value == "ab"


def _textual_privates(classes: list[type]) -> set[str]:
    return {name for cls in classes if cls.__module__.startswith("textual")
            for name in vars(cls) if name.startswith("_") and not name.startswith("__")}


def test_no_other_tui_module_touches_a_textual_private_name() -> None:
    """The fence itself: outside textual_compat no tui module imports ``textual._...``, reads a
    Textual object's ``_name`` or overrides a Textual ``_method`` (one could stop working silently)."""
    import ast
    import importlib
    import pathlib
    import pkgutil

    import textual.widgets

    import nymble_desk.tui

    everywhere: set[str] = set()
    for module in ["app", "dom", "message_pump", "screen", "widget", "events", "message", "scroll_view"]:
        loaded = importlib.import_module(f"textual.{module}")
        everywhere |= _textual_privates([c for c in vars(loaded).values() if isinstance(c, type)])
    for info in pkgutil.iter_modules(textual.widgets.__path__):
        widgets = importlib.import_module(f"textual.widgets.{info.name}")
        everywhere |= _textual_privates([c for c in vars(widgets).values() if isinstance(c, type)])

    # instance attributes (``self._bindings = ...`` in Textual's __init__s) are in no class's vars
    instance: dict[tuple[str, str], set[str]] = {}
    textual_root = pathlib.Path(textual.__file__).parent
    for source in textual_root.rglob("*.py"):
        dotted = ".".join(("textual", *source.relative_to(textual_root).with_suffix("").parts))
        for cls in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(cls, ast.ClassDef):
                instance[(dotted, cls.name)] = {
                    node.attr for node in ast.walk(cls) if isinstance(node, ast.Attribute)
                    and isinstance(node.ctx, ast.Store) and isinstance(node.value, ast.Name)
                    and node.value.id == "self" and node.attr.startswith("_") and not node.attr.startswith("__")}
    everywhere |= {name for names in instance.values() for name in names}

    def private_to(cls: type) -> set[str]:
        return _textual_privates(list(cls.__mro__)).union(
            *(instance.get((base.__module__, base.__qualname__), set()) for base in cls.__mro__))

    root = pathlib.Path(nymble_desk.tui.__file__).parent
    trees = {path: ast.parse(path.read_text()) for path in root.rglob("*.py") if path.name != "textual_compat.py"}
    ours = {node.name for tree in trees.values() for node in ast.walk(tree)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}
    ours |= {node.attr for tree in trees.values() for node in ast.walk(tree)
             if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store)}
    ours |= {target.id for tree in trees.values() for node in ast.walk(tree) if isinstance(node, ast.ClassDef)
             for stmt in node.body if isinstance(stmt, (ast.Assign, ast.AnnAssign))
             for target in (stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target])
             if isinstance(target, ast.Name)}
    found = []
    for path, tree in trees.items():
        module = importlib.import_module("nymble_desk." + ".".join(path.relative_to(root.parent).with_suffix("").parts))
        for node in ast.walk(tree):
            where = f"{path.relative_to(root.parent)}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("textual._"):
                found.append(f"{where} imports {node.module}")
            elif isinstance(node, ast.Import) and any(a.name.startswith("textual._") for a in node.names):
                found.append(f"{where} imports a private textual module")
            elif isinstance(node, ast.ClassDef) and isinstance(getattr(module, node.name, None), type):
                bases = private_to(getattr(module, node.name))
                mine = {stmt.name for stmt in node.body if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef))}
                found += [f"{where} {node.name} overrides Textual's {name}" for name in sorted(mine & bases)]
                found += [f"{where} {node.name} reads Textual's {sub.attr}" for sub in ast.walk(node)
                          if isinstance(sub, ast.Attribute) and sub.attr in bases and sub.attr not in mine
                          and isinstance(sub.ctx, ast.Load) and sub.attr not in ours]
            elif (isinstance(node, ast.Attribute) and node.attr in everywhere and node.attr not in ours
                  and isinstance(node.ctx, ast.Load)):
                found.append(f"{where} reads {node.attr}")
    assert not found, "Textual private names outside tui/textual_compat.py:\n" + "\n".join(sorted(set(found)))
