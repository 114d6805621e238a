"""Every command and the TUI's first screen against each broken local file, setting and path.

Each run must end with exit code 2 and ONE line on stderr naming the file or
setting (or, where the broken thing is not used, exit 0 and nothing on stderr),
never a traceback, and the drafts file's bytes must be unchanged. The CLI runs
in process through ``nymble_desk.cli.main``; the TUI through ``run_test``; a few
real interpreter starts are in the slow test at the end.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path
from collections.abc import Callable

import pytest
from importer.importer_files import HEADER, csv_line

from nymble_desk import paths
from nymble_desk.cli import main as top_main
from nymble_desk.drafts.store import DraftStore

DRAFTS, LINES = 12, 8


@pytest.fixture(scope="module")
def good_drafts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A drafts file with enough rows to span many pages (so one bad page loses only some)."""
    path = tmp_path_factory.mktemp("good") / "drafts.sqlite3"
    store = DraftStore(path)
    for i in range(DRAFTS):
        d = store.create(f"CUST-{1000 + i}", customer_name="Customer " + "x" * 300, currency="USD",
                         price_tier="Wholesale")
        for j in range(LINES):
            store.set_line(d.id, f"SKU-{j:06d}", 10, name="Product " + "n" * 200, unit_price=Decimal("1.25"))
    store.close()
    return path


@pytest.fixture(autouse=True)
def drop_log_handlers() -> None:
    yield
    logger = logging.getLogger("nymble_desk")
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _config(text: bytes) -> None:
    _write(paths.config_dir() / "config.toml", text)


TOP = b'profile = "work"\n'
PROFILES = b'[profiles.work]\norg_code = "DEMO"\nclient_id = "demo-rep"\n'
GOOD_CONFIG = TOP + PROFILES


def _save_secret() -> None:
    secret = paths.config_dir() / "secrets.json"
    _write(secret, json.dumps({"work": "demo-rep-secret"}).encode())
    os.chmod(secret, 0o600)


# --- the broken things ------------------------------------------------------------------------------
# Each makes one thing bad and returns the kind ("drafts", "config", "data", "log") and a word the line must hold.

Case = Callable[[Path, Path, pytest.MonkeyPatch], tuple[str, str]]
CASES: dict[str, Case] = {}


def case(name: str) -> Callable[[Case], Case]:
    def register(make: Case) -> Case:
        CASES[name] = make
        return make
    return register


def _drafts(good: Path, mutate: Callable[[bytearray], bytes]) -> None:
    _write(paths.drafts_db_path(), mutate(bytearray(good.read_bytes())))


