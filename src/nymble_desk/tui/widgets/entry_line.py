"""The cart's entry line: an Input for `SKU`, `SKU*QTY`, `QTY*SKU`, `SKU QTY` or a UPC.

Typing a SKU prefix offers a ghost completion (accepted only with right or tab,
never added on its own) and a short list of matches over SKU, name and UPC that
the rep can arrow into (down) and pick (enter puts the SKU in the field). Tab with
nothing to complete stays in the field and says so (F7 goes to the lines).

Enter posts :class:`EntryLine.Entered` with the typed text; the field clears as soon
as Enter is read, so a scanner's next burst (or the next line of an unbracketed
paste) never lands on the previous code. A bracketed paste of several lines posts
one ``Entered`` with every line, in order. The screen adds them in order and calls
:meth:`EntryLine.succeeded` or :meth:`EntryLine.failed` for one line, or
:meth:`EntryLine.keep_for_fixing` with the refused lines of a batch: the first comes
back into the field, the others wait and come back one at a time (Enter on an empty
field, or after the line in the field was added).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import Any
from collections.abc import Awaitable, Callable

from textual import events, on
from textual.app import ComposeResult
from textual.content import Content
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.suggester import SuggestionReady
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from nymble_desk.domain.money import format_money
from nymble_desk.tui.key_gate import KeyGate, TakesTypedRuns, TypedRun
from nymble_desk.domain.pricing import QuantityRule, TierPrice, unit_price
from nymble_desk.tui.keymap import ENTRY_BINDINGS
from nymble_desk.tui.one_frame import one_frame
from nymble_desk.tui.textual_compat import restart_blink, suggestion
from nymble_desk.tui.widgets.ordered_input import OrderedInput

Search = Callable[[str], Awaitable[list[Any]]]
SearchNow = Callable[[str], "list[Any] | None"]

#: keys closer together than this are one burst (a scanner, a paste, keys that came in one
#: SSH packet): no search per key; typing by hand is slower than this between keys
BURST_GAP_S = 0.03
#: after a burst, search once the field has been quiet this long
SETTLE_S = 0.08
MIN_SEARCH = 2


def searchable(value: str) -> bool:
    """Worth a type-ahead search: a code or name being typed, not yet a quantity
    (`SKU*QTY`, `QTY*SKU` and `SKU QTY` are not searched)."""
    text = value.strip()
    if len(text) < MIN_SEARCH or "*" in text:
        return False
    words = text.split()
    return not (len(words) > 1 and (words[-1].isdigit() or words[-1].lower() == "x"))


def completion(value: str, products: list[Any]) -> str | None:
    """The ghost completion: ``value`` extended to the first matching SKU it is a prefix of."""
    if " " in value:
        return None
    prefix = value.upper()
    for product in products:
        sku = str(product.sku)
        if sku.upper().startswith(prefix) and len(sku) > len(value):
            return value + sku[len(value):]
    return None


def match_price(product: Any, tier: str | None) -> Decimal | None:
    """The price a match would be added at for a customer of ``tier``: the tier's break at the
    product's smallest valid quantity, else the list price."""
    price = getattr(product, "price", None)
    if price is None:
        return None
    prices = [TierPrice(t.tier, t.price, t.at_quantity or 1) for t in (getattr(product, "prices", None) or ())]
    return unit_price(price, prices, tier, QuantityRule.of_product(product).smallest)


