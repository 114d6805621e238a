"""Help (F1) that teaches: the screen's own keys, then how to enter lines, then the rest.

The keys come from the bindings active on the screen that was in front when F1 was
pressed (so a user keymap shows as-is), but only the ones this program declares
(each has a keymap id): the ~40 text-editing keys of Textual's fields are summed up in
one line instead. On a screen with the cart's entry line, the entry grammar follows
with examples. App-wide keys come last, two to a line. Nothing is cut at 80x24: the
text wraps, and the body scrolls when a screen has more keys than fit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len
from textual.app import App, ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from nymble_desk.tui.commands import shadowed_app_bindings
from nymble_desk.tui.keymap import HELP_BINDINGS
from nymble_desk.tui.widgets.fit_footer import FitFooter

THIS_SCREEN, ENTERING, EVERYWHERE = "this screen", "entering lines", "everywhere"

#: the cart's entry grammar (nymble_desk.domain.entry), as examples a rep can copy
GRAMMAR: tuple[tuple[str, str], ...] = (
    ("WDG-BLU-L", "a SKU: its smallest quantity (the minimum)"),
    ("WDG-BLU-L*12", "SKU*QTY: 12 of it"),
    ("12*WDG-BLU-L", "QTY*SKU, or WDG-BLU-L 12 (SKU QTY): the same"),
    ("012345678905", "a UPC (8, 12 or 13 digits) or a scan: 1 of it"),
    ("tab  ↓", "take the grey completion; choose from the matches"),
)
TEXT_KEYS = "Text fields: ← → home end backspace; ctrl+w deletes a word, ctrl+u the line"


@dataclass(frozen=True)
class KeyRow:
    keys: str
    description: str
    binding_id: str
    where: str


def _where(node: Any) -> str:
    if isinstance(node, App):
        return EVERYWHERE
    return THIS_SCREEN


def _has_entry_line(screen: Screen[Any]) -> bool:
    from nymble_desk.tui.widgets.entry_line import EntryLine

    return bool(screen.query(EntryLine))


def key_rows(app: App[Any], screen: Screen[Any]) -> list[KeyRow]:
    """One row per action reachable from ``screen`` now (keys sharing an action are merged):
    the screen's and its focused widgets' first, then (on the cart) the entry grammar, then
    the app-wide keys. Bindings without a keymap id (Textual's own cursor and text-editing
    keys) are left out."""
    merged: dict[tuple[int, str], list[str]] = {}
    info: dict[tuple[int, str], tuple[str, str, str]] = {}
    for _key, active in screen.active_bindings.items():
        binding, node = active.binding, active.node
        if not binding.id:
            continue
        ident = (id(node), binding.action)
        display = app.get_key_display(binding)
        keys = merged.setdefault(ident, [])
        if display not in keys:
            keys.append(display)
        info.setdefault(ident, (binding.description or binding.action, binding.id, _where(node)))
    rows = [KeyRow(" ".join(keys), *info[ident]) for ident, keys in merged.items()]
    rows += [KeyRow("palette", f"{b.description} (key taken here)", b.id or "", EVERYWHERE)
             for b in shadowed_app_bindings(app, screen)]
    if _has_entry_line(screen):
        rows += [KeyRow(example, meaning, "", ENTERING) for example, meaning in GRAMMAR]
    order = {THIS_SCREEN: 0, ENTERING: 1, EVERYWHERE: 2}
    return sorted(rows, key=lambda r: order.get(r.where, 0))  # stable: binding order kept within a part


def help_text(rows: list[KeyRow], width: int = 74) -> Content:
    """The help body: headed parts, one key a line; app-wide keys two to a line when they fit."""
    parts: list[Content] = []

    def heading(text: str) -> None:
        parts.append(Content.styled(text, "bold underline"))

    def line(keys: str, description: str, binding_id: str, key_width: int = 14, text_width: int = 36) -> Content:
        text = Content(f"  {keys:<{key_width}} ") + Content(description)
        if binding_id:
            pad = max(1, text_width - cell_len(description))
            text += Content.styled(" " * pad + binding_id, "dim")
        return text

    own = [r for r in rows if r.where == THIS_SCREEN]
    heading("This screen")
    parts.extend(line(r.keys, r.description, r.binding_id) for r in own)
    if not own:
        parts.append(Content("  (no keys of its own)"))
    grammar = [r for r in rows if r.where == ENTERING]
    if grammar:
        heading("Entering lines (type in Add >, then Enter; a scanner works the same)")
        parts.extend(line(r.keys, r.description, "") for r in grammar)
    rest = [r for r in rows if r.where == EVERYWHERE]
    if rest:
        heading("Everywhere")
        cells = [line(r.keys, r.description, r.binding_id, key_width=6, text_width=13) for r in rest]
        half = (width - 2) // 2
        # two to a line where they fit in half the width (80x24 has room for nothing more); a wider one alone
        narrow = [c for c in cells if cell_len(c.plain) <= half]
        for i in range(0, len(narrow), 2):
            pair = narrow[i:i + 2]
            parts.append(pair[0].pad_right(half - cell_len(pair[0].plain)) + (pair[1] if len(pair) > 1 else ""))
        parts.extend(c for c in cells if cell_len(c.plain) > half)
    parts.append(Content(TEXT_KEYS))
    return Content("\n").join(parts)


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "help.tcss"
    BINDINGS = HELP_BINDINGS
    # the body scrolls within what the terminal's height leaves (title, hint and footer take 3 lines)
    VERTICAL_BREAKPOINTS = [(0, "-h24"), (30, "-h30"), (40, "-h40")]  # noqa: RUF012 (Textual types it ClassVar[...] | None)

    def __init__(self, rows: list[KeyRow], title: str = "Keys") -> None:
        super().__init__()
        self.rows = rows
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Static(self.title_text, id="help-title", markup=False)
            with VerticalScroll(id="help-body"):
                yield Static(help_text(self.rows), id="help-keys")
            yield Static("Rebind: config.toml [keymap] <id> = \"<key>\" (ids in grey) · Esc/F1 closes.",
                         id="help-hint", markup=False)
        yield FitFooter(show_command_palette=False, compact=True)

    def action_close(self) -> None:
        self.dismiss(None)
