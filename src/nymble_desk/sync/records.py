"""The API's records as the Desk hands them up: the names the screens may use in type hints.

A screen never imports ``nymble_desk.api`` (``tests/test_layers.py``, the "never TUI -> API" of
docs/architecture.md): what it is given by the Desk it names through this module, so the TUI's
only road to the API's vocabulary runs through the Desk that owns the client.
"""

from __future__ import annotations

from nymble_desk.api.models import Customer, Discount, Order

__all__ = ["Customer", "Discount", "Order"]
