"""What lets `nymble-desk import` send its first bulk call sooner and exit at once (stdlib only).

The command's wall time is what the bulk endpoint needs plus what the command spends before
its first call and after the last answer (issue #17).  Two costs there are not the import's own:

* httpx imports its command-line tool (``httpx._main``: click, pygments, rich; ~40 ms) whenever
  click is installed, and it is (uvicorn, the sandbox's server, needs it).  The import command
  never runs that tool: :func:`import_httpx` imports httpx without it.
* The garbage collector.  Start-up (httpx, pydantic, the API's models) builds ~100,000 objects
  that are never garbage; the interpreter's exit collects them all once more: 85 ms of a 1.2 s
  import of 2,000 orders on an idle machine, 190 ms at load 4.  :class:`Collector` keeps
  automatic collections off during start-up, then freezes what start-up built (never scanned
  again) and turns them back on for the run, and freezes everything again when the command
  ends, so the exit leaves the memory to the operating system.
"""

from __future__ import annotations

import gc
import sys

_HTTPX_CLI = "httpx._main"


def import_httpx() -> None:
    """Import httpx (and httpcore) without httpx's own command-line tool.  Does nothing when httpx
    is imported already; ``httpx.main`` is then httpx's stand-in that says the tool is missing.
    A later ``import httpx._main`` still works: the block is lifted once httpx is in."""
    if "httpx" in sys.modules:
        return
    blocked = _HTTPX_CLI not in sys.modules
    if blocked:
        sys.modules[_HTTPX_CLI] = None  # type: ignore[assignment]  # None: `import` raises ImportError
    try:
        import httpx  # noqa: F401
    finally:
        if blocked and sys.modules.get(_HTTPX_CLI, 0) is None:
            del sys.modules[_HTTPX_CLI]


class Collector:
    """The garbage collector over one command: off for start-up, on (over a frozen start-up) for the
    run, everything frozen at the end.  Each step does nothing when the collector was off already
    (someone else holds it off) or the step has run."""

    def __init__(self) -> None:
        self._held = False

    def hold(self) -> None:
        """Start-up begins: no automatic collection."""
        if gc.isenabled():
            gc.disable()
            self._held = True

    def release(self) -> None:
        """Start-up is over: what it built is frozen (not collected: ~40 ms for no garbage) and the
        collector runs again, so the run's own cycles are freed and memory stays flat."""
        if self._held:
            self._held = False
            gc.freeze()
            gc.enable()

    def finish(self) -> None:
        """The command is over: release (if still held) and freeze everything, so the interpreter's
        exit does not scan it."""
        self.release()
        gc.freeze()
