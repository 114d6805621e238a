"""Read a table's rows straight from the pages of a damaged SQLite file, skipping what is missing or garbled.

SQLite gives up on a query at the first bad page it meets; this walks a table's
b-tree from its root page (found in ``sqlite_master`` on page 1) and keeps every
row on every leaf page it can still reach, as SQLite's ``.recover`` does. A file
cut short loses only the rows on the missing pages. It reads bytes only: it
never opens the file in SQLite, and never writes.

File format: https://www.sqlite.org/fileformat2.html (b-tree pages, records,
overflow pages).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from collections.abc import Iterator

LEAF_TABLE, INTERIOR_TABLE = 0x0D, 0x05
Value = int | float | str | bytes | None


class BadCell(ValueError):
    """A row that cannot be decoded (a garbled cell or a missing overflow page)."""


def varint(buf: bytes, i: int) -> tuple[int, int]:
    """SQLite's big-endian varint at ``buf[i]``: (value, index after it)."""
    value = 0
    for k in range(9):
        if i + k >= len(buf):
            raise BadCell("varint runs past the page")
        byte = buf[i + k]
        if k == 8:
            return (value << 8) | byte, i + 9
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            return value, i + k + 1
    raise BadCell("varint too long")  # pragma: no cover - the loop returns by k == 8


def _signed(raw: bytes) -> int:
    return int.from_bytes(raw, "big", signed=True)


INT_SIZES = {1: 1, 2: 2, 3: 3, 4: 4, 5: 6, 6: 8}


def decode_record(payload: bytes) -> list[Value]:
    header_size, i = varint(payload, 0)
    if header_size > len(payload):
        raise BadCell("record header runs past the payload")
    types: list[int] = []
    while i < header_size:
        t, i = varint(payload, i)
        types.append(t)
    pos = header_size
    values: list[Value] = []
    for t in types:
        if t == 0:
            values.append(None)
        elif t in INT_SIZES:
            n = INT_SIZES[t]
            values.append(_signed(payload[pos:pos + n]))
            pos += n
        elif t == 7:
            values.append(struct.unpack(">d", payload[pos:pos + 8])[0])
            pos += 8
        elif t in (8, 9):
            values.append(t - 8)
        elif t >= 12:
            n = (t - 12) // 2
            raw = payload[pos:pos + n]
            if len(raw) != n:
                raise BadCell("value runs past the payload")
            values.append(raw if t % 2 == 0 else raw.decode("utf-8"))  # UnicodeDecodeError is a ValueError
            pos += n
        else:
            raise BadCell(f"reserved serial type {t}")
    if pos > len(payload):
        raise BadCell("values run past the payload")
    return values


@dataclass
class PageFile:
    data: bytes
    page_size: int
    reserved: int = 0

    @classmethod
    def from_bytes(cls, data: bytes) -> PageFile:
        size = int.from_bytes(data[16:18], "big")
        return cls(data, 65536 if size == 1 else size, data[20] if len(data) > 20 else 0)

    @property
    def usable(self) -> int:
        return self.page_size - self.reserved

    def page(self, n: int) -> bytes | None:
        start = (n - 1) * self.page_size
        if n < 1 or start + self.page_size > len(self.data):
            return None
        return self.data[start:start + self.page_size]

    def _payload(self, page: bytes, i: int, size: int) -> bytes:
        u = self.usable
        local = size
        if size > u - 35:
            m = ((u - 12) * 32 // 255) - 23
            k = m + ((size - m) % (u - 4))
            local = k if k <= u - 35 else m
        out = bytearray(page[i:i + local])
        if local < size:
            nxt = int.from_bytes(page[i + local:i + local + 4], "big")
            seen: set[int] = set()
            while len(out) < size:
                over = self.page(nxt) if nxt not in seen else None
                if over is None:
                    raise BadCell(f"overflow page {nxt} is missing")
                seen.add(nxt)
                out += over[4:u]
                nxt = int.from_bytes(over[:4], "big")
        return bytes(out[:size])

    def rows(self, root: int) -> tuple[list[tuple[int, list[Value]]], int]:
        """Every decodable row of the table whose b-tree starts at ``root``: ((rowid, values) list,
        number of pages or cells that could not be read)."""
        out: list[tuple[int, list[Value]]] = []
        bad = 0
        stack, seen = [root], set()
        while stack:
            n = stack.pop()
            page = self.page(n) if n not in seen else None
            seen.add(n)
            if page is None:
                bad += 1
                continue
            try:
                bad += self._read_page(n, page, stack, out)
            except (IndexError, ValueError):  # a garbled page header or cell pointer
                bad += 1
        return out, bad

    def _read_page(self, n: int, page: bytes, stack: list[int], out: list[tuple[int, list[Value]]]) -> int:
        bad = 0
        head = 100 if n == 1 else 0
        kind = page[head]
        cells = int.from_bytes(page[head + 3:head + 5], "big")
        if kind == INTERIOR_TABLE:
            stack.append(int.from_bytes(page[head + 8:head + 12], "big"))
            pointers = head + 12
            for c in range(cells):
                at = int.from_bytes(page[pointers + 2 * c:pointers + 2 * c + 2], "big")
                stack.append(int.from_bytes(page[at:at + 4], "big"))
        elif kind == LEAF_TABLE:
            pointers = head + 8
            for c in range(cells):
                try:
                    at = int.from_bytes(page[pointers + 2 * c:pointers + 2 * c + 2], "big")
                    size, i = varint(page, at)
                    rowid, i = varint(page, i)
                    if rowid >= 1 << 63:
                        rowid -= 1 << 64
                    out.append((rowid, decode_record(self._payload(page, i, size))))
                except ValueError:
                    bad += 1
        else:
            bad += 1
        return bad


def table_roots(pf: PageFile) -> dict[str, int]:
    """Table name -> root page, from sqlite_master on page 1."""
    rows, _ = pf.rows(1)
    return {str(v[1]): int(v[3]) for _, v in rows
            if len(v) >= 4 and v[0] == "table" and isinstance(v[1], str) and isinstance(v[3], int)}


def walk(data: bytes) -> Iterator[tuple[str, list[tuple[int, list[Value]]], int]]:
    """(table, rows, unreadable pages or cells) for every table listed on page 1."""
    if len(data) < 512 or not data.startswith(b"SQLite format 3\x00"):
        return
    pf = PageFile.from_bytes(data)
    if pf.page_size < 512:
        return
    for name, root in table_roots(pf).items():
        rows, bad = pf.rows(root)
        yield name, rows, bad
