"""The nymble-desk application: navigation, the sync loop and the status feed.

Screens do the work; this module only decides which screen is in front:
sign-in -> drafts offer (when drafts exist) -> customer lookup -> cart (E2's
CartScreen, imported lazily). The stack is [default, area, cart, ...] where an
area is the lookup or the drafts screen.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any
from collections.abc import Callable, Iterator

from textual import events
from textual.app import App, SystemCommand
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.worker import Worker, WorkerState

from nymble_desk import gc_pause
from nymble_desk.errors import Unauthorized, in_plain_words
from nymble_desk.tui.colour_depth import mark_colour_depth
from nymble_desk.tui.commands import CustomerJumps, ScreenActions, system_commands
from nymble_desk.tui.desk_access import NoDesk
from nymble_desk.tui.session_mode import SessionMode
from nymble_desk.tui.first_paint import when_painted
from nymble_desk.tui.index_worker import IndexKeeper
from nymble_desk.tui.key_gate import KeyGate
from nymble_desk.tui.keymap import APP_BINDINGS, WEB_KEYS
from nymble_desk.tui.messages import OpenCart, SignedIn, StartOrder
from nymble_desk.tui.screen_routes import ScreenRoutes
from nymble_desk.tui.screens.customers import CustomerLookupScreen
from nymble_desk.tui.screens.drafts import DraftsScreen
from nymble_desk.tui.screens.help import HelpScreen, key_rows
from nymble_desk.tui.screens.signin import SignInScreen
from nymble_desk.tui.widgets.too_small import SizeGuard

if TYPE_CHECKING:
    from nymble_desk.config import Settings
    from nymble_desk.startup_errors import LocalProblem
    from nymble_desk.sync.desk import Desk, Identity
    from nymble_desk.tui.desk_access import AppDesk

log = logging.getLogger(__name__)

Connect = Callable[[str, str, str, str], "Desk"]  # (base_url, org_code, client_id, secret) -> Desk
STATUS_EVERY = 2.0
MAX_SYNC_BACKOFF = 30.0  # seconds between automatic syncs while nothing moves
NEEDS_SIGN_IN = {"customers", "drafts", "sync", "orders", "invoices"}


class NymbleApp(App[None], inherit_bindings=False):
    TITLE = "nymble-desk"
    CSS_PATH = "app.tcss"
    BINDINGS = APP_BINDINGS
    COMMANDS = App.COMMANDS | {ScreenActions, CustomerJumps}

    # The app's state for the widgets that watch it.  ``repaint=False``: a reactive of the App that repaints
    # repaints the whole screen (App.refresh), and these change while the rep types (the index fill's
    # percentage, a sync starting and ending); the status line and the screens redraw what they show.
    sync_status: reactive[Any] = reactive(None, init=False, repaint=False)
    syncing: reactive[bool] = reactive(False, init=False, repaint=False)
    signed_in: reactive[bool] = reactive(False, init=False, bindings=True, repaint=False)
    who: reactive[str | None] = reactive(None, init=False, repaint=False)
    # bumps after every sync, for screens that list drafts
    syncs_done: reactive[int] = reactive(0, init=False, repaint=False)
    # "index 2 min old", for the status line
    index_status: reactive[str | None] = reactive(None, init=False, repaint=False)
    # "TRADESHOW (assisted)", on the status line
    mode_label: reactive[str | None] = reactive(None, init=False, repaint=False)
    # "ORD-00099 placed", on the status line a while
    landed_note: reactive[str | None] = reactive(None, init=False, repaint=False)
    LANDED_NOTE_S = 120.0  # how long the status line keeps a landed order's number

    def __init__(
        self,
        desk: AppDesk | None = None,
        settings: Settings | None = None,
        *,
        signed_in: bool = False,
        connect: Connect | None = None,
        profile: str | None = None,
        sign_in_error: str | None = None,
        animation: str = "full",
        cursor_blink: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        # Settings (pydantic) load after the first frame when not given: the first screen waits for nothing.
        self._settings: Settings | None = settings
        self.settings_error: str | None = None
        self._settings_applied = False
        self._settings_problem: LocalProblem | None = None
        # A bad local file or setting found at start (launch sets local_problem for a damaged drafts file):
        # shown on LocalProblemScreen; while unresolved, quitting ends with exit code 2 and exit_line on stderr.
        self.local_problem: LocalProblem | None = None
        self.reopen_drafts: Callable[[], AppDesk] | None = None  # the Desk over a fresh drafts file after move-aside
        self.about: str | None = None  # where this desk works (the demo's sandbox URL), on F1's title line
        self.keys_in_use: dict[str, str] = {}  # binding id -> key, as given to set_keymap (key_name reads it)
        self.web_keys = False  # in a browser tab (`nymble-desk web`): keys the browser takes move (keymap.WEB_KEYS)
        self.exit_line: str | None = None
        self.desk: AppDesk | None = desk
        self.set_reactive(NymbleApp.signed_in, bool(signed_in and desk is not None))
        self._connect = connect
        self.profile = profile or (settings.profile if settings is not None else None)
        self._sign_in_error = sign_in_error
        self.animation_level = animation  # type: ignore[assignment]
        self.cursor_blink = cursor_blink
        self.identity: Identity | None = None
        self._sync: Worker[Any] | None = None
        self._landed_timer: Timer | None = None  # clears landed_note
        self._queued_at_sync = 0
        self._sync_backoff = 0.0
        self._next_auto_sync = 0.0
        self._identify: Worker[Any] | None = None
        self.index_keeper = IndexKeeper(self)
        self.key_gate = KeyGate(self)  # keys typed ahead wait for the screen they lead to
        self.size_guard = SizeGuard(self)  # below 80x24: "too small", never a cut number
        self.routes = ScreenRoutes(self)  # how screens open one another (tui/navigation.py)
        self.session_mode = SessionMode()  # trade show / covering rep (tui/session_mode.py)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded and self.key_gate.take(event):
            return
        await super().on_event(event)

    # --- start ----------------------------------------------------------------
    @property
    def settings(self) -> Settings:
        if self._settings is None:
            from nymble_desk.config import Settings, load_settings
            from nymble_desk.startup_errors import LocalProblem, log_failure

            try:
                self._settings = load_settings()
            except LocalProblem as problem:  # shown to the rep (LocalProblemScreen); the app runs on defaults
                log_failure(problem, "reading the settings")
                self.settings_error = problem.line()
                self._settings_problem = problem
                self._settings = Settings.model_construct()
        return self._settings

    def on_mount(self) -> None:
        if self.web_keys:  # before the first frame: the footer never shows a key the browser keeps
            self.keys_in_use = dict(WEB_KEYS)
            self.set_keymap(self.keys_in_use)
        if not self.is_headless:  # a real terminal's depth (headless runs and snapshots do not depend on $TERM)
            mark_colour_depth(self, self.console.color_system)  # fields underlined where colour cannot show them
        if self.local_problem is not None:
            self.show_local_problem(self.local_problem, move_aside=True)
            return
        self._start()

    def _start(self) -> None:
        if self._settings is not None:
            self.apply_settings()
        if self.signed_in:
            # after the start-up batch: a screen pushed inside it is rendered twice (~15 ms)
            self.call_later(self.enter)
        else:
            self.push_screen(self.signin_screen(self._sign_in_error))
        # Everything else waits for the first frame, footer keys included: settings files, the API client,
        # the status feed (started any sooner, their imports held that frame back).
        when_painted(self, self._after_first_frame)
        self.call_after_refresh(self.size_guard.install)

    def on_resize(self, event: events.Resize) -> None:
        self.size_guard.check(event.size)

    def get_system_commands(self, screen: Screen[Any]) -> Iterator[SystemCommand]:
        return system_commands(super().get_system_commands(screen))

    def _after_first_frame(self) -> None:
        gc_pause.resume()  # paused by launch for the way to the first frame
        if not self._settings_applied:
            if self._settings is None:  # pydantic's import and the validation (~150 ms): off the event loop
                self.run_worker(self._read_settings, thread=True, group="settings", exit_on_error=False)
            else:
                self.apply_settings()
        self._check_drafts_file()
        if self.signed_in:
            try:
                signing_in = self.require_desk().sign_in()  # a DeferredDesk builds the API client here
            except Exception as exc:  # the saved profile cannot be used (invalid settings, no secret)
                log.exception("cannot use the saved profile")
                self.signed_in = False
                self.show_area(self.signin_screen(f"The saved profile cannot be used: {in_plain_words(exc)}"))
            else:
                self._identify = self.run_worker(signing_in, group="identify", exit_on_error=False)
        self.set_interval(STATUS_EVERY, self.refresh_status)
        self.refresh_status()

    def _read_settings(self) -> None:
        """In a thread: read and validate the settings (a problem is kept for apply_settings), then apply."""
        self.settings  # noqa: B018 - the property reads them
        self.call_from_thread(self._settings_read)

    def _settings_read(self) -> None:
        if not self._settings_applied:
            self.apply_settings()

    def apply_settings(self) -> None:
        self._settings_applied = True
        settings = self.settings
        self.profile = self.profile or settings.profile
        self.keys_in_use = {**WEB_KEYS, **settings.keymap} if self.web_keys else dict(settings.keymap)
        self.set_keymap(self.keys_in_use)
        if settings.session_channel and self.session_mode.channel is None:
            self.session_mode.channel = settings.session_channel
            self.mode_label = self.session_mode.label or None
        try:
            self.theme = settings.theme
        except Exception:  # an unknown theme name is a settings mistake, not a crash
            log.warning("unknown theme %r in settings", settings.theme)
            self.notify(f"Unknown theme “{settings.theme}” in config.toml; using the default.")
        problem = self._settings_problem
        if problem is not None:
            self._settings_problem = None
            # after this turn: a failed sign-in with these settings replaces the screens beneath, not this one
            self.call_after_refresh(self.show_local_problem, problem, continue_on_defaults=True)

    def action_session_mode(self) -> None:
        """Ctrl+G: take the next orders as TradeShow, then Phone (assisted), then as usual."""
        self.session_mode.cycle()
        self.mode_label = self.session_mode.label or None
        self.notify(f"Taking orders as {self.session_mode.label}" if self.session_mode.channel else
                    "Taking orders as usual (channel chosen at checkout)")

    # --- a bad local file or setting ----------------------------------------------------
    def show_local_problem(self, problem: LocalProblem, *, move_aside: bool = False,
                           continue_on_defaults: bool = False) -> None:
        from nymble_desk.tui.screens.local_problem import LocalProblemScreen

        if isinstance(self.screen, LocalProblemScreen) and self.screen.problem.line() == problem.line():
            return  # already in front (a failed saved sign-in shows it again over the sign-in screen)
        self.exit_line = f"nymble-desk: {problem.line()}"
        screen = LocalProblemScreen(problem, move_aside=move_aside, continue_on_defaults=continue_on_defaults)
        self.push_screen(screen, lambda choice: self._local_problem_chosen(problem, choice))

    def _local_problem_chosen(self, problem: LocalProblem, choice: str | None) -> None:
        self.exit_line = None
        if choice != "move-aside":
            return
        from nymble_desk.drafts.health import DraftsDamaged, move_aside

        if not isinstance(problem, DraftsDamaged):
            return
        store = getattr(self.desk, "store", None)
        if store is not None:
            store.close()  # its connections must not follow the renamed file
        try:
            target = move_aside(problem.path)
            self.desk = self.reopen_drafts() if self.reopen_drafts is not None else None
        except Exception as exc:
            log.exception("moving the damaged drafts file aside failed")
            self.exit_line = f"nymble-desk: cannot move {problem.path} aside: {exc}"
            self.exit(return_code=2)
            return
        log.info("moved the damaged drafts file %s to %s", problem.path, target)
        self.notify(f"The damaged drafts file was moved to {target}; starting with no drafts.", timeout=15)
        self.local_problem = None
        self.signed_in = self.desk is not None  # a saved profile signs in again over the fresh file
        # (was `not self.is_mounted or ...`: App.is_mounted is a method taking a widget, so that test was
        # always False; an app not mounted yet has no screens, which the length test covers)
        if len(self.screen_stack) <= 1:
            self._start()
        elif self.signed_in:
            self.enter()

    def _check_drafts_file(self) -> None:
        """Read every page of the drafts file once, in a thread after the first frame: damage the start-up
        checks cannot see (a bad page inside) is put to the rep before it breaks a screen."""
        store = getattr(self.desk, "store", None)
        if store is None or not hasattr(store, "check"):
            return

        def check() -> None:
            from nymble_desk.drafts.health import DraftsDamaged

            try:
                reason = store.check()
            except Exception:
                log.exception("checking the drafts file failed")
                return
            if reason is not None:
                log.error("drafts file %s: %s", store.path, reason)
                self.call_from_thread(self.show_local_problem, DraftsDamaged(store.path, reason), move_aside=True)

        self.run_worker(check, thread=True, group="drafts-check", exit_on_error=False)

    def connect(self, base_url: str, org_code: str, client_id: str, client_secret: str) -> Desk:
        """Build the Desk for these credentials (tests inject an in-process one)."""
        if self._connect is not None:
            return self._connect(base_url, org_code, client_id, client_secret)
        from nymble_desk.sync.connect import build_desk

        return build_desk(base_url, org_code, client_id, client_secret, timeout=self.settings.api.timeout)

    def signin_screen(self, error: str | None = None) -> SignInScreen:
        if self._settings is None:  # a first screen: prefilled without pydantic, validated after the frame
            from nymble_desk.config_quick import sign_in_prefill  # stdlib only

            quick = sign_in_prefill(self.profile)
            return SignInScreen(org_code=quick.org_code, client_id=quick.client_id, base_url=quick.base_url,
                                profile=quick.profile, error=error)
        profile = self.settings.active_profile()
        return SignInScreen(
            org_code=profile.org_code if profile else "",
            client_id=profile.client_id if profile else "",
            base_url=self.settings.base_url_for(profile),
            profile=self.profile or self.settings.profile,
            error=error,
        )

    def on_signed_in(self, message: SignedIn) -> None:
        self.desk = message.desk
        self._set_identity(message.identity)
        if message.profile:
            self.profile = message.profile
        self.signed_in = True
        self.refresh_status()
        self.enter()
        self.index_keeper.start()  # after the first screen is up: it never waits for the index

    def _set_identity(self, identity: Identity | None) -> None:
        self.identity = identity
        if identity is not None:
            who = getattr(identity, "rep_number", None) or getattr(identity, "user_id", None) or ""
            self.who = f"{getattr(identity, 'org_code', '')} {who}".strip()
        self.refresh_status()

    def require_desk(self) -> AppDesk:
        """The Desk, for what runs only once there is one (signed in, or a saved profile's DeferredDesk)."""
        if self.desk is None:
            raise NoDesk("not signed in: there is no Desk yet")
        return self.desk

    def enter(self) -> None:
        """The first screen after sign-in: the drafts offer when drafts exist, else lookup."""
        if self.require_desk().drafts():
            self.show_area(DraftsScreen())
        else:
            self.show_area(CustomerLookupScreen())

    # --- navigation --------------------------------------------------------------
    def show_area(self, screen: Screen[Any]) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(screen)

    def open_cart(self, draft_id: str) -> None:
        try:
            from nymble_desk.tui.screens.cart import CartScreen
        except ImportError:
            log.exception("cart screen unavailable")
            self.notify("The cart screen is not available in this build.", severity="error")
            return
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.push_screen(CartScreen(draft_id))

    def start_order(self, customer: Any) -> str | None:
        """Open (or resume) the customer's draft in the cart; returns a refusal, if any."""
        name = f"{customer.company_name} ({customer.customer_number})"
        if getattr(customer, "active", True) is False:
            refusal = f"{name} is INACTIVE: orders cannot be started for an inactive customer."
            self.notify(refusal, severity="warning")
            return refusal
        try:
            draft = self.require_desk().open_draft(customer)
        except Exception as exc:
            log.info("open_draft refused for %s: %s", customer.customer_number, type(exc).__name__)
            refusal = str(exc) or f"Cannot start an order for {name}."
            self.notify(refusal, severity="warning")
            return refusal
        if getattr(customer, "credit_hold", False):
            self.notify(f"{name} is ON HOLD for credit: the order may be held.", severity="warning")
        self.open_cart(draft.id)
        return None

    def on_open_cart(self, message: OpenCart) -> None:
        self.open_cart(message.draft_id)

    def on_start_order(self, message: StartOrder) -> None:
        self.start_order(message.customer)

    # --- actions ---------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in NEEDS_SIGN_IN and not self.signed_in:
            return False
        # the key of the area already in front: hidden, which keeps the footer in 80 columns
        return action != getattr(self.screen, "AREA_ACTION", None)

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
            return
        screen = self.screen
        title = getattr(screen, "TITLE", None) or type(screen).__name__.removesuffix("Screen") or "Screen"
        about = f" · {self.about}" if self.about else ""
        self.push_screen(HelpScreen(key_rows(self, screen), title=f"{title}: keys{about}"))

    def action_customers(self) -> None:
        if self.signed_in:
            self.show_area(CustomerLookupScreen())

    def action_drafts(self) -> None:
        if self.signed_in:
            self.show_area(DraftsScreen())

    def action_orders(self) -> None:
        if self.signed_in:
            from nymble_desk.tui.screens.orders import OrdersScreen

            self.show_area(OrdersScreen())

    def action_invoices(self) -> None:
        """Invoices: over the cart for its customer (its panel refreshes after a payment), else as an area."""
        if not self.signed_in:
            return
        from nymble_desk.tui.screens.invoices import InvoicesScreen

        draft = getattr(self.screen, "draft", None)
        if draft is not None and getattr(draft, "customer_number", None):
            self.push_screen(InvoicesScreen(customer=draft.customer_number))
        else:
            self.show_area(InvoicesScreen())

    @property
    def after_sales(self) -> Any:
        """The AfterSales service (orders, invoices, payments) over the current Desk."""
        from nymble_desk.sync.after_sales import AfterSales

        current = getattr(self, "_after_sales", None)
        if current is None or current.desk is not self.desk:
            desk = self.require_desk()
            current = self._after_sales = AfterSales(desk.client, desk)
        return current

    def action_sync(self) -> None:
        if self.signed_in:
            self.start_sync()

    # --- status and sync ---------------------------------------------------------------
    def refresh_status(self, *, may_sync: bool = True) -> None:
        if self.desk is None or not self.signed_in:
            return
        try:
            status = self.desk.status
        except Exception:
            log.exception("reading the sync status failed")
            return
        self.sync_status = status
        self.index_keeper.show()
        if (may_sync and bool(getattr(status, "queued", 0)) and (self._sync is None or self._sync.is_finished)
                and time.monotonic() >= self._next_auto_sync):
            self.start_sync()

    def _back_off_after(self, queued_before: int) -> None:
        """A sync that left work queued and moved nothing waits longer before the next automatic one
        (2 s doubling to 30 s), so an unreachable API or a refused change never spins the CPU."""
        queued = getattr(self.desk.status, "queued", 0) if self.desk is not None else 0
        if queued and queued >= queued_before:
            self._sync_backoff = min(max(self._sync_backoff * 2, STATUS_EVERY), MAX_SYNC_BACKOFF)
        else:
            self._sync_backoff = 0.0
        self._next_auto_sync = time.monotonic() + self._sync_backoff

    def start_sync(self) -> None:
        if self._sync is not None and not self._sync.is_finished:
            return  # never cancel a running sync: it may be mid-checkout
        self.syncing = True
        self._queued_at_sync = getattr(self.sync_status, "queued", 0) or 0
        self._sync = self.run_worker(self.require_desk().sync_now(), group="sync", name="sync", exit_on_error=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        finished = event.state in (WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED)
        if event.state is WorkerState.ERROR:
            log.error("worker %r (group %s) failed", worker.name, worker.group, exc_info=worker.error)
        if worker is self._sync and finished:
            self.syncing = False
            self.syncs_done += 1
            if event.state is WorkerState.ERROR:
                self.notify(f"Sync failed: {in_plain_words(worker.error)}", severity="warning")
            self.announce_landed()
            self._back_off_after(self._queued_at_sync)
            self.refresh_status(may_sync=False)  # the next automatic sync waits for the status tick
        elif worker is self._identify and finished:
            from nymble_desk.sync.connect import ProfileUnusable  # the saved profile's Desk is built in the worker

            if event.state is WorkerState.SUCCESS:
                self._set_identity(worker.result)
                self.index_keeper.start()
            elif isinstance(worker.error, ProfileUnusable):
                self.signed_in = False
                reason = in_plain_words(worker.error.__cause__ or worker.error)
                self.show_area(self.signin_screen(f"The saved profile cannot be used: {reason}"))
                from nymble_desk.startup_errors import LocalProblem  # stdlib only

                if isinstance(worker.error.__cause__, LocalProblem):  # the setting at fault, over the sign-in
                    self.call_after_refresh(self.show_local_problem, worker.error.__cause__, continue_on_defaults=True)
            elif isinstance(worker.error, Unauthorized):
                self.signed_in = False
                self.show_area(self.signin_screen("The saved sign-in was refused; enter the secret again."))

    def announce_landed(self) -> None:
        """Orders queued offline that this sync placed: each one's number, said once."""
        take = getattr(self.desk, "take_landed", None)
        numbers = []
        for landed in take() if take is not None else ():
            self.notify(f"Order {landed.order_number} placed for {landed.customer_name} "
                        f"({landed.customer_number}): the queued checkout has landed.",
                        title="Order placed", timeout=30)
            numbers.append(f"{landed.order_number} ({landed.customer_number})")
        if numbers:  # the status line says it too, for a while: a toast is easily missed
            self.landed_note = "placed " + ", ".join(numbers)
            if self._landed_timer is not None:
                self._landed_timer.stop()
            self._landed_timer = self.set_timer(self.LANDED_NOTE_S, self._forget_landed)

    def _forget_landed(self) -> None:
        self.landed_note = None
        self._landed_timer = None

    async def on_unmount(self) -> None:
        self.index_keeper.stop()
        aclose = getattr(self.desk, "aclose", None)  # a DeferredDesk closes only what it built
        if aclose is None:
            aclose = getattr(getattr(self.desk, "client", None), "aclose", None)
        if aclose is not None:
            try:
                await aclose()
            except Exception:
                log.exception("closing the API client failed")

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if not self.cursor_blink and hasattr(event.widget, "cursor_blink"):
            event.widget.cursor_blink = False
