"""Every key binding of nymble-desk, in one place.

Each binding carries an ``id`` so that the ``[keymap]`` table of config.toml can
rebind it (``app-palette = "f12"``); ids are hyphenated because a dotted bare
key in TOML makes a nested table. Keys that tmux, screen or SSH clients swallow
(ctrl+b, ctrl+a, ctrl+s) are not used anywhere; ctrl+q always has f10 beside it.
Every action is also reachable from an F-key or the command palette, because a
focused Input takes enter, ctrl+a/e/d/w/u/k/x/c/v and the printable keys first.

f4 is reserved for the orders screen (a later issue).
"""

from __future__ import annotations

from textual.binding import Binding

# --- application-wide -------------------------------------------------------
APP_BINDINGS: list[Binding] = [
    Binding("f1", "help", "Help", id="app-help"),
    Binding("f2", "customers", "Customers", id="app-customers"),
    Binding("f3", "drafts", "Drafts", id="app-drafts"),
    Binding("f5", "sync", "Sync", id="app-sync"),
    Binding("ctrl+p", "command_palette", "Commands", id="app-palette", priority=True),
    Binding("f10,ctrl+q", "quit", "Quit", id="app-quit", priority=True),
]

# --- sign-in ----------------------------------------------------------------
SIGNIN_BINDINGS: list[Binding] = [
    Binding("f9", "sign_in", "Sign in", id="signin-submit"),
]

# --- customer lookup ----------------------------------------------------------
LOOKUP_BINDINGS: list[Binding] = [
    Binding("f9", "open_selected", "Open", id="lookup-open"),
    Binding("down", "focus_results", "Results", show=False, id="lookup-results"),
    Binding("escape", "focus_search", "Search", show=False, id="lookup-search"),
]

# --- drafts -------------------------------------------------------------------
DRAFTS_BINDINGS: list[Binding] = [
    Binding("enter", "resume", "Resume", id="drafts-resume"),
    Binding("delete,d", "discard", "Discard", id="drafts-discard"),
    Binding("n", "new_order", "New", id="drafts-new"),
]

# --- confirmation modal -------------------------------------------------------
CONFIRM_BINDINGS: list[Binding] = [
    Binding("y", "confirm", "Yes", id="confirm-yes"),
    Binding("n,escape", "cancel", "No", id="confirm-no"),
]

# --- help -----------------------------------------------------------------------
HELP_BINDINGS: list[Binding] = [
    Binding("escape,f1", "close", "Close", id="help-close"),
]

# --- order screens (cart, shipping, checkout) ---
# Cart: f6 ship-to/PO, f7 moves focus between the entry line and the lines table,
# f8 checkout. In the lines table: enter edits the quantity, delete removes the
# line, +/- step by the product's increment. escape leaves a modal; the shipping
# and checkout screens also go back with an F-key because escape lags in tmux.
CART_BINDINGS: list[Binding] = [
    Binding("f6", "shipping", "Ship-to/PO", id="cart-shipping"),
    Binding("f7", "toggle_lines", "Lines", id="cart-lines"),
    Binding("f8", "checkout", "Checkout", id="cart-checkout"),
]

LINE_TABLE_BINDINGS: list[Binding] = [
    Binding("enter", "edit_quantity", "Qty", id="lines-qty"),
    Binding("delete", "remove_line", "Remove", id="lines-remove"),
    Binding("plus", "step(1)", "Step up", show=False, id="lines-plus"),
    Binding("minus", "step(-1)", "Step down", show=False, id="lines-minus"),
]

ENTRY_BINDINGS: list[Binding] = [
    Binding("tab", "accept_suggestion", "Complete", show=False, id="entry-complete"),
    Binding("down", "focus_matches", "Matches", show=False, id="entry-matches"),
    Binding("escape", "clear_matches", "Clear", show=False, id="entry-clear"),
]

QUANTITY_BINDINGS: list[Binding] = [
    Binding("escape", "cancel", "Back", id="qty-back"),
]

SHIPPING_BINDINGS: list[Binding] = [
    Binding("f6,escape", "back", "Cart", id="shipping-back"),
    Binding("f8", "checkout", "Checkout", id="shipping-checkout"),
    Binding("f9", "save_address", "Save address", id="shipping-save"),
]

CHECKOUT_BINDINGS: list[Binding] = [
    Binding("f6", "shipping", "Ship-to/PO", id="checkout-shipping"),
    Binding("f7,escape", "back", "Cart", id="checkout-back"),
    Binding("f9", "submit", "Place order", id="checkout-submit"),
]

CONFIRMATION_BINDINGS: list[Binding] = [
    Binding("f9", "email", "Email", id="confirmation-email"),
    Binding("f8", "done", "Done", id="confirmation-done"),
]
