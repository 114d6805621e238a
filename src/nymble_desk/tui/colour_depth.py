"""Fields that show without colour: TERM=screen (16 colours) and NO_COLOR.

A compact field is told from its form only by a slightly different background. With 16
colours (TERM=screen without COLORTERM) both backgrounds become black, and with NO_COLOR
there are none, so the sign-in and ship-to forms looked like blank areas. The app marks
itself ``-few-colours`` when the terminal has 16 colours or fewer, and app.tcss then draws
every field underlined across its width, the focused one bold, the cursor reversed (the
same rules apply under ``App:nocolor``).
"""

from __future__ import annotations

from typing import Any

from textual.app import App

FEW_COLOURS = "-few-colours"
#: Rich's colour systems that cannot tell a field's background from its form's
FEW = {None, "standard", "windows"}


def mark_colour_depth(app: App[Any], color_system: str | None) -> None:
    """Add (or drop) the ``-few-colours`` class on ``app`` for the terminal's ``color_system``."""
    app.set_class(color_system in FEW, FEW_COLOURS)
