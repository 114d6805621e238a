"""From what a rep typed to SQL: FTS5 prefix queries and B-tree prefix ranges."""

from __future__ import annotations

import re

_WORD = re.compile(r"\w+", re.UNICODE)
_MAX_TERMS = 6
#: Sorts after every other character in SQLite's BINARY (UTF-8 byte) order.
_TOP = "\U0010ffff"


def fts_terms(text: str) -> list[str]:
    """The words of ``text``, casefolded, at most a handful (a pasted paragraph is not a query)."""
    return [w.casefold() for w in _WORD.findall(text)][:_MAX_TERMS]


def fts_prefix_query(text: str) -> str | None:
    """An FTS5 query matching rows that hold every typed word as a word prefix.

    Each word is quoted, so FTS5 syntax in the input (``AND``, ``*``, ``"``, ``:``, ``-``)
    is taken literally.  ``None`` when nothing searchable was typed.
    """
    terms = fts_terms(text)
    if not terms:
        return None
    return " ".join(f'"{t}"*' for t in terms)


def prefix_range(prefix: str) -> tuple[str, str]:
    """``(low, high)`` such that ``low <= col < high`` holds exactly for text starting with ``prefix``."""
    return prefix, prefix + _TOP


def looks_like_upc(text: str) -> bool:
    return text.isdigit() and len(text) in (8, 12, 13)
