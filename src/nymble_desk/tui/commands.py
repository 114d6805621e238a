"""Command palette providers: the active screen's actions and "Customer: <name>" jumps."""

from __future__ import annotations

from functools import partial
from typing import Any
from collections.abc import Iterable, Iterator

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

SKIP_ACTIONS = {"command_palette"}
#: Textual's system commands that this app lists otherwise: Quit comes from its own binding
#: (F10, ctrl+q) and Keys would open Textual's panel of text-editing keys, where F1 teaches
DUPLICATE_SYSTEM_COMMANDS = {"Quit", "Keys"}


def system_commands(inherited: Iterable[SystemCommand]) -> Iterator[SystemCommand]:
    """Textual's system commands without the ones :class:`ScreenActions` already offers, so
    the palette lists Quit once."""
    return (command for command in inherited if command.title not in DUPLICATE_SYSTEM_COMMANDS)


def shadowed_app_bindings(app: App[Any], screen: Any) -> list[Binding]:
    """App-wide actions the app allows now that have no key on ``screen``, because the screen
    took the key for its own action (F9 is Invoices, but Open on the lookup): the palette and
    the help list them, reached by name."""
    keyed = {active.binding.action for active in screen.active_bindings.values() if active.node is app}
    return [b for b in getattr(app, "BINDINGS", ()) if isinstance(b, Binding) and b.description
            and b.action not in SKIP_ACTIONS and b.action not in keyed and app.check_action(b.action, ())]


class ScreenActions(Provider):
    """Every described binding reachable from the screen the palette was opened on."""

    def _actions(self) -> Iterator[tuple[str, Any, str]]:
        seen: set[tuple[int, str]] = set()
        app: App[Any] = self.app
        for _key, active in self.screen.active_bindings.items():
            binding = active.binding
            if not active.enabled or not binding.description or binding.action in SKIP_ACTIONS:
                continue
            if isinstance(active.node, App) is False and not binding.show:
                continue  # widget-internal keys (cursor moves) are not commands
            ident = (id(active.node), binding.action)
            if ident in seen:
                continue
            seen.add(ident)
            keys = [app.get_key_display(b.binding) for k, b in self.screen.active_bindings.items()
                    if b.binding.action == binding.action and b.node is active.node]
            callback = partial(app.run_action, binding.action, active.node)
            yield binding.description, callback, "Key: " + " ".join(dict.fromkeys(keys))
        for binding in shadowed_app_bindings(app, self.screen):
            yield binding.description, partial(app.run_action, binding.action, app), "Its key is taken on this screen"

    async def discover(self) -> Hits:
        for label, callback, help_text in self._actions():
            yield DiscoveryHit(label, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, callback, help_text in self._actions():
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), callback, help=help_text)


class CustomerJumps(Provider):
    """"Customer: <name>" entries that start or resume an order for that customer."""

    async def search(self, query: str) -> Hits:
        text = query.strip()
        desk = getattr(self.app, "desk", None)
        if len(text) < 2 or desk is None or not getattr(self.app, "signed_in", False):
            return
        for prefix in ("customer:", "customer"):
            if text.lower().startswith(prefix) and len(text) > len(prefix):
                text = text[len(prefix):].strip()
                break
        try:
            customers = await desk.search_customers(text, limit=8)
        except Exception:  # offline: the palette simply offers no customers
            return
        matcher = self.matcher(query)
        for customer in customers:
            flags = []
            if getattr(customer, "active", True) is False:
                flags.append("INACTIVE")
            if getattr(customer, "credit_hold", False):
                flags.append("ON HOLD")
            label = f"Customer: {customer.company_name} ({customer.customer_number})"
            if flags:
                label += " " + " ".join(flags)
            score = max(matcher.match(label), 0.2)
            yield Hit(
                score,
                matcher.highlight(label),
                partial(self.app.start_order, customer),  # type: ignore[attr-defined]
                help="Start or resume an order",
            )
