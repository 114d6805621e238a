"""Plain one-line messages for a config.toml or NYMBLE_DESK_* setting that cannot be used.

Each names where the bad value came from (the file and key, or the environment
variable), what is wrong with it and what to do. Stdlib only: pydantic's errors
arrive here as the plain dicts of ``ValidationError.errors()``.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from collections.abc import Mapping, Sequence

from nymble_desk.local_problem import LocalProblem

ENV_PREFIX = "NYMBLE_DESK_"
KNOWN_KEYS: dict[tuple[str, ...], tuple[str, ...]] = {
    (): ("api", "profile", "profiles", "keymap", "theme"),
    ("api",): ("base_url", "timeout"),
    ("profiles", "*"): ("org_code", "client_id", "base_url"),
}


def _config_file() -> Path:
    from nymble_desk import paths

    return paths.config_dir() / "config.toml"


def toml_problem(exc: tomllib.TOMLDecodeError, path: Path | None = None) -> LocalProblem:
    path = path or _config_file()
    return LocalProblem(f"config file {path}", f"not valid TOML ({exc})",
                        "fix that line, or move the file aside to start from the defaults")


def decode_problem(exc: UnicodeDecodeError, path: Path | None = None) -> LocalProblem:
    path = path or _config_file()
    return LocalProblem(f"config file {path}",
                        f"not UTF-8 text (byte 0x{exc.object[exc.start]:02x} at offset {exc.start})",
                        "save it as UTF-8, or move it aside to start from the defaults")


def env_var_for(loc: Sequence[object], environ: Mapping[str, str] | None = None) -> str | None:
    """The NYMBLE_DESK_* variable that set ``loc`` (names are case-insensitive), if one is set."""
    environ = os.environ if environ is None else environ
    for depth in range(len(loc), 0, -1):  # NYMBLE_DESK_API='{"timeout": ...}' sets the whole table
        name = (ENV_PREFIX + "__".join(str(p) for p in loc[:depth])).upper()
        for key in environ:
            if key.upper() == name:
                return key
    return None


def _known(loc: Sequence[object]) -> tuple[str, ...]:
    parent = tuple(str(p) for p in loc[:-1])
    if len(parent) == 2 and parent[0] == "profiles":
        parent = ("profiles", "*")
    return KNOWN_KEYS.get(parent, ())


def _shown(value: object) -> str:
    text = f'"{value}"' if isinstance(value, str) else repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _loc(error: Mapping[str, object]) -> tuple[object, ...]:
    """Where pydantic says the error is (its ``loc``: keys and indexes), as a tuple."""
    loc = error.get("loc", ())
    return tuple(loc) if isinstance(loc, (list, tuple)) else ()


def _what(error: Mapping[str, object]) -> tuple[str, str]:
    """(what is wrong, what to write instead) for one pydantic error dict."""
    kind = str(error.get("type", ""))
    value = error.get("input")
    ctx = error.get("ctx")
    loc = _loc(error)
    if kind == "extra_forbidden":
        known = ", ".join(_known(loc)) or "none here"
        return "is not a setting nymble-desk knows", f"remove it or fix its spelling (known: {known})"
    if kind in ("float_parsing", "float_type", "int_parsing", "int_type"):
        return f"{_shown(value)} is not a number", "write a number of seconds, e.g. 10"
    if kind in ("greater_than", "greater_than_equal"):
        bound = ctx.get("gt", ctx.get("ge", 0)) if isinstance(ctx, Mapping) else 0
        return f"{_shown(value)} is too small", f"write a number above {float(bound):g}"
    if kind == "dict_type":
        name = str(loc[-1]) if loc else "the setting"
        return f"{_shown(value)} is not a table", f"write it as a [{name}] section with entries under it"
    if kind == "string_type":
        return f"{_shown(value)} is not text", "write it in double quotes"
    if kind == "missing":
        return "is missing", "add it"
    message = str(error.get("msg", "is not valid")).removeprefix("Value error, ")
    return f"{_shown(value)} {message}", "correct it"


def validation_problem(errors: Sequence[Mapping[str, object]], path: Path | None = None,
                       environ: Mapping[str, str] | None = None) -> LocalProblem:
    """The first of pydantic's ``errors`` as one line (with how many more there are)."""
    if not errors:
        return LocalProblem("settings", "not valid", "check config.toml and the NYMBLE_DESK_* variables")
    first = errors[0]
    loc = _loc(first)
    key = ".".join(str(p) for p in loc) or "(top level)"
    what, fix = _what(first)
    var = env_var_for(loc, environ)
    more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
    if var is not None:
        return LocalProblem(f"environment variable {var}", f"{key} {what}{more}", f"{fix}, or unset {var}")
    path = path or _config_file()
    return LocalProblem(f"config file {path}, setting {key}", f"{what}{more}", fix)
