"""A full search index (100,000 customers, 200,000 products) built once and cached.

Rows come from :mod:`datagen` (deterministic, API-shaped).  The file is cached in
``common.cache_dir()`` keyed by sizes and the index schema version, so a run of
several benchmarks builds it once.
"""

from __future__ import annotations

import itertools
import os
import shutil
from pathlib import Path

import common  # puts src/ on sys.path
import datagen
from nymble_desk.index import SearchIndex
from nymble_desk.index.schema import SCHEMA_VERSION

FULL_CUSTOMERS, FULL_PRODUCTS = 100_000, 200_000
GENERATOR_VERSION = 1


def build(path: Path, customers: int, products: int, batch: int = 20000) -> Path:
    tmp = path.with_name(path.name + ".building")
    for p in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        if p.exists():
            p.unlink()
    index = SearchIndex(tmp)
    try:
        for rows, upsert in ((datagen.customers(customers), index.upsert_customers),
                             (datagen.products(products), index.upsert_products)):
            while chunk := list(itertools.islice(rows, batch)):
                upsert(chunk)
        index.mark_refreshed("customers", full=True)
        index.mark_refreshed("products", full=True)
        conn = index._conn()
        conn.execute("INSERT INTO idx_customers_fts (idx_customers_fts) VALUES ('optimize')")
        conn.execute("INSERT INTO idx_products_fts (idx_products_fts) VALUES ('optimize')")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        index.close()
    os.replace(tmp, path)
    return path


def full_index(customers: int = FULL_CUSTOMERS, products: int = FULL_PRODUCTS) -> Path:
    """The path of a ready index of this size (built on first use)."""
    path = common.cache_dir() / f"index-c{customers}-p{products}-s{SCHEMA_VERSION}-g{GENERATOR_VERSION}.sqlite3"
    if not path.exists():
        with common.stopwatch() as took:
            build(path, customers, products)
        print(f"  (built the index of {customers:,} customers and {products:,} products in {took():.1f} s)")
    return path


def working_copy(src: Path, dest_dir: Path) -> Path:
    """A private copy to open (so a benchmark never writes into the cached file)."""
    dest = dest_dir / "drafts.sqlite3"
    shutil.copyfile(src, dest)
    return dest
