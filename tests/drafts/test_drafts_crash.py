"""SIGKILL the writer at random points, 100 times: every change it reported saved survives."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import pytest

import nymble_desk

CHILD = Path(__file__).with_name("drafts_crash_child.py")
ROUNDS = 100


def _verify(db: Path, reported: list[tuple[str, str, int]]) -> int:
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        journal = {
            (action, json.loads(detail)["sku"], json.loads(detail).get("quantity"))
            for action, detail in con.execute("SELECT action, detail FROM journal WHERE action != 'create'")
        }
        for action, sku, n in reported:
            if action == "saved":
                assert ("set_line", sku, n) in journal, f"reported change {sku}={n} lost"
            else:
                assert ("remove_line", sku, None) in journal
        # the latest reported change of each line is at most superseded by a later one, never lost
        latest: dict[str, int] = {}
        for _action, sku, n in reported:
            latest[sku] = n
        lines = dict(con.execute("SELECT sku, quantity FROM draft_lines"))
        ops = {json.loads(p)["sku"]: json.loads(p)["quantity"] for (p,) in con.execute(
            "SELECT payload FROM outbox WHERE status = 'pending'")}
        for sku, n in latest.items():
            assert sku in lines
            assert lines[sku] == 0 or lines[sku] >= n
            assert ops[sku] == lines[sku], "the outbox holds the line's folded target state"
        (count,) = con.execute("SELECT COUNT(*) FROM outbox WHERE status = 'pending'").fetchone()
        assert count == len(lines), "one folded op per line"
        return max((n for _, _, n in reported), default=0)
    finally:
        con.close()


@pytest.mark.slow
def test_sigkill_never_loses_a_reported_change(tmp_path: Path) -> None:
    rng = random.Random(20261123)
    db = tmp_path / "drafts.sqlite3"
    reported: list[tuple[str, str, int]] = []
    # -S skips site processing (a third of a cold start); the paths it would add come explicitly
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1",
           "PYTHONPATH": os.pathsep.join([str(Path(nymble_desk.__file__).parents[1]),
                                          sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])}
    start = 1
    t0 = time.monotonic()
    for _ in range(ROUNDS):
        proc = subprocess.Popen(
            [sys.executable, "-S", str(CHILD), str(db), str(start)], stdout=subprocess.PIPE, env=env
        )
        assert proc.stdout is not None
        assert proc.stdout.readline() == b"ready\n"
        time.sleep(rng.uniform(0.0, 0.08))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        for raw in proc.stdout.read().splitlines(keepends=True):
            if not raw.endswith(b"\n"):
                continue  # the kill cut the print short: not reported
            action, sku, n = raw.decode().split()
            reported.append((action, sku, int(n)))
        proc.stdout.close()
        start = _verify(db, reported) + 1
        # the next writer continues past anything that may have committed unreported
        con = sqlite3.connect(db)
        (top,) = con.execute("SELECT COALESCE(MAX(quantity), 0) FROM draft_lines").fetchone()
        con.close()
        start = max(start, top + 1) + 100
    print(f"\ncrash test: {ROUNDS} SIGKILLs, {len(reported)} reported changes verified, {time.monotonic() - t0:.1f}s")
    assert len(reported) > ROUNDS  # the kills landed while it was writing, not before
