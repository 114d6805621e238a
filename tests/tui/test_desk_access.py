"""The one typed way to the Desk: what it gives and how it refuses."""

from __future__ import annotations

import pytest
from textual.app import App
from textual.worker import WorkerState

from nymble_desk.tui.app import NymbleApp
from nymble_desk.tui.desk_access import NoDesk, desk_of, desk_or_none
from nymble_desk.tui.worker_outcome import NoOutcome, error_of, result_of


async def test_an_app_without_a_desk_is_refused_by_name() -> None:
    app: App[None] = App()
    async with app.run_test():
        with pytest.raises(NoDesk, match="App carries no Desk"):
            desk_of(app.screen)


async def test_before_sign_in_there_is_no_desk_and_the_accessor_says_so(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("NYMBLE_DESK_CONFIG_DIR", str(tmp_path))
    app = NymbleApp(desk=None)
    async with app.run_test():
        assert desk_or_none(app.screen) is None
        with pytest.raises(NoDesk, match="not signed in"):
            desk_of(app.screen)
        with pytest.raises(NoDesk, match="not signed in"):
            app.require_desk()


async def test_worker_outcomes_say_which_state_guarantees_what() -> None:
    async def gives() -> int:
        return 7

    async def fails() -> int:
        raise ValueError("refused")

    async def nothing() -> None:
        return None

    app: App[None] = App()
    async with app.run_test() as pilot:
        good = app.run_worker(gives(), exit_on_error=False)
        bad = app.run_worker(fails(), exit_on_error=False)
        empty = app.run_worker(nothing(), exit_on_error=False)
        while not all(w.is_finished for w in (good, bad, empty)):
            await pilot.pause()
        assert good.state is WorkerState.SUCCESS and result_of(good) == 7
        assert bad.state is WorkerState.ERROR and isinstance(error_of(bad), ValueError)
        with pytest.raises(NoOutcome):
            result_of(empty)
        with pytest.raises(NoOutcome):
            error_of(good)
