from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from nymble_desk.cli import main as top_main
from nymble_desk.drafts.store import DraftStore


def _seed() -> str:
    s = DraftStore()
    d = s.create("CUST-1042", customer_name="Brightfield Supply Co.", currency="USD", price_tier="Wholesale")
    s.set_line(d.id, "WDG-BLU-L", 24, name="Widget Blue Large", unit_price=Decimal("12.50"))
    s.set_line(d.id, "PART-A1", 10, name="Part A1", unit_price=Decimal("4.25"))
    s.set_po(d.id, "PO-1")
    s.close()
    return d.id


def test_list_show_export_discard(capsys, tmp_path: Path) -> None:
    draft_id = _seed()
    assert top_main(["drafts", "list"]) == 0
    out = capsys.readouterr().out
    assert draft_id[:8] in out and "CUST-1042" in out and "$342.50" in out and "3 change(s) queued" in out

    assert top_main(["drafts", "show", draft_id[:6]]) == 0
    out = capsys.readouterr().out
    assert "WDG-BLU-L" in out and "$300.00" in out and "PO-1" in out

    target = tmp_path / "x.json"
    assert top_main(["drafts", "export", draft_id, "-o", str(target)]) == 0
    data = json.loads(target.read_text())
    assert data["state"] == "pending" and data["totals"]["total"] == "342.50"
    assert [(ln["sku"], ln["quantity"], ln["unitPrice"]) for ln in data["lines"]] == [
        ("WDG-BLU-L", 24, "12.50"), ("PART-A1", 10, "4.25")]
    assert [e["action"] for e in data["journal"]] == ["create", "set_line", "set_line", "set_po"]

    assert top_main(["drafts", "discard", draft_id]) == 0
    capsys.readouterr()
    assert top_main(["drafts"]) == 0
    assert "no open drafts" in capsys.readouterr().out
    assert top_main(["drafts", "export", "--all"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["state"] == "discarded"


def test_errors_are_plain_words(capsys) -> None:
    assert top_main(["drafts", "show"]) == 2
    assert "name a draft" in capsys.readouterr().err
    assert top_main(["drafts", "show", "zzz"]) == 2
    assert "no draft zzz" in capsys.readouterr().err
    draft_id = _seed()
    top_main(["drafts", "discard", draft_id])
    assert top_main(["drafts", "discard", draft_id]) == 2
    assert "can no longer change" in capsys.readouterr().err
