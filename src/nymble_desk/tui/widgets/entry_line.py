"""The cart's entry line: an Input for `SKU`, `SKU*QTY`, `QTY*SKU`, `SKU QTY` or a UPC.

Typing a SKU prefix offers a ghost completion (accepted only with right or tab,
never added on its own) and a short list of matches over SKU, name and UPC that
the rep can arrow into (down) and pick (enter puts the SKU in the field). Enter
in the field parses the text with :func:`nymble_desk.domain.entry.parse_entry`
and posts :class:`EntryLine.Entered`; the screen looks the product up and calls
:meth:`EntryLine.succeeded` or :meth:`EntryLine.failed`
(the typed text comes back and the reason is shown beside it). The field clears
as soon as Enter is read, so a scanner's next burst of characters and Enter never
lands on the previous code.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any, Awaitable, Callable

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.suggester import Suggester
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from nymble_desk.domain.entry import EntryError, parse_entry
from nymble_desk.domain.money import format_money
from nymble_desk.tui.keymap import ENTRY_BINDINGS
from nymble_desk.tui.widgets.ordered_input import OrderedInput

Search = Callable[[str], Awaitable[list[Any]]]

#: wait this long after the last keystroke before searching (a scanner's burst never searches)
DEBOUNCE_S = 0.12
MIN_SEARCH = 2


def searchable(value: str) -> bool:
    """Worth a type-ahead search: a code or name being typed, not yet a quantity
    (`SKU*QTY`, `QTY*SKU` and `SKU QTY` are not searched)."""
    text = value.strip()
    if len(text) < MIN_SEARCH or "*" in text:
        return False
    words = text.split()
    return not (len(words) > 1 and (words[-1].isdigit() or words[-1].lower() == "x"))


class ProductSuggester(Suggester):
    """One search per settled keystroke feeds both the ghost completion and the match list."""

    def __init__(self, search: Search, current: Callable[[], str], on_results: Callable[[str, list[Any]], None]):
        super().__init__(use_cache=False, case_sensitive=True)
        self._search = search
        self._current = current
        self._on_results = on_results

    async def get_suggestion(self, value: str) -> str | None:
        if not searchable(value):
            self._on_results(value, [])
            return None
        await asyncio.sleep(DEBOUNCE_S)
        if self._current() != value:  # typed on (or a scanner burst): skip this one
            return None
        try:
            products = list(await self._search(value.strip()))
        except Exception:  # offline or failing: no type-ahead, the entry still works
            products = []
        if self._current() != value:
            return None
        self._on_results(value, products)
        prefix = value.upper()
        for product in products if " " not in value else []:
            sku = str(product.sku)
            if sku.upper().startswith(prefix) and len(sku) > len(value):
                return value + sku[len(value):]
        return None


class EntryInput(OrderedInput):
    """The Input of the entry line: tab accepts the ghost completion, down goes to the matches;
    its keys apply in the order they arrive, so a scanner's bursts never run together."""

    BINDINGS = ENTRY_BINDINGS

    def action_accept_suggestion(self) -> None:
        if self._suggestion and self.cursor_at_end and len(self._suggestion) > len(self.value):
            self.value = self._suggestion
            self.cursor_position = len(self.value)
        else:
            self.screen.focus_next()

    async def action_submit(self) -> None:
        # Clear a well-formed entry here, as Enter is read, not when the parent handles
        # Submitted: the next scan in the same burst must start on an empty field.
        value = self.value
        try:
            parse_entry(value.strip())
        except EntryError:
            pass  # kept for the rep to fix; the parent says what is wrong
        else:
            with self.prevent(Input.Changed):
                self.value = ""
        self.post_message(self.Submitted(self, value, None))

    def action_focus_matches(self) -> None:
        self.post_message(EntryLine.FocusMatches())

    def action_clear_matches(self) -> None:
        self.post_message(EntryLine.ClearMatches())


