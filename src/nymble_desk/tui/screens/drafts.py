"""Carts in progress: shown at start when there are any, and on F3.

Enter resumes a draft in the cart; Delete or d discards it after a confirmation.
Below them, the orders placed in the last day with their numbers (an order queued
offline shows "order queued", then its number once a sync has placed it); Enter on
one opens the order.
"""

from __future__ import annotations

from datetime import datetime, UTC
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

from nymble_desk.domain.money import format_money
from nymble_desk.tui.age_text import coarse_age
from nymble_desk.tui.keymap import CONFIRM_BINDINGS, DRAFTS_BINDINGS
from nymble_desk.tui.messages import OpenCart
from nymble_desk.tui.navigation import routes
from nymble_desk.tui.widgets.fit_footer import FitFooter
from nymble_desk.tui.widgets.fit_table import Col, FitTable
from nymble_desk.tui.widgets.status_line import StatusLine
from nymble_desk.tui.desk_access import desk_of


def age(moment: datetime | None, now: datetime | None = None) -> str:
    if moment is None:
        return "-"
    ago = coarse_age(moment, now, hours_below=24)
    return "now" if ago is None else f"{ago[0]}{ago[1]}"


def sync_state(draft: Any) -> str:
    state = str(getattr(draft, "state", "") or "")
    if state == "submitted" and getattr(draft, "order_number", None):
        return f"placed {draft.order_number}"
    if getattr(draft, "checkout_queued", False) and not getattr(draft, "conflicts", ()):
        return "order queued"
    if getattr(draft, "conflicts", ()):
        return "! conflict" if state == "conflict" else f"{state} ! conflict"
    if getattr(draft, "last_error", None):
        return f"{state} !"
    return state


def draft_total(draft: Any) -> str:
    totals = draft.totals()
    return format_money(totals.total, getattr(totals, "currency", None) or draft.currency or "USD")


#: the customer gives way; the line count, total, age and sync state (with its order number) are whole
DRAFT_COLS = (
    Col("customer", "Customer", "text"),
    Col("lines", "Lines", "number"),
    Col("total", "Total", "number"),
    Col("age", "Age", "whole"),
    Col("state", "Sync", "whole"),
)


class ConfirmDiscard(ModalScreen[bool]):
    """Asks before a draft is thrown away; y discards, n or Escape keeps it."""

    BINDINGS = CONFIRM_BINDINGS
    DEFAULT_CSS = """
    ConfirmDiscard {
        align: center middle;
        & #confirm-box { width: 60; max-width: 100%; height: auto; border: thick $error; padding: 1 2;
                         background: $surface; }
        & #confirm-keys { margin-top: 1; text-style: bold; }
    }
    """

    def __init__(self, draft: Any) -> None:
        super().__init__()
        self.draft = draft

    def compose(self) -> ComposeResult:
        lines = len(self.draft.lines)
        with Vertical(id="confirm-box"):
            yield Static(
                f"Discard the cart for {self.draft.customer_name} ({self.draft.customer_number}): "
                f"{lines} line{'s' if lines != 1 else ''}, {draft_total(self.draft)}?\n"
                "This cannot be undone.",
                id="confirm-question",
            )
            yield Static("y  Discard     n / Esc  Keep", id="confirm-keys")
        yield FitFooter(show_command_palette=False, compact=True)

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)


class DraftsScreen(Screen[None]):
    AREA_ACTION = "drafts"  # the app key that opens this screen (hidden while it is in front)
    TITLE = "Carts in progress"
    CSS_PATH = "drafts.tcss"
    BINDINGS = DRAFTS_BINDINGS
    AUTO_FOCUS = "#drafts"

    def __init__(self) -> None:
        super().__init__()
        self.drafts: dict[str, Any] = {}

    def compose(self) -> ComposeResult:
        yield Static("Carts in progress", id="drafts-title")
        yield FitTable(DRAFT_COLS, id="drafts", cursor_type="row", zebra_stripes=True)
        yield Static("", id="drafts-message")
        yield StatusLine()
        yield FitFooter(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        # the first reload comes with ScreenResume, which every push sends
        if hasattr(self.app, "syncs_done"):
            # a finished sync changes draft states: show them without a keypress
            self.watch(self.app, "syncs_done", lambda _n: self.reload(), init=False)
            self.watch(self.app, "sync_status", lambda _status: self.reload(), init=False)

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        table = self.query_one("#drafts", FitTable)
        selected = self.selected()
        desk = desk_of(self)
        drafts = list(desk.drafts())
        drafts.sort(key=lambda d: d.updated_at or d.created_at, reverse=True)
        placed = list(desk.recently_placed())
        self.drafts = {d.id: d for d in drafts + placed}
        now = datetime.now(UTC)
        table.show_rows([(d.id, {
            "customer": f"{d.customer_number} {d.customer_name}",  # the number first: the name gives way
            "lines": f"{len(d.lines):,}",
            "total": draft_total(d),
            "age": age(d.updated_at or d.created_at, now),
            "state": sync_state(d),
        }) for d in drafts + placed])
        if selected is not None and selected.id in self.drafts:
            table.move_cursor(row=table.get_row_index(selected.id))
        message = self.query_one("#drafts-message", Static)
        if drafts:
            text = "Enter or F9 resumes · d or Delete discards · n or F2 starts a new order"
        else:
            text = "No carts in progress. Press F2 (or n) to find a customer."
        if placed:
            text += f"\nBelow: {len(placed)} order(s) placed in the last day; Enter opens one."
        message.update(text)

    def selected(self) -> Any | None:
        table = self.query_one("#drafts", DataTable)
        if table.row_count == 0:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return self.drafts.get(str(row_key.value))

    @on(DataTable.RowSelected, "#drafts")
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_resume()

    def action_resume(self) -> None:
        draft = self.selected()
        if draft is None:
            return
        if draft.state == "submitted":
            routes(self.app).order_detail(draft.order_number)
            return
        self.post_message(OpenCart(draft.id))

    def action_discard(self) -> None:
        draft = self.selected()
        if draft is None:
            return
        if draft.state == "submitted":
            self.query_one("#drafts-message", Static).update(
                f"! {draft.order_number} is a placed order, not a cart: nothing to discard (F4 finds orders).")
            return

        def done(discard: bool | None) -> None:
            if discard:
                desk_of(self).discard(draft.id)
                self.notify(f"Discarded the cart for {draft.customer_name}.")
                self.reload()

        self.app.push_screen(ConfirmDiscard(draft), done)

    def action_new_order(self) -> None:
        self.app.action_customers()  # type: ignore[attr-defined]
