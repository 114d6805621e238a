"""Shared pieces of the benchmarks: timing, percentiles, targets, ratios and exit codes.

Every benchmark is one command (``python benchmarks/<name>.py [--quick] [--json PATH]``),
prints its figures and the ratio against a baseline measured in the same run, and
exits 0 when every target is met, 1 when one is missed, 2 when it cannot measure yet.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
BENCH = ROOT / "benchmarks"
for _p in (str(SRC), str(BENCH)):
    if _p not in sys.path:
        sys.path.insert(0, _p)

EXIT_OK, EXIT_MISSED, EXIT_UNMEASURABLE, EXIT_CRASHED = 0, 1, 2, 3


def percentile(values: Sequence[float], p: float) -> float:
    """The ``p``-th percentile (0-100) with linear interpolation between closest ranks."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100.0
    lo, hi = math.floor(k), math.ceil(k)
    if lo == hi:
        return ordered[int(k)]
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


@contextmanager
def stopwatch() -> Iterator[Callable[[], float]]:
    """``with stopwatch() as elapsed: ...; elapsed()`` in seconds (perf_counter)."""
    start = time.perf_counter()
    end: list[float] = []
    yield lambda: (end[0] if end else time.perf_counter()) - start
    end.append(time.perf_counter())


def machine() -> str:
    return f"{platform.platform()}; {platform.processor() or platform.machine()}; nproc {os.cpu_count()}; " \
           f"Python {platform.python_version()}"


@dataclass
class Figure:
    name: str
    value: float | None
    unit: str
    target: str | None = None
    met: bool | None = None
    baseline: float | None = None
    ratio: float | None = None
    note: str = ""

    @property
    def result(self) -> str:
        if self.met is None:
            return ""
        return "met" if self.met else "MISSED"


@dataclass
class Bench:
    """Collects figures; ``finish()`` prints them and returns the exit code."""

    name: str
    args: argparse.Namespace
    figures: list[Figure] = field(default_factory=list)
    unmeasurable: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def quick(self) -> bool:
        return bool(self.args.quick)

    def figure(self, name: str, value: float, unit: str, note: str = "") -> Figure:
        fig = Figure(name, value, unit, note=note)
        self.figures.append(fig)
        return fig

    def at_most(self, name: str, value: float, limit: float, unit: str, note: str = "") -> Figure:
        fig = Figure(name, value, unit, target=f"<= {limit:g} {unit}".strip(), met=value <= limit, note=note)
        self.figures.append(fig)
        return fig

    def at_least(self, name: str, value: float, limit: float, unit: str, note: str = "") -> Figure:
        fig = Figure(name, value, unit, target=f">= {limit:g} {unit}".strip(), met=value >= limit, note=note)
        self.figures.append(fig)
        return fig

    def ratio(self, name: str, value: float, baseline: float, unit: str, *, max_ratio: float | None = None,
              min_ratio: float | None = None, note: str = "") -> Figure:
        r = value / baseline if baseline else math.inf
        fig = Figure(name, value, unit, baseline=baseline, ratio=r, note=note)
        if max_ratio is not None:
            fig.target, fig.met = f"ratio <= {max_ratio:g}", r <= max_ratio
        elif min_ratio is not None:
            fig.target, fig.met = f"ratio >= {min_ratio:g}", r >= min_ratio
        self.figures.append(fig)
        return fig

    def cannot_measure(self, why: str) -> None:
        self.unmeasurable.append(why)

    def finish(self) -> int:
        print(f"== {self.name}{' (quick)' if self.quick else ''} ==")
        for f in self.figures:
            line = f"  {f.name:<44} {_fmt(f.value)} {f.unit}"
            if f.baseline is not None:
                line += f"   baseline {_fmt(f.baseline)} {f.unit}   ratio {f.ratio:.2f}"
            if f.target:
                line += f"   target {f.target}: {f.result}"
            if f.note:
                line += f"   ({f.note})"
            print(line)
        for note in self.notes:
            print(f"  {note}")
        for why in self.unmeasurable:
            print(f"  not measurable yet: {why}")
        missed = [f.name for f in self.figures if f.met is False]
        code = EXIT_MISSED if missed else (EXIT_UNMEASURABLE if self.unmeasurable else EXIT_OK)
        if missed:
            print(f"  MISSED: {', '.join(missed)}")
        if self.args.json:
            Path(self.args.json).write_text(json.dumps({
                "bench": self.name, "quick": self.quick, "exit": code, "machine": machine(),
                "figures": [{**asdict(f), "result": f.result} for f in self.figures],
                "unmeasurable": self.unmeasurable, "notes": self.notes,
            }, indent=1))
        sys.stdout.flush()
        return code


def _fmt(value: float | None) -> str:
    if value is None:
        return "-"
    if float(value).is_integer() or abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.2f}"


def parser(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--quick", action="store_true", help="CI-sized run (fewer repetitions)")
    p.add_argument("--json", default=None, help="also write the figures as JSON here")
    return p


def bench(name: str, description: str, argv: Sequence[str] | None = None,
          extra: Callable[[argparse.ArgumentParser], None] | None = None) -> Bench:
    p = parser(description)
    if extra is not None:
        extra(p)
    return Bench(name, p.parse_args(argv))


def python() -> str:
    """The interpreter that runs the apps and helpers (the one running the benchmark)."""
    return sys.executable


def cache_dir() -> Path:
    """Where built indexes are kept between benchmarks of one run (``NYMBLE_BENCH_CACHE``)."""
    default = Path(os.environ.get("TMPDIR", "/tmp")) / f"nymble-bench-{os.getuid()}"
    path = Path(os.environ.get("NYMBLE_BENCH_CACHE") or default)
    path.mkdir(parents=True, exist_ok=True)
    return path


def run_main(main: Callable[[], int]) -> None:
    """``sys.exit(main())``, but a crash exits 3 (not 1, which means "target missed")."""
    try:
        code = main()
    except KeyboardInterrupt:
        raise
    except BaseException:  # reported, and told apart from a missed target
        import traceback

        traceback.print_exc()
        code = EXIT_CRASHED
    sys.exit(code)
