"""One plain line instead of a traceback for a bad local file, setting, path or input.

Every ``nymble-desk`` command runs inside :func:`guarded`. A :class:`LocalProblem`
(raised by config, paths and the draft cache) or an ``OSError`` on a local path
becomes ONE line on stderr naming the file or setting, what is wrong and what to
do, and exit code 2; the traceback goes to the log file
(``paths.log_dir() / "nymble-desk.log"``) when the log dir can be written. Anything
else is a bug: one line pointing at the log, exit code 1.

Stdlib only: it runs before (and without) pydantic, httpx or Textual.
"""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path
from collections.abc import Callable

from nymble_desk.local_problem import LocalProblem, one_line

EXIT_LOCAL_PROBLEM = 2
EXIT_BUG = 1
#: the reader of the output went away (``| head``): 128 + SIGPIPE, as a shell reports it
EXIT_BROKEN_PIPE = 141
LOG_NAME = "nymble-desk.log"

LOGGER = "nymble_desk"  # logging is imported only when something goes wrong (it costs ~10 ms)


# --- paths -----------------------------------------------------------------------------------------

def _setting_for(path: Path) -> str:
    """The setting that chose ``path`` (e.g. ``data dir (NYMBLE_DESK_DATA_DIR)``), for the message."""
    from nymble_desk import paths

    for label, var, root in (("data dir", "NYMBLE_DESK_DATA_DIR", paths.data_dir),
                             ("log dir", "NYMBLE_DESK_LOG_DIR", paths.log_dir),
                             ("config dir", "NYMBLE_DESK_CONFIG_DIR", paths.config_dir)):
        base = root()
        if path == base or base in path.parents or path in base.parents:
            return f"{label} {base} (set {var} to move it)"
    return str(path)


def path_problem(exc: OSError) -> LocalProblem | None:
    """An OSError on a named local path as a LocalProblem; None when it names no file."""
    if not exc.filename:
        return None
    path = Path(os.fsdecode(exc.filename))
    where = _setting_for(path)
    code = exc.errno
    if isinstance(exc, NotADirectoryError) or code == errno.ENOTDIR:
        blocker = next((p for p in [path, *path.parents] if p.is_file()), None)
        what = f"{blocker} is a file, not a directory" if blocker else f"{path}: a part of the path is not a directory"
        return LocalProblem(where, what, "remove that file or choose another directory")
    if isinstance(exc, FileExistsError) and path.is_file():
        return LocalProblem(where, f"{path} is a file, not a directory", "remove that file or choose another directory")
    if isinstance(exc, IsADirectoryError):
        return LocalProblem(where, f"{path} is a directory, not a file", "move it away")
    if isinstance(exc, PermissionError) or code in (errno.EACCES, errno.EPERM):
        return LocalProblem(where, f"no permission to use {path}", "fix its permissions or choose another directory")
    if code == errno.EROFS:
        return LocalProblem(where, f"{path} is on a read-only file system", "choose a writable directory")
    if code == errno.ENOSPC:
        return LocalProblem(where, f"the disk holding {path} is full", "free some space and try again")
    if isinstance(exc, FileNotFoundError):
        return LocalProblem(where, f"{path} does not exist", "check the path")
    return LocalProblem(where, f"{path}: {exc.strerror or exc}", "check the path and its permissions")


def as_problem(exc: BaseException) -> LocalProblem | None:
    """The user-facing problem behind ``exc``, or None when it is a bug (or not local)."""
    if isinstance(exc, LocalProblem):
        return exc
    if isinstance(exc, OSError):
        return path_problem(exc)
    # only what is already imported can have raised: checking it costs no import on the way to a command
    tomllib = sys.modules.get("tomllib")
    if tomllib is not None and isinstance(exc, tomllib.TOMLDecodeError):
        from nymble_desk.config_problems import toml_problem

        return toml_problem(exc)
    sqlite3 = sys.modules.get("sqlite3")
    if sqlite3 is not None and isinstance(exc, sqlite3.DatabaseError):
        from nymble_desk.drafts.health import damaged_problem

        return damaged_problem(exc)
    return None


# --- the log -----------------------------------------------------------------------------------------

def open_log() -> Path:
    """Attach the rotating log file (once); raises OSError when the log dir cannot be used."""
    import logging.handlers

    from nymble_desk import paths

    log = logging.getLogger(LOGGER)
    path = paths.ensure(paths.log_dir()) / LOG_NAME
    if not any(getattr(h, "baseFilename", None) == str(path) for h in log.handlers):
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
    return path


def log_failure(exc: BaseException, context: str) -> Path | None:
    """Write ``exc``'s traceback to the log file; the file, or None when the log dir is unusable."""
    import logging

    try:
        path = open_log()
    except OSError:
        return None
    log = logging.getLogger(LOGGER)
    log.error("%s failed: %s", context, one_line(str(exc)) or type(exc).__name__, exc_info=exc)
    for handler in log.handlers:
        handler.flush()
    return path


def report(exc: BaseException, context: str, *, err: Callable[[str], object] | None = None) -> int:
    """Log ``exc``, write its one line to stderr and return the exit code."""
    write = err or sys.stderr.write
    problem = as_problem(exc)
    logged = log_failure(exc, context)
    if problem is not None:
        write(f"nymble-desk: {problem.line()}\n")
        return EXIT_LOCAL_PROBLEM
    where = f"details in {logged}" if logged else "the log dir cannot be written, so no details were kept"
    write(one_line(f"nymble-desk: unexpected error ({type(exc).__name__}: {exc}); {where}") + "\n")
    return EXIT_BUG


def guarded(run: Callable[[], int], context: str = "nymble-desk") -> int:
    """Run a command: its exit code, or one line + the log for anything it raises."""
    try:
        return run()
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # whoever read the output stopped reading (``nymble-desk import FILE | head``): stop quietly,
        # as Unix tools do, not with "unexpected error" (the run itself was done or is resumable)
        _drop_stdout()
        return EXIT_BROKEN_PIPE
    except Exception as exc:
        return report(exc, context)


def _drop_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's last flush of what is still buffered for the
    closed pipe does not fail once more at exit."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError):  # no real stdout (a test's capture): nothing is flushed to a pipe
        pass
