import os
import stat
from pathlib import Path

import pytest
from importer_files import HEADER, order_lines

from nymble_desk import paths
from nymble_desk.importer import Checkpoint, parse_csv, split


def rows(n: int, start: int = 0):
    text = "\n".join([HEADER, *(line for i in range(start, start + n) for line in order_lines(f"E-{i:04d}"))])
    return parse_csv(text).rows


def test_split_keeps_order_and_sizes():
    batches = split(rows(450))
    assert [len(b.rows) for b in batches] == [200, 200, 50]
    assert [b.index for b in batches] == [0, 1, 2]
    assert [r.external_id for b in batches for r in b.rows] == [f"E-{i:04d}" for i in range(450)]
    assert split([], 10) == []
    assert [len(b.rows) for b in split(rows(5), 2)] == [2, 2, 1]
    with pytest.raises(ValueError):
        split(rows(1), 0)


def test_batch_key_follows_content_not_position():
    a = split(rows(4), 2)
    b = split(rows(4), 2)
    assert [x.key for x in a] == [x.key for x in b]
    assert a[0].key != a[1].key
    shifted = split(rows(4, start=1), 2)
    assert a[1].key != shifted[0].key and a[0].key != shifted[0].key


def test_checkpoint_lives_under_the_data_dir_and_survives_a_restart():
    data = rows(5)
    batches = split(data, 2)
    cp = Checkpoint.for_rows(data, "/home/rep/orders.csv")
    assert cp.path.parent == paths.data_dir() / "imports"
    assert not cp.path.exists() and not any(cp.is_done(b) for b in batches)
    cp.acknowledge(batches[0], {"E-0000": ("created", "ORD-1"), "E-0001": ("updated", "ORD-2")})
    assert stat.S_IMODE(os.stat(cp.path).st_mode) == 0o600

    again = Checkpoint.for_rows(rows(5), "orders.csv")
    assert again.path == cp.path
    assert [again.is_done(b) for b in batches] == [True, False, False]
    assert again.results(batches[0])["E-0001"] == ("updated", "ORD-2")


def test_checkpoint_holds_nothing_but_ids_and_outcomes():
    data = rows(2)
    cp = Checkpoint.for_rows(data, "/secret/place/orders.csv")
    cp.acknowledge(split(data)[0], {"E-0000": ("created", "ORD-1"), "E-0001": ("created", "ORD-2")})
    cp.close()
    text = cp.path.read_bytes()
    for absent in ("CUST-1042", "PO-1", "WDG-BLU-L", "12.50", "/secret/place"):
        assert absent.encode() not in text
    assert b"orders.csv" in text


def test_a_changed_file_does_not_reuse_the_checkpoint():
    data = rows(3)
    cp = Checkpoint.for_rows(data, "orders.csv")
    cp.acknowledge(split(data)[0], {r.external_id: ("created", None) for r in data})
    changed = parse_csv("\n".join([HEADER, *order_lines("E-0000", po="PO-CHANGED"), *order_lines("E-0001"),
                                   *order_lines("E-0002")])).rows
    other = Checkpoint.for_rows(changed, "orders.csv")
    assert other.path != cp.path and other.acknowledged_batches == 0


def test_torn_or_foreign_checkpoint_files_are_ignored(tmp_path: Path):
    data = rows(2)
    (batch,) = split(data)
    cp = Checkpoint.for_rows(data, "orders.csv", directory=tmp_path)
    cp.path.write_text('{"version": 1, "digest": "')  # torn, or the JSON of an older version
    assert Checkpoint.for_rows(data, "orders.csv", directory=tmp_path).acknowledged_batches == 0
    cp.acknowledge(batch, {r.external_id: ("created", None) for r in data})  # a torn file is replaced
    cp.close()
    assert Checkpoint.for_rows(data, "orders.csv", directory=tmp_path).is_done(batch)
    foreign = Checkpoint.for_digest("someone-else", "orders.csv", directory=tmp_path)
    foreign.path.write_bytes(cp.path.read_bytes())  # another import's digest inside
    assert not Checkpoint.for_digest("someone-else", "orders.csv", directory=tmp_path).is_done(batch)


def test_many_batches_cost_one_small_write_each(tmp_path: Path):
    """The checkpoint is not rewritten whole per batch (that made a 100,000-order import
    write O(n^2) bytes): its size grows with what was acknowledged, not batches squared."""
    data = rows(400)
    cp = Checkpoint.for_rows(data, "orders.csv", directory=tmp_path)
    for batch in split(data, 2):
        cp.acknowledge(batch, {r.external_id: ("created", "ORD-1") for r in batch.rows})
    cp.close()
    assert cp.path.stat().st_size < 200 * 1024
    again = Checkpoint.for_rows(data, "orders.csv", directory=tmp_path)
    assert all(again.is_done(b) for b in split(data, 2))


def test_partial_acknowledgement_is_not_done_and_clear_forgets():
    data = rows(2)
    (batch,) = split(data)
    cp = Checkpoint.for_rows(data, "orders.csv")
    cp.acknowledge(batch, {"E-0000": ("created", "ORD-1")})
    assert not cp.is_done(batch)
    cp.acknowledge(batch, {"E-0000": ("created", "ORD-1"), "E-0001": ("rejected", None)})
    assert cp.is_done(batch)
    cp.forget_batches()  # --fresh: resend, but still know the orders exist
    assert not cp.is_done(batch) and cp.known(["E-0000", "E-0001"]) == {"E-0000": ("created", "ORD-1"),
                                                                       "E-0001": ("rejected", None)}
    cp.clear()
    assert not cp.path.exists() and not Checkpoint.for_rows(data, "orders.csv").is_done(batch)
