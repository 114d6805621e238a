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
    Binding("f6", "demo_values", "Demo values", id="signin-demo"),
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
    Binding("n", "new_order", "New order", id="drafts-new"),
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
