"""Where a running demo can be found: one demo, every front end.

While `nymble-desk demo` or `nymble-desk web --demo` runs, it keeps a small file in the user data dir
(``demo-endpoint.json``, mode 0600) with the sandbox's URL, the demo's drafts file and its process id;
it removes the file when it ends. `orders`, `invoices`, `import` and `drafts` read it when no profile
is named and none is saved, so they reach the demo without a hand-made profile. A file left by a demo
that died (its process is gone) is ignored. Standard library only: `drafts list` pays ~nothing for it.
"""

from __future__ import annotations

import json
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from nymble_desk import paths

FILE_NAME = "demo-endpoint.json"
#: the demo's sign-in (the sandbox's fixed points; the same as demo_launch's)
DEMO_ORG, DEMO_CLIENT, DEMO_SECRET = "DEMO", "demo-rep", "demo-rep-secret"


@dataclass(frozen=True)
class DemoEndpoint:
    url: str  # the sandbox API, e.g. http://127.0.0.1:41234
    drafts_path: Path  # the demo's draft cache
    pid: int
    web_url: str | None = None  # `web --demo`: where the browser front end listens (never with its token)


def endpoint_path() -> Path:
    return paths.data_dir() / FILE_NAME


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process holds the pid: not our demo
        return False
    except OSError:
        return False
    return True


def publish(endpoint: DemoEndpoint) -> Path:
    """Write the file (0600; replaced whole, so a reader never sees half of it)."""
    path = endpoint_path()
    paths.ensure(path.parent)
    body = {"url": endpoint.url, "draftsPath": str(endpoint.drafts_path), "pid": endpoint.pid,
            "webUrl": endpoint.web_url}
    tmp = path.with_name(f".{FILE_NAME}.{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.chmod(tmp, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(body, f)
    os.replace(tmp, path)
    return path


def withdraw(pid: int | None = None) -> None:
    """Remove the file if it is this process's (another demo started since keeps its own)."""
    found = read(check_alive=False)
    if found is not None and found.pid == (os.getpid() if pid is None else pid):
        endpoint_path().unlink(missing_ok=True)


def read(*, check_alive: bool = True) -> DemoEndpoint | None:
    """The running demo, or None (no file, an unreadable one, or one whose process is gone)."""
    try:
        body = json.loads(endpoint_path().read_text(encoding="utf-8"))
        found = DemoEndpoint(url=str(body["url"]), drafts_path=Path(body["draftsPath"]), pid=int(body["pid"]),
                             web_url=body.get("webUrl") or None)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if check_alive and not _alive(found.pid):
        return None
    return found


def _profile_saved(name: str | None) -> bool:
    """Whether config.toml names a saved profile ``name`` (or the configured one): read with tomllib only."""
    try:
        with (paths.config_dir() / "config.toml").open("rb") as f:
            data = tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return False  # no file; a bad one is reported by the command that loads the settings
    chosen = name or os.environ.get("NYMBLE_DESK_PROFILE") or str(data.get("profile") or "default")
    profiles = data.get("profiles")
    return isinstance(profiles, dict) and isinstance(profiles.get(chosen), dict)


def demo_in_use(profile: str | None) -> DemoEndpoint | None:
    """The running demo a command should use: only when no profile is named and none is saved
    (a rep's real profile always wins over a demo left running)."""
    if profile:
        return None
    found = read()
    if found is None or _profile_saved(None):
        return None
    return found


def using_line(endpoint: DemoEndpoint) -> str:
    """The one line a command prints (to stderr) when it uses the running demo."""
    return f"nymble-desk: using the running demo at {endpoint.url} (no saved profile; --profile NAME for another)"
