"""Draw a keystroke's echo and what it changed elsewhere in one frame.

Textual repaints a widget when it is next idle: each widget asks the screen from its
own message queue. When a key changes a field and, from its handler, a list or table
elsewhere, the field usually asks first; the screen then draws the typed character
at once and the rest on its next frame, which its update timer puts 16-33 ms later.
:func:`one_frame` holds the screen's frames while the changed widgets ask (a few
turns of the event loop, no waiting), then lets it draw them all together.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from textual.dom import DOMNode

from nymble_desk.tui.textual_compat import TURNS_TO_REACH_SCREEN

#: event-loop turns for the changed widgets' repaint requests to reach the screen (checked by
#: the tripwires of textual_compat)
TURNS = TURNS_TO_REACH_SCREEN


@asynccontextmanager
async def one_frame(node: DOMNode) -> AsyncIterator[None]:
    """``async with one_frame(self): ...change widgets...``: their repaint is one frame.

    Nothing here waits on time: if the screen drew before the hold began, the changes
    simply come in the next frame, as without it."""
    app = node.app
    with app.batch_update():
        yield
        for _ in range(TURNS):
            await asyncio.sleep(0)
    app.screen.check_idle()
