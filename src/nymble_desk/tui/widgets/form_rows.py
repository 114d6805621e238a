"""One row of a small modal form: a label, then its field.

The payment, refund and order-edit modals lay their fields out the same way: a
``Horizontal.row`` holding a ``Label.field-label`` and the field (an
``OrderedInput`` or a ``Select``); each modal's .tcss sizes those two classes.
"""

from __future__ import annotations

from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Label


def form_row(label: str, field: Widget) -> Horizontal:
    """``Horizontal(classes="row")`` with ``Label(label, classes="field-label")`` and ``field``."""
    return Horizontal(Label(label, classes="field-label"), field, classes="row")