class EntryInput(OrderedInput, TakesTypedRuns):
    """The Input of the entry line: tab accepts the ghost completion, down goes to the matches;
    its keys apply in the order they arrive, so a scanner's bursts never run together."""

    BINDINGS = ENTRY_BINDINGS
    SUBMIT_MOVES_ON = False  # Enter keeps the focus here: a scanner's next code needs no wait

    def __init__(self, *, type_ahead: Callable[[str], Awaitable[None]], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._type_ahead = type_ahead
        self._key_at = float("-inf")
        #: seconds between the last two keys as they arrived from the terminal (a stalled app
        #: handles keys typed by hand back to back; their arrival still tells them from a burst)
        self.key_gap = float("inf")
        #: when this field last handled a key (monotonic): an unbracketed paste is still coming in
        self.handled_key_at = float("-inf")
        #: keys in the last run taken in one piece (more than one: a burst, searched once it is quiet)
        self.run_length = 0

    async def on_key(self, event: events.Key) -> None:
        # runs before OrderedInput.on_key, which Textual calls next (textual_compat, assumption 6)
        self.key_gap, self._key_at = event.time - self._key_at, event.time
        self.handled_key_at = time.monotonic()
        if event.is_printable:
            self.run_length = 1

    @property
    def suggestion(self) -> str:
        """The ghost completion shown after the typed text ("" when none)."""
        return suggestion(self)

    def on_typed_run(self, run: TypedRun) -> None:
        """Printable keys read together (a paste without brackets, a scanner): one insert, one Changed."""
        run.stop()
        gate = self._gate
        if isinstance(gate, KeyGate) and gate.holding:  # a hold began after they were read: they wait too
            for key in run.keys:
                gate.hand_back(key)
            return
        if self.screen.focused is not self and self.screen.focused is not None:
            for key in run.keys:  # the focus moved on meanwhile: the keys go where it is now
                self.screen.focused.post_message(events.Key(key.key, key.character))
            return
        self.run_length = len(run.keys)
        first, last = run.keys[0], run.keys[-1]
        self.key_gap = first.time - self._key_at if len(run.keys) == 1 else 0.0
        self._key_at = last.time
        self.handled_key_at = time.monotonic()
        restart_blink(self)
        selection = self.selection
        if selection.is_empty:
            self.insert_text_at_cursor(run.text)
        else:
            self.replace(run.text, *selection)

    async def on_input_changed(self, event: Input.Changed) -> None:
        # In the field's own queue, before it repaints: matches found here are drawn in the
        # same frame as the typed character. (The event still bubbles to the entry line.)
        await self._type_ahead(event.value)

    def action_accept_suggestion(self) -> None:
        ghost = self.suggestion
        if ghost and self.cursor_at_end and len(ghost) > len(self.value):
            self.value = ghost
            self.cursor_position = len(self.value)
        else:  # nothing to complete: stay (keys typed next still land here) and say so
            self.post_message(EntryLine.NothingToComplete())

    async def action_submit(self) -> None:
        # Clear the field here, as Enter is read, not when the parent handles Submitted: the
        # next scan (or pasted line) in the same burst must start on an empty field. A refused
        # line comes back (EntryLine.failed / keep_for_fixing), so nothing typed is lost.
        value = self.value
        if value.strip():
            with self.prevent(Input.Changed):
                self.value = ""
        self.post_message(self.Submitted(self, value, None))

    def on_paste(self, event: events.Paste) -> None:
        """A bracketed paste: one line goes into the field whole; several lines are entered, in order."""
        event.prevent_default()  # not Input's paste, which keeps the first line and drops the rest
        event.stop()
        lines = tuple(line.strip() for line in event.text.splitlines() if line.strip())
        if len(lines) > 1:
            self.post_message(EntryLine.Pasted(lines))
        elif lines:
            selection = self.selection
            if selection.is_empty:
                self.insert_text_at_cursor(lines[0])
            else:
                self.replace(lines[0], *selection)

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
        """Lines to enter, in order: one typed (Enter) or several pasted."""

        entry_line: EntryLine
        texts: tuple[str, ...]
        pasted: bool = False

        @property
        def control(self) -> EntryLine:
            return self.entry_line

    @dataclass
    class Pasted(Message):
        """From the field: a bracketed paste of several lines."""

        lines: tuple[str, ...]

    class NothingToComplete(Message):
        pass

    class FocusMatches(Message):
        pass

    class ClearMatches(Message):
        pass

    def __init__(self, search: Search, search_now: SearchNow | None = None, **kwargs: Any) -> None:
        """``search`` awaits matches (the local index or the API); ``search_now`` answers at once
        from the local index, or None when it cannot (no index yet, or too slow)."""
        super().__init__(**kwargs)
        self._search = search
        self._search_now = search_now
        self._currency = "USD"
        self._tier: str | None = None
        self._shown: list[tuple[str, str]] = []  # (SKU, label) of the matches on screen
        self._last_change = float("-inf")
        self._settle: Timer | None = None
        #: refused lines of a batch waiting to come back into the field, in order
        self.to_fix: list[str] = []
        #: the clock the burst rule reads (tests drive it)
        self.clock: Callable[[], float] = time.monotonic

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Static("Add >", id="entry-prompt")
            yield EntryInput(
                placeholder="SKU, SKU*QTY, QTY*SKU or scan; Enter",
                id="entry",
                compact=True,
                select_on_focus=False,  # coming back to the field keeps the text and the cursor at its end
                type_ahead=self._type_ahead,
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

    def set_currency(self, currency: str) -> None:
        self._currency = currency

    def set_price_tier(self, tier: str | None) -> None:
        """The customer's price tier: the matches show the price the line would get, not the list price."""
        self._tier = tier

    def say(self, text: str) -> None:
        self.query_one("#entry-message", Static).update(text)

    def keys_coming(self, within: float = BURST_GAP_S * 2) -> bool:
        """Keys are arriving in a burst right now (an unbracketed paste, a scanner)."""
        return time.monotonic() - self.input.handled_key_at < within and self.input.key_gap < BURST_GAP_S

    def _match_options(self, products: list[Any]) -> list[tuple[str, str]]:
        """(SKU, label) for the first five products."""
        options = []
        for product in products[:5]:
            price = match_price(product, self._tier)
            label = f"{product.sku:<12} {str(getattr(product, 'name', '') or '')[:28]:<28}"
            if price is not None:
                label += f" {format_money(price, self._currency)}"
            on_hand = getattr(product, "quantity_on_hand", None)
            if on_hand is not None:  # as of the index's last refresh (the cart's lines say how old)
                label += f" {on_hand:,} on hand"
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

    # -- type-ahead ------------------------------------------------------------------
    async def _type_ahead(self, value: str) -> None:
        """Each change of the field: offer matches now if the local index answers at once,
        later if the search must wait (the API, a slow query) or keys are coming in a burst."""
        now = self.clock()
        burst = self.input.run_length > 1 or (now - self._last_change < BURST_GAP_S
                                              and self.input.key_gap < BURST_GAP_S)
        self._last_change = now
        if self._settle is not None:
            self._settle.stop()
            self._settle = None
        if not searchable(value):
            self.hide_matches()
            return
        if burst:  # a scanner's code or a paste: one search once it is quiet, none per key
            self._settle = self.set_timer(SETTLE_S, partial(self._search_later, value))
            return
        products = self._search_now(value.strip()) if self._search_now is not None else None
        if products is None:
            self._search_later(value)
            return
        self.workers.cancel_group(self, "type-ahead")  # an older, slower answer must not replace these
        async with one_frame(self):  # the matches are drawn with the typed character
            self._offer(value, products)

    def _search_later(self, value: str) -> None:
        self.run_worker(self._search_then_offer(value), group="type-ahead", exclusive=True, exit_on_error=False)

    async def _search_then_offer(self, value: str) -> None:
        if value != self.input.value:
            return  # typed on (or the entry was sent) since
        try:
            products = list(await self._search(value.strip()))
        except Exception:  # offline or failing: no type-ahead, the entry still works
            products = []
        if value == self.input.value:
            self._offer(value, products)

    def _offer(self, value: str, products: list[Any]) -> None:
        self._show_matches(value, products)
        suggestion = completion(value, products)
        if suggestion:
            self.input.post_message(SuggestionReady(value, suggestion))

    # -- results from the screen ---------------------------------------------------
    def succeeded(self, text: str, message: str = "") -> None:
        """The entry ``text`` was added (the field was cleared when it was submitted): say so."""
        self.say(message)

    def failed(self, text: str, message: str) -> None:
        """The entry was refused: put the typed text back (or, if the rep typed on, keep it to come
        back next, before older refused lines) and say why."""
        self.to_fix.insert(0, text)
        back = self.pull_fix()
        self.say(f"! {message}" + ("" if back else f" ({text} kept: Enter on an empty field brings it back)"))

    def keep_for_fixing(self, texts: list[str]) -> None:
        """Refused lines: the first into the field when it is empty, the others wait their turn."""
        self.to_fix.extend(texts)
        if not self.input.value.strip():
            self.pull_fix()

    def pull_fix(self) -> bool:
        """The next refused line into the (empty) field; False when none waits."""
        if not self.to_fix or self.input.value.strip():
            return False
        text = self.to_fix.pop(0)
        with self.input.prevent(Input.Changed):
            self.input.value = text
            self.input.cursor_position = len(text)
        return True

    def succeeded_then_next(self, text: str, message: str) -> None:
        """After a line was added: the next refused line (if any) comes back into the field."""
        self.succeeded(text, message)
        if self.pull_fix():
            waiting = len(self.to_fix)
            self.say(f"{message}. Next refused line back in the field" + (f" ({waiting} more wait)" if waiting else ""))

    # -- events --------------------------------------------------------------------
    @on(Input.Submitted, "#entry")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        self.hide_matches()
        if not text:
            if self.pull_fix():  # Enter on an empty field brings back the next refused line
                self.say(
                    "A refused line, back for fixing" + (f" ({len(self.to_fix)} more wait)" if self.to_fix else "")
                )
            return
        # the field was cleared as Enter was read (EntryInput.action_submit); a refusal puts the text back
        self.post_message(self.Entered(self, (text,)))

    @on(Pasted)
    def _pasted(self, event: Pasted) -> None:
        event.stop()
        self.hide_matches()
        self.say(f"... Entering {len(event.lines)} pasted lines")
        self.post_message(self.Entered(self, event.lines, pasted=True))

    @on(NothingToComplete)
    def _nothing_to_complete(self, event: NothingToComplete) -> None:
        event.stop()
        self.say("Tab completes a SKU when one is offered (none now); F7 goes to the lines")

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
