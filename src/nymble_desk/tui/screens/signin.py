"""Sign in: org code, client id, secret, API base URL and a profile name to save.

Enter moves to the next empty field and signs in once all are filled; F9 signs
in from anywhere. Errors are shown under the field at fault, in plain words.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Checkbox, Input, Label, Static
from textual.worker import Worker, WorkerState

from nymble_desk.errors import ApiError, NotFound, RateLimited, Unauthorized, in_plain_words, is_offline
from nymble_desk.tui.key_gate import Hold, KeyGate
from nymble_desk.tui.keymap import SIGNIN_BINDINGS
from nymble_desk.tui.messages import SignedIn
from nymble_desk.tui.widgets.fit_footer import FitFooter
from nymble_desk.tui.widgets.ordered_input import OrderedInput
from nymble_desk.tui.widgets.status_line import StatusLine
from nymble_desk.tui.worker_outcome import result_of

log = logging.getLogger(__name__)

# field id -> (label, placeholder, required)
FIELDS: dict[str, tuple[str, str, bool]] = {
    "org": ("Org code", "e.g. DEMO", True),
    "client": ("Client id", "e.g. demo-rep", True),
    "secret": ("Client secret", "never shown, never logged", True),
    "url": ("API base URL", "http://127.0.0.1:8765", True),
    "profile": ("Profile name", "saved as this name (empty: not saved)", False),
}

# problem-details field names -> our field ids
SERVER_FIELDS = {"orgcode": "org", "clientid": "client", "clientsecret": "secret"}


def classify_error(error: BaseException, base_url: str) -> tuple[str, str]:
    """(field id, plain message) for a failed sign-in."""
    fields = error.errors if isinstance(error, ApiError) else {}
    if fields:
        key, messages = next(iter(fields.items()))
        field = SERVER_FIELDS.get(str(key).replace("_", "").lower(), "secret")
        text = f"{FIELDS[field][0]}: {' '.join(messages) or 'not accepted'}"
        if isinstance(error, Unauthorized):
            text += " Sign-in refused: check the org code, client id and secret."
        return field, text
    if isinstance(error, Unauthorized):
        return "secret", "Sign-in refused: check the org code, client id and secret."
    if isinstance(error, NotFound):
        return "url", f"No Nymble Commerce API answers at {base_url}."
    if isinstance(error, RateLimited):
        wait = error.retry_after
        return "secret", "Too many sign-in attempts" + (f"; try again in {wait:.0f} s." if wait else "; wait a minute.")
    if is_offline(error) or isinstance(error, OSError):
        return "url", f"Cannot reach {base_url}: check the address and the network."
    return "url", f"Sign-in failed: {in_plain_words(error)}"


class SignInScreen(Screen[None]):
    TITLE = "Sign in"
    CSS_PATH = "signin.tcss"
    BINDINGS = SIGNIN_BINDINGS
    AUTO_FOCUS = "#org"

    def __init__(self, *, org_code: str = "", client_id: str = "", base_url: str = "",
                 profile: str = "", error: str | None = None) -> None:
        super().__init__()
        self._initial = {"org": org_code, "client": client_id, "url": base_url, "profile": profile, "secret": ""}
        self._initial_error = error
        self._attempt: Worker[Any] | None = None
        self._typed_ahead: Hold | None = None  # keys typed during a sign-in wait for where it leads

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="signin-form"):
            yield Static("Sign in to Nymble Commerce", id="signin-title")
            for field, (label, placeholder, _required) in FIELDS.items():
                with Vertical(classes="field", id=f"field-{field}"):
                    with Horizontal(classes="field-row"):
                        yield Label(label, classes="field-label")
                        yield OrderedInput(
                            value=self._initial[field],
                            placeholder=placeholder,
                            password=field == "secret",
                            compact=True,
                            id=field,
                        )
                    yield Static("", classes="field-error", id=f"{field}-error")
            yield Checkbox("Save this profile", value=True, compact=True, id="save")
            yield Static("", id="signin-message")
        yield StatusLine()
        yield FitFooter(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        first_empty = next((f for f in FIELDS if FIELDS[f][2] and not self._initial[f]), "org")
        found = self.query(f"#{first_empty}")
        if not found:  # the app quit while this screen mounted (F10 on the problem screen in front of it)
            return
        found.first(Input).focus()
        if self._initial_error:
            self.show_error("secret", self._initial_error)

    # --- helpers ------------------------------------------------------------
    def value(self, field: str) -> str:
        return self.query_one(f"#{field}", Input).value.strip()

    def clear_errors(self) -> None:
        for field in FIELDS:
            error = self.query_one(f"#{field}-error", Static)
            error.update("")
            error.display = False
            self.query_one(f"#{field}", Input).remove_class("-invalid")
        self.query_one("#signin-message", Static).update("")

    def show_error(self, field: str, message: str) -> None:
        error = self.query_one(f"#{field}-error", Static)
        error.update(f"! {message}")
        error.display = True
        self.query_one(f"#{field}", Input).add_class("-invalid")

    def missing(self) -> list[str]:
        return [f for f, (_l, _p, required) in FIELDS.items() if required and not self.value(f)]

    # --- events and actions ---------------------------------------------------
    @on(Input.Submitted)
    def _next_or_submit(self, event: Input.Submitted) -> None:
        event.stop()
        missing = self.missing()
        if not missing:
            self.action_sign_in()
            return
        order = list(FIELDS)
        after = order[order.index(event.input.id or "org") + 1:] + order
        target = next(f for f in after if f in missing)
        self.query_one(f"#{target}", Input).focus()

    def action_sign_in(self) -> None:
        self.clear_errors()
        missing = self.missing()
        for field in missing:
            self.show_error(field, f"{FIELDS[field][0]} is required.")
        if missing:
            self.query_one(f"#{missing[0]}", Input).focus()
            return
        if self._attempt is not None and self._attempt.is_running:
            return
        self.query_one("#signin-message", Static).update("Signing in…")
        gate = getattr(self.app, "key_gate", None)
        if isinstance(gate, KeyGate) and self._typed_ahead is None:
            # keys typed on (a customer to look up) go to the screen the sign-in leads to:
            # the lookup, or the field at fault when it is refused
            self._typed_ahead = gate.hold("sign-in")
        self._attempt = self.attempt(
            self.value("url"), self.value("org"), self.value("client"),
            self.query_one("#secret", Input).value, self.value("profile"),
            self.query_one("#save", Checkbox).value,
        )

    @work(exclusive=True, group="sign-in", exit_on_error=False)
    async def attempt(self, base_url: str, org: str, client: str, secret: str, profile: str,
                      save: bool) -> tuple[Any, Any, str | None]:
        desk = self.app.connect(base_url, org, client, secret)  # type: ignore[attr-defined]
        identity = await desk.sign_in()
        saved = None
        if save and profile:
            from nymble_desk.config import save_profile

            await asyncio.to_thread(
                save_profile, profile, org_code=org, client_id=client, secret=secret, base_url=base_url
            )
            saved = profile
        return desk, identity, saved

    def _release_typed_ahead(self) -> None:
        gate = getattr(self.app, "key_gate", None)
        if self._typed_ahead is not None and isinstance(gate, KeyGate):
            gate.release(self._typed_ahead)
        self._typed_ahead = None

    def on_unmount(self) -> None:
        self._release_typed_ahead()  # never keep keys for a screen that is gone

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker is not self._attempt:
            return
        if event.state in (WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED):
            self.call_later(self._release_typed_ahead)  # after what follows here (a new screen, a focus)
        if event.state is WorkerState.SUCCESS:
            desk, identity, saved = result_of(event.worker)
            self.post_message(SignedIn(desk, identity, saved))
        elif event.state is WorkerState.ERROR:
            error = event.worker.error
            assert error is not None
            log.info("sign-in failed: %s", type(error).__name__)
            field, message = classify_error(error, self.value("url"))
            self.query_one("#signin-message", Static).update("")
            self.show_error(field, message)
            self.query_one(f"#{field}", Input).focus()
