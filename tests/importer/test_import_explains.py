"""Issue #12: import explains itself (columns and JSON shape in --help), and its memory
stays flat in the file's size (a dry run of 10x the rows costs no more memory)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from nymble_desk.cli import main
from nymble_desk.importer.parse import CSV_COLUMNS, REQUIRED_COLUMNS


def test_import_help_gives_the_csv_columns_the_json_shape_and_the_flags(capsys):
    with pytest.raises(SystemExit) as done:
        main(["import", "--help"])
    assert done.value.code == 0
    text = capsys.readouterr().out
    for column in CSV_COLUMNS:
        assert column in text
    assert "required: " + ", ".join(REQUIRED_COLUMNS) in text
    assert '{"orders": [ORDER, ...]}' in text and '"items": [{"sku": "WDG-BLU-L", "quantity": 24' in text
    for flag in ("--dry-run", "--merge-duplicates", "--timeout", "--lookup-timeout", "--fresh"):
        assert flag in text
    assert "12,50" in text  # the decimal comma rule


def test_the_readme_import_section_gives_the_same_columns():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme[readme.index("## Importing orders"):]
    for column in CSV_COLUMNS:
        assert f"`{column}`" in section
    assert '"orders"' in section and "--merge-duplicates" in section and "--dry-run" in section


def _csv(path: Path, rows: int) -> None:
    with path.open("w") as f:
        f.write("externalId,orderDate,customerNumber,poNumber,priceTier,currencyCode,repNumber,sku,quantity,price\n")
        for n in range(rows):
            f.write(f"MEM-{n // 2:07d},2024-05-01,CUST-1042,PO-{n // 2},Wholesale,USD,REP-007,"
                    f"{'WDG-BLU-L' if n % 2 else 'PART-A1'},10,4.25\n")


def _peak_mb(path: Path, tmp_path: Path) -> float:
    """The dry run's own peak RSS (VmHWM of its process image, read by itself as it ends).

    Not ``wait4``'s ``ru_maxrss``: Linux carries the parent's high-water mark into the child through the
    exec (subprocess forks with vfork), so under a pytest worker of 400 MB both sizes read 401 MB."""
    env = {**os.environ, "NYMBLE_DESK_CONFIG_DIR": str(tmp_path / "c"), "NYMBLE_DESK_DATA_DIR": str(tmp_path / "d")}
    report = tmp_path / f"{path.stem}.hwm"
    code = ("import sys\n"
            "from nymble_desk.cli import main\n"
            "rc = main(sys.argv[1:])\n"
            "hwm = next(l for l in open('/proc/self/status') if l.startswith('VmHWM:')).split()[1]\n"
            f"open({str(report)!r}, 'w').write(hwm)\n"
            "sys.exit(rc)\n")
    done = subprocess.run([sys.executable, "-c", code, "import", str(path), "--dry-run"], env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    return int(report.read_text()) / 1024


@pytest.mark.slow
def test_a_dry_run_s_memory_is_flat_in_the_file_s_size(tmp_path: Path):
    small, large = tmp_path / "small.csv", tmp_path / "large.csv"
    _csv(small, 10_000)
    _csv(large, 100_000)
    small_mb, large_mb = _peak_mb(small, tmp_path), _peak_mb(large, tmp_path)
    print(f"\ndry run peak RSS: 10,000 rows {small_mb:.0f} MB, 100,000 rows {large_mb:.0f} MB")
    assert large_mb < 300 and large_mb - small_mb < 25, (small_mb, large_mb)
