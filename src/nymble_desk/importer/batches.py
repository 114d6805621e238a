"""Batches of orders for the bulk endpoint, and the checkpoint that lets a rerun skip
the batches the API already acknowledged.

A batch is identified by the externalIds it holds (:attr:`Batch.key`), not by its
position, so an edited file never matches a stale acknowledgement.  The checkpoint is a
small JSON file under ``paths.data_dir()/imports/``, named after the digest of the
file's orders; it records only batch keys, externalIds, order numbers, outcomes and
times: no payloads, no customer data.  Skipping is an optimisation: resending an
acknowledged batch is still safe, because each order carries its externalId and the API
updates rather than duplicates.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Sequence

from nymble_desk import paths
from nymble_desk.importer.rows import ImportRow

DEFAULT_BATCH_SIZE = 200
CHECKPOINT_VERSION = 1


@dataclass(frozen=True)
class Batch:
    index: int
    rows: tuple[ImportRow, ...]

    @property
    def external_ids(self) -> tuple[str, ...]:
        return tuple(r.external_id for r in self.rows)

    @property
    def key(self) -> str:
        return hashlib.sha256("\n".join(self.external_ids).encode()).hexdigest()[:32]

    @property
    def payloads(self) -> list[dict[str, Any]]:
        return [r.payload for r in self.rows]


def split(rows: Iterable[ImportRow], size: int = DEFAULT_BATCH_SIZE) -> list[Batch]:
    """Consecutive batches of at most ``size`` rows, in file order."""
    if size < 1:
        raise ValueError(f"batch size must be at least 1, not {size}")
    rows = list(rows)
    return [Batch(n, tuple(rows[i : i + size])) for n, i in enumerate(range(0, len(rows), size))]


def rows_digest(rows: Sequence[ImportRow]) -> str:
    """Identifies what is being imported: the externalIds and payloads of the rows, in order."""
    h = hashlib.sha256()
    for row in rows:
        h.update(row.external_id.encode())
        h.update(json.dumps(row.payload, sort_keys=True, default=str).encode())
    return h.hexdigest()


def imports_dir() -> Path:
    return paths.data_dir() / "imports"


@dataclass(frozen=True)
class Acknowledged:
    """What the API answered for one batch: per externalId, ``(outcome, order number)``."""

    key: str
    index: int
    at: str
    results: dict[str, tuple[str, str | None]]


class Checkpoint:
    """Which batches of one import were acknowledged.  Written atomically (temp file,
    fsync, rename) with mode 0600 after every acknowledged batch."""

    def __init__(self, path: Path, digest: str, source: str, acknowledged: dict[str, Acknowledged]) -> None:
        self.path = path
        self.digest = digest
        self.source = source
        self.acknowledged = acknowledged

    @classmethod
    def for_rows(cls, rows: Sequence[ImportRow], source: str, *, directory: Path | None = None) -> Checkpoint:
        """The checkpoint of this set of rows: loaded when a previous run left one, else empty."""
        digest = rows_digest(rows)
        path = (directory or imports_dir()) / f"{digest[:32]}.json"
        return cls.load(path, digest, source)

    @classmethod
    def load(cls, path: Path, digest: str, source: str) -> Checkpoint:
        acknowledged: dict[str, Acknowledged] = {}
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            data = None
        except (OSError, ValueError):
            data = None  # unreadable or torn: start over (resending is safe)
        if isinstance(data, dict) and data.get("version") == CHECKPOINT_VERSION and data.get("digest") == digest:
            for key, entry in (data.get("batches") or {}).items():
                try:
                    results = {str(k): (str(v[0]), v[1]) for k, v in entry["results"].items()}
                    acknowledged[key] = Acknowledged(key, int(entry["index"]), str(entry["at"]), results)
                except (KeyError, TypeError, ValueError, IndexError):
                    continue
        return cls(path, digest, source, acknowledged)

    def is_done(self, batch: Batch) -> bool:
        ack = self.acknowledged.get(batch.key)
        return ack is not None and set(ack.results) == set(batch.external_ids)

    def acknowledge(self, batch: Batch, results: dict[str, tuple[str, str | None]]) -> None:
        """Record that the API answered ``batch``; ``results`` maps each externalId to
        ``(outcome, order number)``.  Written to disk before returning."""
        at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        self.acknowledged[batch.key] = Acknowledged(batch.key, batch.index, at, dict(results))
        self.save()

    def save(self) -> None:
        paths.ensure(self.path.parent)
        body = {
            "version": CHECKPOINT_VERSION,
            "digest": self.digest,
            "source": Path(self.source).name,
            "batches": {
                a.key: {"index": a.index, "at": a.at, "results": {k: list(v) for k, v in a.results.items()}}
                for a in sorted(self.acknowledged.values(), key=lambda a: a.index)
            },
        }
        tmp = self.path.with_name(self.path.name + ".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(body, f, indent=1, sort_keys=True)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.path)

    def clear(self) -> None:
        """Forget this import (after it finished, or to force a full resend)."""
        self.acknowledged.clear()
        try:
            self.path.unlink()
        except FileNotFoundError:
            pass
