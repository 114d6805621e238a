import io
import json

import pytest
from importer_files import HEADER, order_lines

from nymble_desk.importer import ImportReport, Outcome, parse_csv


def test_counts_text_and_json():
    text = "\n".join([HEADER, *order_lines("A-1"), *order_lines("B-2", items=(("X-1", "0", "1"),)),
                      *order_lines("C-3")])
    result = parse_csv(text, "orders.csv")
    report = ImportReport("orders.csv", warnings=["orders.csv line 1: unknown column 'x' ignored"])
    report.reject_invalid(result.rows)
    report.add(Outcome("A-1", "created", "ORD-00001", lines=(2,)))
    report.add(Outcome("C-3", "updated", "ORD-00002", lines=(4,), previous_run=True))
    # C-3 was imported by an earlier run: this run neither created nor updated it (#12 item 8)
    assert report.counts == {"created": 1, "updated": 0, "rejected": 1, "skipped": 1}
    assert not report.ok
    assert report.to_text() == "\n".join([
        "orders.csv: 3 orders: 1 created, 0 updated, 1 rejected, 1 already imported by an earlier run (not sent again)",
        "Rejected:",
        "  line 3 (B-2):",
        "    orders.csv line 3: quantity: must be at least 1, not 0",
        "Warnings:",
        "  orders.csv line 1: unknown column 'x' ignored",
    ])
    data = json.loads(report.to_json())
    assert data["counts"] == {"created": 1, "updated": 0, "rejected": 1, "skipped": 1}
    streamed = io.StringIO()
    report.write_json(streamed)
    assert json.loads(streamed.getvalue()) == data
    assert [o["externalId"] for o in data["orders"]] == ["A-1", "B-2", "C-3"]  # file order
    assert data["orders"][1] == {"externalId": "B-2", "status": "rejected", "orderNumber": None, "lines": [3],
                                 "reasons": ["orders.csv line 3: quantity: must be at least 1, not 0"],
                                 "previousRun": False}


def test_an_empty_report_and_singular_wording():
    report = ImportReport("o.json")
    assert report.ok and report.summary() == "o.json: 0 orders: 0 created, 0 updated, 0 rejected"
    report.add(Outcome("A", "created"))
    assert report.summary() == "o.json: 1 order: 1 created, 0 updated, 0 rejected"


def test_outcomes_are_checked():
    with pytest.raises(ValueError):
        Outcome("A", "deleted")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="reason"):
        Outcome("A", "rejected")


def test_outcomes_read_back_as_they_were_added_in_file_order():
    batch = [Outcome("E-2", "rejected", None, ("f.csv line 5: sku: NO-SUCH: the product does not exist",
                                               'a "quoted", multi\nline reason \u00e9'), (5, 6, 12)),
             Outcome("E-1", "updated", "ORD-7", (), (2, 3, 4), previous_run=True),
             Outcome("E-3", "created", "ORD-8", (), ())]
    report = ImportReport("f.csv")
    report.add_all(batch)
    assert report.outcomes == [batch[2], batch[1], batch[0]]  # by first line (none: 0)
    assert report.rejected == [batch[0]]
    assert report.counts == {"created": 1, "updated": 0, "rejected": 1, "skipped": 1}
    dry = ImportReport("f.csv", dry_run=True)
    with pytest.raises(ValueError, match="no 'created' orders"):
        dry.add_all([Outcome("R-1", "ready"), Outcome("C-1", "created")])
    assert dry.counts == {"ready": 0, "rejected": 0} and dry.outcomes == []  # all of a batch or none of it
