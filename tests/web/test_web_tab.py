"""The desk a browser tab runs (``python -m nymble_desk.web.tab``): the terminal's app, with the actions on
keys a browser takes (F5, F11, F12, ctrl+r, ctrl+t) moved where the footer and F1 say, and the demo's
sandbox named on F1 once the screen has taken over."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Static

from nymble_desk.tui.keymap import WEB_KEYS, key_name
from nymble_desk.tui.screens.help import HelpScreen
from nymble_desk.tui.widgets.fit_footer import FitFooter
from nymble_desk.web.tab import build_tab_app, parse

BROWSER_KEYS = {"f5", "f11", "f12", "ctrl+r", "ctrl+t", "ctrl+w", "ctrl+n"}


async def until(pilot: Pilot[Any], cond: Callable[[], bool], timeout: float = 20.0) -> None:
    end = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < end, "condition not met"
        await pilot.pause(0.02)


def bound_keys(app: Any) -> dict[str, str | None]:
    return {key: active.binding.id for key, active in app.screen.active_bindings.items()}


async def test_the_tab_moves_the_keys_a_browser_takes(isolated_dirs: Path, sandbox_dir: Path) -> None:
    from nymble_desk.sandbox.server import start_in_thread

    server = start_in_thread(sandbox_dir, customers=50, products=100)
    try:
        app = build_tab_app(parse(["--sandbox", server.base_url, "--identity", "sandbox:test",
                                   "--data-dir", str(isolated_dirs / "demo")]))
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            keys = bound_keys(app)  # from the first frame
            assert keys.get(WEB_KEYS["app-sync"]) == "app-sync"
            assert key_name(app, "app-sync", "f5") == "Ctrl+S"  # what "(... syncs now)" texts say
            assert not BROWSER_KEYS & set(keys)  # the lookup screen: no key the browser keeps
            footer = app.screen.query_one(FitFooter)
            await until(pilot, lambda: any(getattr(k, "key", "") == "ctrl+s" for k in footer.children))

            await pilot.press("f1")
            await until(pilot, lambda: isinstance(app.screen, HelpScreen))
            title = str(app.screen.query_one("#help-title", Static).render())
            assert f"demo sandbox {server.base_url}" in title
            body = str(app.screen.query_one("#help-keys", Static).render())
            assert "^s" in body and "f5" not in body
            await pilot.press("escape")
    finally:
        server.stop()


def test_every_browser_key_of_the_desk_has_a_web_key() -> None:
    """Every binding with an id on a key the browser keeps gets a web key that none of them is."""
    from textual.binding import Binding

    from nymble_desk.tui import keymap

    taken = []
    for name in dir(keymap):
        if name.endswith("_BINDINGS"):
            for binding in getattr(keymap, name):
                if isinstance(binding, Binding) and BROWSER_KEYS & set(binding.key.split(",")):
                    taken.append(binding.id)
    assert taken and all(binding_id in WEB_KEYS for binding_id in taken), taken
    assert not any(BROWSER_KEYS & set(keys.split(",")) for keys in WEB_KEYS.values())


async def test_without_a_saved_profile_the_tab_asks_to_sign_in_with_web_keys(isolated_dirs: Path) -> None:
    from nymble_desk.tui.screens.signin import SignInScreen

    app = build_tab_app(parse([]))
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, SignInScreen))
        assert app.web_keys  # sync waits for the sign-in; no key of the screen is one the browser keeps
        assert not BROWSER_KEYS & set(app.screen.active_bindings)


def test_key_name_follows_the_keymap() -> None:
    from types import SimpleNamespace

    terminal, tab = SimpleNamespace(keys_in_use={}), SimpleNamespace(keys_in_use=dict(WEB_KEYS))
    assert key_name(terminal, "app-sync", "f5") == "F5"
    assert key_name(tab, "app-sync", "f5") == "Ctrl+S"
    assert key_name(tab, "cart-customer-panel", "f12,ctrl+o") == "Ctrl+L"
    assert key_name(terminal, "cart-customer-panel", "f12,ctrl+o") == "F12"
