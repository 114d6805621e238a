"""Run every benchmark, print one table, exit non-zero when any target is missed (3 when one crashed).

``python benchmarks/run_all.py --quick`` is the CI-sized run (under 2 minutes on
2 cores): each benchmark runs as its own process with ``--quick``, sharing one
cache directory so the 100,000/200,000-row index is built once.
``--write-readme`` records the figures and the machine in benchmarks/README.md
between its ``<!-- figures -->`` markers.  ``--retry-missed N`` runs a benchmark that
missed a target up to N more times and keeps its last run (timings on a shared
machine are noisy; a real regression misses every time); CI uses 1.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import time
from pathlib import Path

import common

ORDER = ("search_latency", "memory", "first_screen", "keystroke_bytes", "api_calls", "keystrokes", "import_rate",
         "cli_help", "sandbox_get", "index_fill", "paste_rate", "order_guide")
# too long for the quick (CI-sized) run: a browser start and two seeded sandboxes take ~60 s on 2 cores
FULL_ONLY = ("web_first_screen",)
EXIT_WORDS = {0: "met", 1: "MISSED", 2: "not measurable yet", 3: "crashed"}
START, END = "<!-- figures -->", "<!-- /figures -->"


def run(name: str, quick: bool, out_dir: Path, env: dict[str, str]) -> tuple[int, dict | None, float, str]:
    out = out_dir / f"{name}.json"
    argv = [common.python(), str(common.BENCH / f"{name}.py"), "--json", str(out)] + (["--quick"] if quick else [])
    t = time.perf_counter()
    proc = subprocess.run(argv, env=env, capture_output=True, text=True)
    took = time.perf_counter() - t
    text = proc.stdout + (proc.stderr if proc.returncode not in (0, 1, 2) or not out.exists() else "")
    data = json.loads(out.read_text()) if out.exists() else None
    return proc.returncode, data, took, text


def table(results: list[tuple[str, int, dict | None, float]]) -> str:
    lines = ["| benchmark | figure | value | baseline | ratio | target | result |",
             "|---|---|---|---|---|---|---|"]
    for name, code, data, _took in results:
        if data is None:
            lines.append(f"| {name} | (crashed, exit {code}) | | | | | FAILED |")
            continue
        for f in data["figures"]:
            value = "-" if f["value"] is None else f"{common._fmt(f['value'])} {f['unit']}"
            base = "" if f["baseline"] is None else f"{common._fmt(f['baseline'])} {f['unit']}"
            ratio = "" if f["ratio"] is None else f"{f['ratio']:.2f}"
            result = f.get("result") or ("" if f["met"] is None else ("met" if f["met"] else "MISSED"))
            lines.append(f"| {name} | {f['name']} | {value} | {base} | {ratio} | {f['target'] or ''} | {result} |")
        for why in data.get("unmeasurable", []):
            lines.append(f"| {name} | {why} | | | | | not measurable yet |")
    return "\n".join(lines)


def write_readme(body: str) -> None:
    readme = common.BENCH / "README.md"
    text = readme.read_text()
    if START not in text or END not in text:
        raise SystemExit(f"{readme} has no {START} ... {END} block")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    readme.write_text(f"{head}{START}\n{body}\n{END}{tail}")


def main(argv: list[str] | None = None) -> int:
    p = common.parser(__doc__.splitlines()[0])
    p.add_argument("--only", nargs="*", default=None, help="run only these benchmarks")
    p.add_argument("--write-readme", action="store_true", help="record the figures in benchmarks/README.md")
    p.add_argument("--retry-missed", type=int, default=0, metavar="N",
                   help="run a benchmark that missed a target up to N more times (its last run counts)")
    args = p.parse_args(argv)
    env = dict(os.environ)
    env.setdefault("NYMBLE_BENCH_CACHE", str(common.cache_dir()))
    results = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.only or (ORDER if args.quick else ORDER + FULL_ONLY):
            for attempt in range(args.retry_missed + 1):
                code, data, took, text = run(name, args.quick, Path(tmp), env)
                print(text.rstrip())
                again = " (run again)" if attempt else ""
                print(
                    f"  -> {name}{again}: {EXIT_WORDS.get(code, f'crashed (exit {code})')} in {took:.1f} s", flush=True
                )
                if code != 1:
                    break
            results.append((name, code, data, took))
    total = time.perf_counter() - started
    body = table(results)
    print()
    print(body)
    uname = " ".join(os.uname())
    machine = f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}{' (quick)' if args.quick else ''} " \
              f"in {total:.0f} s on: `{uname}`, nproc {os.cpu_count()}, load average " \
              f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} at the end; {common.machine()}."
    print(machine)
    if args.write_readme:
        write_readme(f"{machine}\n\n{body}")
    crashed = [name for name, code, _, _ in results if code not in (0, 1, 2)]
    if crashed:
        print(f"benchmarks crashed: {', '.join(crashed)}")
        return 3
    failed = [name for name, code, _, _ in results if code != 0]
    if failed:
        print(f"benchmarks not met: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    common.run_main(main)
