"""After the first frame the settings are read off the event loop: pydantic's import and the
validation (~150 ms of CPU) once held every key typed right after the first frame."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from nymble_desk import config, paths
from nymble_desk.config import config_path
from nymble_desk.tui.screens.customers import CustomerLookupScreen

from test_shell_support import on_screen, until


async def test_settings_are_read_in_a_thread_and_applied(make_app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    paths.ensure(config_path().parent)
    config_path().write_text('[keymap]\napp-help = "f12"\n', encoding="utf-8")  # proof they were applied
    threads: list[str] = []
    real = config.load_settings

    def load_settings(**overrides: Any) -> Any:
        threads.append(threading.current_thread().name)
        return real(**overrides)

    monkeypatch.setattr(config, "load_settings", load_settings)
    app = make_app(settings=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, on_screen(app, CustomerLookupScreen), timeout=10)
        await until(pilot, lambda: bool(threads), timeout=10)
        assert threading.main_thread().name not in threads
        await until(pilot, lambda: any(b.binding.key == "f12" for b in app.active_bindings.values()
                                       if b.binding.action == "help"), timeout=10)  # the keymap applied
