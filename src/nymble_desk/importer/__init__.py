"""Bulk import of orders from CSV or JSON (`nymble-desk import FILE`).

parse (file -> ImportRows) -> batches (+ checkpoint) -> run (API, when signed in) -> report.
Nothing here imports Textual.
"""

from nymble_desk.importer.batches import DEFAULT_BATCH_SIZE, Batch, Checkpoint, split
from nymble_desk.importer.csv_orders import CSV_COLUMNS
from nymble_desk.importer.parse import ParseResult, parse_bytes, parse_csv, parse_file, parse_json
from nymble_desk.importer.report import ImportReport, Outcome
from nymble_desk.importer.rows import ImportFileError, ImportRow, RowError, derive_external_id

__all__ = [
    "CSV_COLUMNS",
    "DEFAULT_BATCH_SIZE",
    "Batch",
    "Checkpoint",
    "ImportFileError",
    "ImportReport",
    "ImportRow",
    "Outcome",
    "ParseResult",
    "RowError",
    "derive_external_id",
    "parse_bytes",
    "parse_csv",
    "parse_file",
    "parse_json",
    "split",
]
