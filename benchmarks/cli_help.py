"""`nymble-desk --help` and every sub-command's `--help` against `python -c pass`, in the same run.

Each is spawned as a fresh process (the installed `nymble-desk` script, as a user runs it), timed from
spawn to exit; runs alternate with the baseline, and medians are compared.  `.pyc` files are present
(one warm-up run each writes them).  Target: every median <= 3x the baseline's.
"""

from __future__ import annotations

import statistics
import subprocess
import time

import common
import deskenv

TARGET_RATIO = 3.0
COMMANDS = ("", "run", "demo", "serve", "drafts", "sync", "orders", "invoices", "import", "web")


def once(argv: list[str]) -> float:
    t = time.perf_counter()
    proc = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    took = time.perf_counter() - t
    if proc.returncode != 0:
        raise RuntimeError(f"{argv} exited {proc.returncode}: {proc.stderr.decode()[-400:]}")
    return took


def main(argv: list[str] | None = None) -> int:
    b = common.bench("cli_help", __doc__.splitlines()[0], argv)
    runs = 7 if b.quick else 21
    base_argv = [common.python(), "-c", "pass"]
    desk = deskenv.nymble_desk_argv()
    helps = {name or "(none)": desk + ([name] if name else []) + ["--help"] for name in COMMANDS}
    for argv_ in [base_argv, *helps.values()]:
        once(argv_)  # write the .pyc files, warm the OS cache
    base: list[float] = []
    times: dict[str, list[float]] = {k: [] for k in helps}
    for _ in range(runs):
        base.append(once(base_argv))
        for name, argv_ in helps.items():
            times[name].append(once(argv_))
    base_med = statistics.median(base) * 1000
    b.figure("python -c pass (median)", base_med, "ms", note=f"{runs} runs each, alternating")
    for name, ts in times.items():
        label = "nymble-desk --help" if name == "(none)" else f"nymble-desk {name} --help"
        b.ratio(f"{label} (median)", statistics.median(ts) * 1000, base_med, "ms", max_ratio=TARGET_RATIO)
    return b.finish()


if __name__ == "__main__":
    common.run_main(main)
