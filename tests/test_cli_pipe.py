"""A command's output piped into a reader that stops early (``| head``) ends the command quietly."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HEADER = "externalId,orderDate,customerNumber,poNumber,priceTier,currencyCode,repNumber,sku,quantity,price"


def test_import_report_into_head_ends_without_an_error(isolated_dirs: Path) -> None:
    """The report of 2,000 refused lines into ``head -1`` said "unexpected error (BrokenPipeError)"."""
    csv = isolated_dirs / "bad.csv"
    rows = [f"X-{i},2024-03-15T00:00:00Z,CUST-1042,PO-{i},Wholesale,USD,REP-007,WDG-BLU-L,abc,12.50"
            for i in range(2000)]
    csv.write_text("\n".join([HEADER, *rows]) + "\n")
    proc = subprocess.Popen([sys.executable, "-m", "nymble_desk", "import", str(csv), "--dry-run"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()  # the reader goes away, as head does after its line
    err = proc.stderr.read().decode()
    code = proc.wait(timeout=60)
    assert b"dry run" in first
    assert "unexpected error" not in err and "Traceback" not in err, err
    assert code == 141, (code, err)
