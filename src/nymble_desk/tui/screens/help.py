"""Help: every key active on the screen beneath, generated from its bindings.

Nothing here is hand-written: the rows come from ``Screen.active_bindings`` of
the screen that was in front when F1 was pressed, so a user keymap shows up as-is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.app import App, ComposeResult
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Input, Static

from nymble_desk.tui.commands import shadowed_app_bindings
from nymble_desk.tui.keymap import HELP_BINDINGS
from nymble_desk.tui.widgets.fit_footer import FitFooter
from nymble_desk.tui.widgets.ordered_input import OrderedInput


@dataclass(frozen=True)
class KeyRow:
    keys: str
    description: str
    binding_id: str
    where: str


def _where(node: Any) -> str:
    if isinstance(node, App):
        return "everywhere"
    if isinstance(node, Screen):
        return "this screen"
    if isinstance(node, Input):
        return "text field"
    return node.__class__.__name__


def key_rows(app: App[Any], screen: Screen[Any]) -> list[KeyRow]:
    """One row per action reachable from ``screen`` now (keys sharing an action are merged)."""
    merged: dict[tuple[int, str], list[str]] = {}
    info: dict[tuple[int, str], tuple[str, str, str]] = {}
    chain = [(key, active.node, active.binding) for key, active in screen.active_bindings.items()]
    focused = screen.focused
    if isinstance(focused, OrderedInput):  # it declines its keys to the app's check, so list them here
        chain += [(key, focused, b) for key, bs in focused._bindings.key_to_bindings.items() for b in bs
                  if not b.priority and (key not in screen.active_bindings
                                         or screen.active_bindings[key].node is focused)]
    for key, node, binding in chain:
        if not binding.description and not binding.id:
            continue
        ident = (id(node), binding.action)
        merged.setdefault(ident, [])
        display = app.get_key_display(binding)
        if display not in merged[ident]:
            merged[ident].append(display)
        info.setdefault(ident, (binding.description or binding.action, binding.id or "", _where(node)))
    rows = [KeyRow(" ".join(keys), *info[ident]) for ident, keys in merged.items()]
    rows += [KeyRow("palette", f"{b.description} (key taken here)", b.id or "", "everywhere")
             for b in shadowed_app_bindings(app, screen)]
    order = {"this screen": 0, "everywhere": 1}
    return sorted(rows, key=lambda r: (order.get(r.where, 2), r.where))


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "help.tcss"
    BINDINGS = HELP_BINDINGS

    def __init__(self, rows: list[KeyRow], title: str = "Keys") -> None:
        super().__init__()
        self.rows = rows
        self.title_text = title

    def compose(self) -> ComposeResult:
        yield Static(f"{self.title_text} (generated from the active bindings)", id="help-title")
        table: DataTable[str] = DataTable(id="help-keys", cursor_type="row", zebra_stripes=True)
        table.add_column("Key", key="key", width=14)
        table.add_column("Action", key="action", width=26)
        table.add_column("Where", key="where", width=11)
        table.add_column("Keymap id", key="id", width=15)
        for row in self.rows:
            table.add_row(row.keys, row.description, row.where, row.binding_id)
        yield table
        yield Static("Rebind any key in config.toml: [keymap] <id> = \"<key>\".  Esc or F1 closes.",
                     id="help-hint")
        yield FitFooter(show_command_palette=False, compact=True)

    def action_close(self) -> None:
        self.dismiss(None)