class EntryLine(Vertical):
    """Entry field, its message and the type-ahead matches."""

    DEFAULT_CSS = """
    EntryLine {
        height: auto;
        & > Horizontal { height: 1; }
        & #entry-prompt { width: auto; padding: 0 1 0 0; text-style: bold; }
        & #entry { width: 1fr; }
        & #entry-message { height: auto; min-height: 1; padding: 0 0 0 2; }
        /* laid over what is below (the lines table), so showing or hiding it moves nothing */
        & #matches {
            height: auto; max-height: 5; display: none; border: none; padding: 0;
            overlay: screen; constrain: none inside;
        }
        & #matches.-shown { display: block; }
    }
    """

    @dataclass
    class Entered(Message):
        """The rep pressed enter on a well-formed entry."""

        entry_line: "EntryLine"
        text: str
        code: str
        quantity: int | None
        is_upc: bool

        @property
        def control(self) -> "EntryLine":
            return self.entry_line

    class FocusMatches(Message):
        pass

    class ClearMatches(Message):
        pass

    def __init__(self, search: Search, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._search = search
        self._currency = "USD"
        self._shown: list[tuple[str, str]] = []  # (SKU, label) of the matches on screen

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Static("Add >", id="entry-prompt")
            yield EntryInput(
                placeholder="SKU, SKU*QTY, QTY*SKU or scan; Enter",
                id="entry",
                compact=True,
                select_on_focus=False,  # coming back to the field keeps the text and the cursor at its end
                suggester=ProductSuggester(self._search, self._value, self._show_matches),
            )
        yield Static("", id="entry-message", markup=False)
        yield OptionList(id="matches", compact=True)

    # -- helpers ---------------------------------------------------------------------
    @property
    def input(self) -> EntryInput:
        return self.query_one("#entry", EntryInput)

    @property
    def matches(self) -> OptionList:
        return self.query_one("#matches", OptionList)

    def _value(self) -> str:
        return self.input.value

    def set_currency(self, currency: str) -> None:
        self._currency = currency

    def say(self, text: str) -> None:
        self.query_one("#entry-message", Static).update(text)

    def _match_options(self, products: list[Any]) -> list[tuple[str, str]]:
        """(SKU, label) for the first five products."""
        options = []
        for product in products[:5]:
            price = getattr(product, "price", None)
            label = f"{product.sku:<12} {str(getattr(product, 'name', '') or '')[:28]:<28}"
            if price is not None:
                label += f" {format_money(price, self._currency)}"
            if getattr(product, "upc", None):
                label += f"  UPC {product.upc}"
            options.append((str(product.sku), label))
        return options

    def _show_matches(self, value: str, products: list[Any]) -> None:
        matches = self.matches
        if matches.has_focus:  # the rep is choosing: a late result must not move the list
            return
        if not products or value != self.input.value:
            self.hide_matches()
            return
        options = self._match_options(products)
        if options == self._shown and matches.has_class("-shown"):
            return  # the same matches as the last key: repaint nothing
        self._shown = options
        matches.set_options(Option(Content(label), id=sku) for sku, label in options)
        matches.add_class("-shown")

    def hide_matches(self) -> None:
        if not self._shown and not self.matches.option_count:
            return  # already hidden: no refresh on each key typed past the list
        self._shown = []
        covered = self.matches.region  # screen coordinates of the list laid over the lines
        self.matches.clear_options()
        self.matches.remove_class("-shown")
        if covered:
            # Repaint what the overlay covered (the lines table) once, from the widgets beneath:
            # a pty run under load showed a line left half-painted after the list went away.
            self.screen.refresh(covered)

    # -- results from the screen ---------------------------------------------------
    def succeeded(self, text: str, message: str = "") -> None:
        """The entry ``text`` was added (the field was cleared when it was submitted): say so."""
        self.say(message)

    def failed(self, text: str, message: str) -> None:
        """The entry was refused: put the typed text back (unless the rep typed on) and say why."""
        if not self.input.value.strip():
            with self.input.prevent(Input.Changed):
                self.input.value = text
                self.input.cursor_position = len(text)
        self.say(f"! {message}")

    # -- events --------------------------------------------------------------------
    @on(Input.Submitted, "#entry")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        self.hide_matches()
        if not text:
            return
        try:
            entry = parse_entry(text)
        except EntryError as exc:
            self.say(f"! {exc}")
            return
        # the field was cleared as Enter was read (EntryInput.action_submit); a refusal puts the text back
        self.post_message(self.Entered(self, text, entry.code, entry.quantity, entry.is_upc))

    @on(Input.Changed, "#entry")
    def _changed(self, event: Input.Changed) -> None:
        if not searchable(event.value):
            self.hide_matches()

    @on(FocusMatches)
    def _focus_matches(self, event: FocusMatches) -> None:
        event.stop()
        if self.matches.option_count:
            self.matches.focus()
            self.matches.highlighted = 0

    @on(ClearMatches)
    def _clear_matches(self, event: ClearMatches) -> None:
        event.stop()
        self.hide_matches()

    @on(OptionList.OptionSelected, "#matches")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        sku = event.option.id or ""
        self.hide_matches()
        with self.input.prevent(Input.Changed):
            self.input.value = sku
        self.input.cursor_position = len(sku)
        self.input.focus()
        self.say(f"{sku}: type *QTY and Enter, or Enter for the minimum")

    def on_key(self, event: Any) -> None:
        # escape or up at the top of the matches goes back to the field
        if self.matches.has_focus and (
            event.key == "escape" or (event.key == "up" and (self.matches.highlighted or 0) == 0)
        ):
            event.stop()
            event.prevent_default()
            self.input.focus()
