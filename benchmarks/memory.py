"""Peak resident memory of the app process with the full index loaded.

Each figure is a fresh subprocess that reports ``resource.getrusage`` peak RSS:

- baseline: the TUI's modules imported (Textual, the app, its screens), nothing opened;
- searching: the same, plus the full index (100,000 customers, 200,000 products)
  opened and lookups and type-ahead queries run over it (every prefix of 200 customers'
  names, numbers and phones and of 200 products' SKUs and names; 40 each with ``--quick``);
- filling: the same imports, plus the whole index filled page by page (500 rows a page,
  as the refresher does) into an empty file.

Target: peak RSS under 250 MB with the full index loaded.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path

import common
import indexdata

TARGET_MB = 250.0

_CHILD = r"""
import json, resource, sys, time
sys.path[:0] = [{src!r}, {bench!r}]
import importlib
for mod in ("textual.app", "textual.widgets", "nymble_desk.tui.app"):
    importlib.import_module(mod)  # a broken import fails the benchmark rather than shrinking its baseline
mode, db, sample = sys.argv[1], sys.argv[2], int(sys.argv[3])
if mode == "searching":
    from nymble_desk.index import SearchIndex
    import datagen, random
    ix = SearchIndex(db)
    rnd = random.Random(5)
    customers = list(datagen.customers(2000))
    products = list(datagen.products(2000))
    for c in rnd.sample(customers, sample):
        for text in (c["companyName"][:6], c["customerNumber"][-5:], c["companyPhone"][:5]):
            for i in range(1, len(text) + 1):
                ix.search_customers(text[:i])
    for p in rnd.sample(products, sample):
        for text in (p["sku"][:7], p["name"].lower()[:10]):
            for i in range(1, len(text) + 1):
                ix.search_products(text[:i])
    ix.freshness()
elif mode == "filling":
    import itertools, datagen
    from nymble_desk.index import SearchIndex
    ix = SearchIndex(db)
    fills = ((datagen.customers(100_000), ix.upsert_customers), (datagen.products(200_000), ix.upsert_products))
    for rows, up in fills:
        while chunk := list(itertools.islice(rows, 500)):
            up(chunk)
print(json.dumps({{"maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}}))
"""


def peak_mb(mode: str, db: Path, sample: int = 100) -> float:
    code = _CHILD.format(src=str(common.SRC), bench=str(common.BENCH))
    out = subprocess.run([common.python(), "-c", code, mode, str(db), str(sample)], capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])["maxrss_kb"] / 1024.0


def main(argv: list[str] | None = None) -> int:
    b = common.bench("memory", __doc__.splitlines()[0], argv)
    src = indexdata.full_index()
    with tempfile.TemporaryDirectory() as tmp:
        db = indexdata.working_copy(src, Path(tmp))
        base = peak_mb("baseline", db)
        searching = peak_mb("searching", db, 40 if b.quick else 200)
        b.figure("baseline: TUI modules imported", base, "MB")
        b.ratio("peak RSS, full index searched", searching, base, "MB")
        b.at_most("peak RSS, full index searched (target)", searching, TARGET_MB, "MB")
        if not b.quick:
            filling = peak_mb("filling", Path(tmp) / "fill.sqlite3")
            b.ratio("peak RSS, filling 300,000 rows", filling, base, "MB")
            b.at_most("peak RSS, filling (target)", filling, TARGET_MB, "MB")
    return b.finish()


if __name__ == "__main__":
    common.run_main(main)