@case("drafts-truncated")
def _(good: Path, tmp: Path, mp: pytest.MonkeyPatch) -> tuple[str, str]:
    _drafts(good, lambda d: bytes(d[: len(d) // 3 + 100]))
    return "drafts", "cut short"


@case("drafts-garbage-header")
def _(good: Path, tmp: Path, mp: pytest.MonkeyPatch) -> tuple[str, str]:
    _drafts(good, lambda d: b"GARBAGEGARBAGEGARBAGE" + bytes(d[21:]))
    return "drafts", "SQLite header"


@case("drafts-text-file")
def _(good: Path, tmp: Path, mp: pytest.MonkeyPatch) -> tuple[str, str]:
    _drafts(good, lambda d: b"hello drafts\n" * 500)
    return "drafts", "SQLite header"


@case("drafts-bad-page")
def _(good: Path, tmp: Path, mp: pytest.MonkeyPatch) -> tuple[str, str]:
    def garble(d: bytearray) -> bytes:  # a page in the middle; the header and page 1 are fine
        d[4096 * 6:4096 * 7] = bytes((i * 37 + 11) % 256 for i in range(4096))
        return bytes(d)
    _drafts(good, garble)
    return "drafts", "damaged"


@case("drafts-empty")
def _(good: Path, tmp: Path, mp: pytest.MonkeyPatch) -> tuple[str, str]:
    _drafts(good, lambda d: b"")
    return "drafts", "0 bytes"


def _config_case(name: str, text: bytes, word: str) -> None:
    def make(good: Path, tmp: Path, mp: pytest.MonkeyPatch) -> tuple[str, str]:
        _config(text)
        return "config", word
    CASES[name] = make


_config_case("toml-syntax", TOP + b"theme = \n" + PROFILES, "not valid TOML")
_config_case("unknown-key", TOP + b"colour = 1\n" + PROFILES, "colour")
_config_case("timeout-fast", TOP + b'[api]\ntimeout = "fast"\n' + PROFILES, "api.timeout")
_config_case("timeout-negative", TOP + b"[api]\ntimeout = -1\n" + PROFILES, "too small")
_config_case("profiles-3", TOP + b"profiles = 3\n", "profiles")
_config_case("keymap-5", TOP + b"keymap = 5\n" + PROFILES, "keymap")
_config_case("non-utf8", TOP + b'theme = "\xff\xfe"\n' + PROFILES, "UTF-8")
_config_case("base-url-in-file", TOP + b'[api]\nbase_url = "::::"\n' + PROFILES, "api.base_url")


def _env_case(name: str, var: str, value: str) -> None:
    def make(good: Path, tmp: Path, mp: pytest.MonkeyPatch) -> tuple[str, str]:
        mp.setenv(var, value)
        return "config", var
    CASES[name] = make


_env_case("env-timeout-abc", "NYMBLE_DESK_API__TIMEOUT", "abc")
_env_case("env-base-url", "NYMBLE_DESK_API__BASE_URL", "::::")
_env_case("env-profiles-3", "NYMBLE_DESK_PROFILES", "3")


@case("data-dir-under-file")
def _(good: Path, tmp: Path, mp: pytest.MonkeyPatch) -> tuple[str, str]:
    _write(tmp / "afile", b"x")
    mp.setenv("NYMBLE_DESK_DATA_DIR", str(tmp / "afile" / "data"))
    return "data", "is a file"


@case("log-dir-under-file")
def _(good: Path, tmp: Path, mp: pytest.MonkeyPatch) -> tuple[str, str]:
    _write(tmp / "lfile", b"x")
    mp.setenv("NYMBLE_DESK_LOG_DIR", str(tmp / "lfile" / "log"))
    return "log", "is a file"


# command -> the kinds of broken thing it uses (it must fail on those, and work, or not be run, on the rest)
COMMANDS: dict[str, tuple[list[str], set[str]]] = {
    "drafts list": (["drafts", "list"], {"drafts", "data"}),
    "drafts show": (["drafts", "show", "zzz"], {"drafts", "data"}),
    "drafts export": (["drafts", "export", "--all"], {"drafts", "data"}),
    "drafts discard": (["drafts", "discard", "zzz"], {"drafts", "data"}),
    "sync --status": (["sync", "--status"], {"drafts", "data"}),
    "sync": (["sync"], {"drafts", "data", "config"}),
    "orders": (["orders"], {"config"}),
    "invoices": (["invoices", "--customer", "CUST-1042"], {"config"}),
    # the dry run checks customers, SKUs and reps on the server (read-only): it signs in with the settings
    "import --dry-run": (["import", "--dry-run", "ORDERS"], {"config"}),
    "import": (["import", "ORDERS"], {"config"}),  # the real run signs in with the settings before it sends
}
WORKS = {"sync --status": {0, 1}}  # 1: changes are queued (the drafts have unsent lines)
# these would go on to the API when the broken thing is not theirs
NETWORK = {"sync", "orders", "invoices", "import --dry-run", "import"}


def _digest(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


@pytest.fixture
def orders_csv(tmp_path: Path) -> Path:
    path = tmp_path / "orders.csv"
    path.write_text(HEADER + "\n" + csv_line(externalId="X-1", orderNumber="ORD-X-1", orderDate="2023-06-15T09:30:00Z",
                                              customerNumber="CUST-0055", companyName="Apex Distributors",
                                              poNumber="PO-1", orderType="EDI", priceTier="Wholesale",
                                              currencyCode="USD", repNumber="REP-003", sku="PART-A1",
                                              productName="Part A1", quantity="100", price="4.25") + "\n")
    return path


def _arrange(name: str, good: Path, tmp: Path, mp: pytest.MonkeyPatch) -> tuple[str, str]:
    """A sound setup (saved profile, drafts) with the one broken thing of case ``name``."""
    _config(GOOD_CONFIG)
    _save_secret()
    paths.ensure(paths.data_dir())
    shutil.copyfile(good, paths.drafts_db_path())
    return CASES[name](good, tmp, mp)


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_command_gives_one_line_and_exit_2(name: str, good_drafts: Path, tmp_path: Path, orders_csv: Path,
                                                 capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    kind, word = _arrange(name, good_drafts, tmp_path, monkeypatch)
    before = _digest(paths.drafts_db_path())
    failures = []
    for command, (argv, uses) in COMMANDS.items():
        if kind not in uses and command in NETWORK:
            continue  # it would go on to the (absent) API: the broken thing is not its business
        code = top_main([str(orders_csv) if a == "ORDERS" else a for a in argv])
        out, err = capsys.readouterr()
        if "Traceback" in out + err:
            failures.append(f"{command}: traceback")
        if kind in uses:
            if code != 2 or len(err.splitlines()) != 1 or word not in err:
                failures.append(f"{command}: exit {code}, stderr {err!r}")
        elif code not in WORKS.get(command, {0}) and not (code == 2 and "no draft zzz" in err):
            failures.append(f"{command}: exit {code} although it does not use the broken {kind}: {err!r}")
        if (name in ("drafts-bad-page", "drafts-garbage-header") and command in ("drafts list", "drafts export")
                and "CUST-10" not in out):
                failures.append(f"{command}: nothing of the damaged file was shown")
    assert not failures, failures
    assert _digest(paths.drafts_db_path()) == before, "the drafts file changed"


# --- the TUI's first screen ----------------------------------------------------------------------------

async def _until(pilot: object, cond: Callable[[], bool], timeout: float = 10.0) -> None:
    end = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < end, "condition not met"
        await pilot.pause(0.02)  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", sorted(CASES))
async def test_tui_first_screen_names_the_problem(name: str, good_drafts: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import argparse

    from nymble_desk.startup_errors import report
    from nymble_desk.tui.launch import build_app, setup_logging
    from nymble_desk.tui.screens.local_problem import LocalProblemScreen

    kind, word = _arrange(name, good_drafts, tmp_path, monkeypatch)
    before = _digest(paths.drafts_db_path())
    try:  # what run_app does before it takes over the terminal
        setup_logging()
        app = build_app(argparse.Namespace(profile=None))
    except Exception as exc:
        lines: list[str] = []
        assert report(exc, "nymble-desk run", err=lines.append) == 2
        assert len("".join(lines).splitlines()) == 1 and word in lines[0] and "Traceback" not in lines[0]
        assert kind in ("config", "data", "log"), f"{name}: the app did not start"
    else:
        async with app.run_test(size=(80, 24)) as pilot:
            def shown() -> str:
                if not isinstance(app.screen, LocalProblemScreen):
                    return ""
                return " ".join(" ".join(str(w.render()) for w in app.screen.query("Static")).split())

            await _until(pilot, lambda: word in shown())
            assert "Traceback" not in shown()
            await pilot.press("f10")
        assert app.exit_line is not None and word in app.exit_line and "\n" not in app.exit_line
    assert _digest(paths.drafts_db_path()) == before, "the drafts file changed"
    log_file = paths.log_dir() / "nymble-desk.log"
    if kind != "log":
        assert "Traceback" in log_file.read_text() or kind == "drafts", "the traceback did not reach the log"


async def test_tui_moves_a_damaged_drafts_file_aside_and_starts_fresh(good_drafts: Path, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import argparse

    from nymble_desk.tui.launch import build_app
    from nymble_desk.tui.screens.local_problem import LocalProblemScreen
    from nymble_desk.tui.screens.signin import SignInScreen

    _arrange("drafts-garbage-header", good_drafts, tmp_path, monkeypatch)
    (paths.config_dir() / "secrets.json").unlink()  # not signed in: the sign-in screen follows
    damaged = paths.drafts_db_path().read_bytes()
    app = build_app(argparse.Namespace(profile=None))
    async with app.run_test(size=(80, 24)) as pilot:
        await _until(pilot, lambda: isinstance(app.screen, LocalProblemScreen) and app.screen.is_mounted)
        await pilot.press("f2")
        await _until(pilot, lambda: isinstance(app.screen, SignInScreen) and app.screen.is_mounted)
    moved = [p for p in paths.data_dir().iterdir() if ".damaged-" in p.name]
    assert len(moved) == 1 and moved[0].read_bytes() == damaged  # every byte kept
    assert app.exit_line is None
    store = DraftStore()
    assert store.list_drafts() == [] and store.check() is None
    store.close()


def test_cli_move_aside_then_a_fresh_start(good_drafts: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    _arrange("drafts-bad-page", good_drafts, tmp_path, monkeypatch)
    damaged = paths.drafts_db_path().read_bytes()
    assert top_main(["drafts", "export", "-o", str(tmp_path / "rescued.json")]) == 2
    rescued = json.loads((tmp_path / "rescued.json").read_text())
    assert 0 < len(rescued) <= DRAFTS and all(d["customerNumber"].startswith("CUST-10") for d in rescued)
    assert "could be read" in capsys.readouterr().err
    assert top_main(["drafts", "move-aside"]) == 0
    assert "moved" in capsys.readouterr().out
    assert [p.read_bytes() for p in paths.data_dir().iterdir() if ".damaged-" in p.name] == [damaged]
    assert top_main(["drafts", "list"]) == 0 and "no open drafts" in capsys.readouterr().out
    assert top_main(["drafts", "move-aside"]) == 2  # a sound file is not moved
    assert "nothing moved" in capsys.readouterr().err


# --- a read-only data dir: drafts can still be listed and exported ------------------------------------

def _make_read_only(path: Path) -> Callable[[], None]:
    """chmod for a normal user; root ignores modes, so there the immutable flag (chattr +i) stands in."""
    if os.geteuid() != 0:
        path.chmod(0o500)
        return lambda: path.chmod(0o700)
    if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode:
        pytest.skip("running as root without chattr +i: a read-only directory cannot be made")
    return lambda: subprocess.run(["chattr", "-i", str(path)], check=True)


def test_read_only_data_dir_still_lists_and_exports(good_drafts: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    _arrange("unknown-key", good_drafts, tmp_path, monkeypatch)  # any config: these commands do not read it
    _config(GOOD_CONFIG)
    before = _digest(paths.drafts_db_path())
    undo = _make_read_only(paths.data_dir())
    try:
        with pytest.raises(OSError):
            (paths.data_dir() / "probe").touch()
        assert top_main(["drafts", "list"]) == 0
        out, err = capsys.readouterr()
        assert out.count("CUST-10") == DRAFTS and err == ""
        assert top_main(["drafts", "export"]) == 0
        assert len(json.loads(capsys.readouterr().out)) == DRAFTS
        assert top_main(["sync", "--status"]) in (0, 1)
        assert "queued" in capsys.readouterr().out
        assert top_main(["drafts", "discard", "zzz"]) == 2  # a write: one line naming the data dir
        err = capsys.readouterr().err
        assert len(err.splitlines()) == 1 and "Traceback" not in err and str(paths.data_dir()) in err
    finally:
        undo()
    assert _digest(paths.drafts_db_path()) == before


# --- real interpreter starts --------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("name,argv", [("drafts-truncated", ["drafts", "list"]),
                                       ("drafts-text-file", ["sync", "--status"]),
                                       ("non-utf8", ["orders"]),
                                       ("env-base-url", ["invoices"]),
                                       ("log-dir-under-file", []),
                                       ("data-dir-under-file", ["drafts", "export"])])
def test_real_process_prints_one_line(name: str, argv: list[str], good_drafts: Path, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    _kind, word = _arrange(name, good_drafts, tmp_path, monkeypatch)
    before = _digest(paths.drafts_db_path())
    done = subprocess.run([sys.executable, "-m", "nymble_desk", *argv], capture_output=True, text=True,
                          timeout=60, env={**os.environ, "TERM": "dumb"}, stdin=subprocess.DEVNULL)
    assert done.returncode == 2, done.stderr
    assert len(done.stderr.splitlines()) == 1 and word in done.stderr and "Traceback" not in done.stderr
    assert _digest(paths.drafts_db_path()) == before


def test_saving_a_profile_in_a_read_only_config_dir_names_the_dir(good_drafts: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from nymble_desk.config import save_profile
    from nymble_desk.startup_errors import LocalProblem

    _config(GOOD_CONFIG)
    before = (paths.config_dir() / "config.toml").read_bytes()
    undo = _make_read_only(paths.config_dir())
    try:
        with pytest.raises(LocalProblem) as caught:
            save_profile("other", org_code="DEMO", client_id="demo-admin", secret=None)
    finally:
        undo()
    assert "config dir" in str(caught.value) and "\n" not in str(caught.value)
    assert (paths.config_dir() / "config.toml").read_bytes() == before


# --- `nymble-desk demo`: a damaged drafts file gets the same move-aside screen as `nymble-desk` ----------

@pytest.mark.parametrize("name", ["drafts-garbage-header", "drafts-truncated"])
async def test_demo_shows_the_move_aside_screen_then_signs_in(name: str, good_drafts: Path, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import asyncio

    from nymble_desk.demo_launch import SandboxStarter, build_demo_app
    from nymble_desk.loopback import listening_socket
    from nymble_desk.tui.screens.local_problem import LocalProblemScreen

    data_dir = paths.ensure(tmp_path / "demo")
    monkeypatch.setattr(paths, "drafts_db_path", lambda: data_dir / "drafts.sqlite3")
    _kind, word = CASES[name](good_drafts, tmp_path, monkeypatch)
    damaged = (data_dir / "drafts.sqlite3").read_bytes()
    starter = SandboxStarter(data_dir / "sandbox", listening_socket(), {"customers": 30, "products": 30})
    try:
        app = build_demo_app(starter, data_dir)  # before: DraftsDamaged raised here, and demo exited 2
        async with app.run_test(size=(80, 24)) as pilot:
            await _until(pilot, lambda: isinstance(app.screen, LocalProblemScreen) and app.screen.is_mounted)
            assert app.exit_line is not None and word in app.exit_line
            await pilot.press("f2")
            await _until(pilot, lambda: app.identity is not None, timeout=60)
            assert app.identity.rep_number == "REP-007" and app.exit_line is None
        moved = [p for p in data_dir.iterdir() if ".damaged-" in p.name]
        assert [p.read_bytes() for p in moved] == [damaged]  # every byte kept
        assert DraftStore(data_dir / "drafts.sqlite3").check() is None
    finally:
        await asyncio.to_thread(starter.stop)


async def test_demo_quit_on_the_move_aside_screen_leaves_the_file_and_one_line(good_drafts: Path, tmp_path: Path,
                                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from nymble_desk.demo_launch import SandboxStarter, build_demo_app
    from nymble_desk.loopback import listening_socket
    from nymble_desk.tui.screens.local_problem import LocalProblemScreen

    data_dir = paths.ensure(tmp_path / "demo")
    monkeypatch.setattr(paths, "drafts_db_path", lambda: data_dir / "drafts.sqlite3")
    CASES["drafts-text-file"](good_drafts, tmp_path, monkeypatch)
    before = _digest(data_dir / "drafts.sqlite3")
    starter = SandboxStarter(data_dir / "sandbox", listening_socket(), {"customers": 30, "products": 30})
    try:
        app = build_demo_app(starter, data_dir)
        async with app.run_test(size=(80, 24)) as pilot:
            await _until(pilot, lambda: isinstance(app.screen, LocalProblemScreen) and app.screen.is_mounted)
            await pilot.press("f10")
        assert app.exit_line is not None and "SQLite header" in app.exit_line and "\n" not in app.exit_line
        assert starter.running is None  # the sandbox was never started for a screen that could not use it
    finally:
        starter.stop()
    assert _digest(data_dir / "drafts.sqlite3") == before


@pytest.mark.parametrize("name", ["timeout-fast", "env-timeout-abc"])
async def test_demo_with_a_bad_setting_names_it_then_runs_on_the_defaults(name: str, good_drafts: Path, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Before: the demo's sign-in thread read Settings() raw and died on the ValidationError; the status
    line said "starting the sandbox…" for ever."""
    import asyncio

    from nymble_desk.demo_launch import SandboxStarter, build_demo_app
    from nymble_desk.loopback import listening_socket
    from nymble_desk.tui.screens.local_problem import LocalProblemScreen

    _kind, word = CASES[name](good_drafts, tmp_path, monkeypatch)
    data_dir = paths.ensure(tmp_path / "demo")
    starter = SandboxStarter(data_dir / "sandbox", listening_socket(), {"customers": 30, "products": 30})
    try:
        app = build_demo_app(starter, data_dir)
        async with app.run_test(size=(80, 24)) as pilot:
            await _until(pilot, lambda: isinstance(app.screen, LocalProblemScreen) and app.screen.is_mounted)
            assert app.exit_line is not None and word in app.exit_line
            await pilot.press("f3")
            await _until(pilot, lambda: app.identity is not None, timeout=60)
            assert app.identity.rep_number == "REP-007"
    finally:
        await asyncio.to_thread(starter.stop)
