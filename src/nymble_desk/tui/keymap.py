"""Every key binding of nymble-desk, in one place.

Each binding carries an ``id`` so that the ``[keymap]`` table of config.toml can
rebind it (``app-palette = "f12"``); ids are hyphenated because a dotted bare
key in TOML makes a nested table. Keys that tmux, screen or SSH clients swallow
(ctrl+b, ctrl+a, ctrl+s) are not used in a terminal (web mode alone moves sync to
ctrl+s); ctrl+q always has f10 beside it.
Every action is also reachable from an F-key or the command palette, because a
focused Input takes enter, ctrl+a/e/d/w/u/k/x/c/v and the printable keys first.

f4 opens the orders screen and f9 the invoices (screens may take f9 for their own action).
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

# --- application-wide -------------------------------------------------------
APP_BINDINGS: list[BindingType] = [
    Binding("f1", "help", "Help", id="app-help"),
    Binding("f2", "customers", "Customers", id="app-customers"),
    Binding("f3", "drafts", "Drafts", id="app-drafts"),
    Binding("f4", "orders", "Orders", id="app-orders"),
    Binding("f5", "sync", "Sync", id="app-sync"),
    Binding("f9", "invoices", "Invoices", id="app-invoices"),
    # trade show / covering rep: cycles off -> TradeShow -> Phone (orderType Assisted), on the status line
    Binding("ctrl+g", "session_mode", "Taking as", show=False, id="app-taking-as"),
    Binding("ctrl+p", "command_palette", "Commands", id="app-palette", priority=True),
    Binding("f10,ctrl+q", "quit", "Quit", id="app-quit", priority=True),
]

# --- sign-in ----------------------------------------------------------------
SIGNIN_BINDINGS: list[BindingType] = [
    Binding("f9", "sign_in", "Sign in", id="signin-submit"),
]

# --- customer lookup ----------------------------------------------------------
LOOKUP_BINDINGS: list[BindingType] = [
    Binding("f9", "open_selected", "Open", id="lookup-open"),
    Binding("down", "focus_results", "Results", show=False, id="lookup-results"),
    Binding("escape", "focus_search", "Search", show=False, id="lookup-search"),
]

# --- drafts -------------------------------------------------------------------
DRAFTS_BINDINGS: list[BindingType] = [
    Binding("f9,enter", "resume", "Resume", id="drafts-resume"),
    Binding("d,delete", "discard", "Discard", id="drafts-discard"),
    Binding("n", "new_order", "New", show=False, id="drafts-new"),
]

# --- confirmation modal -------------------------------------------------------
CONFIRM_BINDINGS: list[BindingType] = [
    Binding("y", "confirm", "Yes", id="confirm-yes"),
    Binding("n,escape", "cancel", "No", id="confirm-no"),
]

# --- conflicts with the server cart (modal over the cart) -------------------------
CONFLICT_BINDINGS: list[BindingType] = [
    Binding("f6,m", "keep('mine')", "Keep this draft's", id="conflicts-mine"),
    Binding("f7,t", "keep('theirs')", "Take the server's", id="conflicts-theirs"),
    Binding("escape", "later", "Later", id="conflicts-later"),
]

# --- help -----------------------------------------------------------------------
HELP_BINDINGS: list[BindingType] = [
    Binding("escape,f1", "close", "Close", id="help-close"),
]

# --- order screens (cart, shipping, checkout) ---
# Cart: f6 ship-to/PO, f7 moves focus between the entry line and the lines table,
# f8 checkout. In the lines table: enter edits the quantity, delete removes the
# line, +/- step by the product's increment. escape leaves a modal; the shipping
# and checkout screens also go back with an F-key because escape lags in tmux.
CART_BINDINGS: list[BindingType] = [
    Binding("f6", "shipping", "Ship-to/PO", id="cart-shipping"),
    Binding("f7", "toggle_lines", "Lines", id="cart-lines"),
    Binding("f8", "checkout", "Checkout", id="cart-checkout"),
    Binding("f9", "review", "Review", id="cart-review"),  # the last look before placing, never a blind place
    # the order guide: what this customer bought in their last orders, to add in a key (screens/order_guide.py)
    Binding("f11,ctrl+r", "order_guide", "Guide", id="cart-guide"),  # ctrl+r: "repeat", as reorder's
    # the customer panel in full (addresses, last orders to reorder); at 80x24 it shows three lines
    Binding("f12,ctrl+o", "customer_panel", "Customer panel", show=False, id="cart-customer-panel"),
]

# The order guide (over the cart): enter on a row adds it at its usual quantity, f9 adds them all.
GUIDE_BINDINGS: list[BindingType] = [
    Binding("f9", "add_all", "Add all", id="guide-add-all"),
    Binding("f7,escape", "back", "Cart", id="guide-back"),
    Binding("enter", "add_line", "Add line", show=False, id="guide-add-line"),
]

LINE_TABLE_BINDINGS: list[BindingType] = [
    Binding("enter", "edit_quantity", "Qty", id="lines-qty"),
    Binding("delete", "remove_line", "Remove", id="lines-remove"),
    Binding("plus", "step(1)", "Step up", show=False, id="lines-plus"),
    Binding("minus", "step(-1)", "Step down", show=False, id="lines-minus"),
]

ENTRY_BINDINGS: list[BindingType] = [
    Binding("tab", "accept_suggestion", "Complete", show=False, id="entry-complete"),
    Binding("down", "focus_matches", "Matches", show=False, id="entry-matches"),
    Binding("escape", "clear_matches", "Clear", show=False, id="entry-clear"),
    # a line feed (a paste or a scanner that ends lines with LF, not CR) ends an entry like Enter
    Binding("ctrl+j", "submit", "Enter", show=False, id="entry-linefeed"),
]

QUANTITY_BINDINGS: list[BindingType] = [
    Binding("escape", "cancel", "Back", id="qty-back"),
]

SHIPPING_BINDINGS: list[BindingType] = [
    Binding("f6,escape", "back", "Cart", id="shipping-back"),
    Binding("f8", "checkout", "Checkout", id="shipping-checkout"),
    Binding("f9", "save_address", "Save address", id="shipping-save"),
]

CHECKOUT_BINDINGS: list[BindingType] = [
    Binding("f6", "shipping", "Ship-to/PO", id="checkout-shipping"),
    Binding("f7,escape", "back", "Cart", id="checkout-back"),
    Binding("f8", "order_terms", "Terms", id="checkout-terms"),  # notes, shipping, tax, rep discount
    Binding("f9", "submit", "Place order", id="checkout-submit"),
]

# The last look before an order is placed (a modal over the checkout): f9 or y places it.
REVIEW_BINDINGS: list[BindingType] = [
    Binding("f9,y", "place", "Place order", id="review-place"),
    Binding("f7,n,escape", "back", "Back", id="review-back"),
]

CONFIRMATION_BINDINGS: list[BindingType] = [
    Binding("f9", "email", "Email", id="confirmation-email"),
    Binding("f8", "done", "Done", id="confirmation-done"),
]

# --- after the order: orders, order detail, invoices and their modals ---------
# Orders: Enter in a filter searches, Enter on a row opens the order. Modals
# (payment, refund, ship-to, move, email) submit with f9 and go back with
# f7 or Escape (escape lags in tmux).
ORDERS_BINDINGS: list[BindingType] = [
    Binding("f6", "prev_page", "Prev page", id="orders-prev"),
    Binding("f7", "next_page", "Next page", id="orders-next"),
    Binding("f8", "cycle_sort", "Sort", id="orders-sort"),
    Binding("down", "focus_results", "Results", show=False, id="orders-results"),
    Binding("escape", "focus_filters", "Filters", show=False, id="orders-filters"),
]

ORDER_DETAIL_BINDINGS: list[BindingType] = [
    Binding("f6", "ship_to", "Ship-to", id="order-shipto"),
    Binding("f7", "move_customer", "Move", id="order-move"),
    Binding("f8", "email", "Email", id="order-email"),
    Binding("f9", "invoices", "Invoices", id="order-invoices"),
    Binding("f11,ctrl+r", "reorder", "Reorder", id="order-reorder"),
    Binding("f12,ctrl+t", "split_invoice", "Split", id="order-split"),
    Binding("escape", "back", "Back", id="order-back"),
]

SPLIT_INVOICE_BINDINGS: list[BindingType] = [
    Binding("f9", "submit", "Invoice", id="split-submit"),
    Binding("f6", "fill_left", "All left", id="split-fill"),
    Binding("f7,escape", "back", "Back", id="split-back"),
]

INVOICES_BINDINGS: list[BindingType] = [
    Binding("f6", "pay", "Pay", id="invoices-pay"),
    Binding("f7", "refund", "Refund", id="invoices-refund"),
    Binding("f8", "void", "Void", id="invoices-void"),
    Binding("f9", "cancel_invoice", "Cancel inv.", id="invoices-cancel"),
    Binding("f11", "issue", "Issue", id="invoices-issue"),
    Binding("f12", "complete_payment", "Complete", id="invoices-complete"),
    Binding("down", "focus_results", "Results", show=False, id="invoices-results"),
    Binding("escape", "back", "Back", id="invoices-back"),
]

AFTER_MODAL_BINDINGS: list[BindingType] = [
    Binding("f9", "submit", "Save", id="after-submit"),
    Binding("f7,escape", "back", "Back", id="after-back"),
]

# --- a bad local file or setting at start (tui/screens/local_problem.py) ---
LOCAL_PROBLEM_BINDINGS: list[BindingType] = [
    Binding("f2", "choose('move-aside')", "Move aside, start fresh", id="problem-move-aside"),
    Binding("f3", "choose('continue')", "Continue on defaults", id="problem-continue"),
]

# --- in a browser tab (`nymble-desk web`) ----------------------------------------
# A browser keeps some keys for itself: F5 and ctrl+r reload the page, F11 goes full screen,
# F12 opens its developer tools, ctrl+t/ctrl+w/ctrl+n open or close tabs and windows (no page
# can stop those). Served in a browser, the actions on them move to keys no browser takes; the
# footer and F1 show the new keys (a user [keymap] entry still wins). F5 -> ctrl+s, F11 -> ctrl+y,
# F12 -> ctrl+l, wherever they are used.
WEB_KEYS: dict[str, str] = {
    "app-sync": "ctrl+s",  # in a browser nothing swallows ctrl+s (no tmux, no XOFF); ctrl+g is "Taking as"
    "order-reorder": "ctrl+y",
    "cart-guide": "ctrl+y",
    "order-split": "ctrl+l",
    "invoices-issue": "ctrl+y",
    "invoices-complete": "ctrl+l",
    "cart-customer-panel": "ctrl+l",
}


def key_name(app: object, binding_id: str, default: str) -> str:
    """The key that runs ``binding_id`` now, as a sentence names it ("F5", "Ctrl+G"): text that tells
    the rep a key follows the keymap (settings, and the web mode's moved keys) like the footer does."""
    keys: dict[str, str] = getattr(app, "keys_in_use", {}) or {}
    key = keys.get(binding_id, default).split(",")[0].strip()
    return "+".join(part.upper() if len(part) <= 3 else part.capitalize() for part in key.split("+"))
