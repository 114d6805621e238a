"""The orders array of a JSON file, one order at a time, read in chunks (never the whole file).

A 1,000,000-line JSON file decoded whole takes gigabytes as Python objects; here only
the order being decoded and one chunk of text are held.  The file is a bare list of
orders or an object with an ``orders`` key (any case; other keys, before or after it,
are read and ignored).  Each order is decoded with the stdlib decoder
(``JSONDecoder.raw_decode``) from a text buffer that is topped up when the order runs
past its end, and emptied of what was read before it.  The whole text is checked as it
goes: a syntax error anywhere (also after the orders) is an :class:`ImportFileError`
naming the line, and so is nesting too deep for the decoder (``RecursionError``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import TextIO

from nymble_desk.importer.rows import ImportFileError

CHUNK = 1 << 20  # characters read at a time
MAX_ORDER_CHARS = 64 << 20  # one order larger than this is refused (rather than read whole)
_NEAR_END = 16  # a decode error this close to the buffer's end may only mean the text goes on
_DECODER = json.JSONDecoder(parse_float=Decimal)
_NOT_WS = re.compile(r"[^ \t\r\n]")

JsonValue = dict[str, object] | list[object] | str | int | Decimal | bool | None
SHAPE = 'expected {"orders": [...]} or a list of orders'
TOO_DEEP = ('nested too deeply to be an orders file (an order is a few levels deep: '
            '{"orders": [{..., "items": [{...}]}]})')


class JsonText:
    """A JSON text read ``CHUNK`` characters at a time: ``buf[pos:]`` is what is not read yet."""

    def __init__(self, f: TextIO, source: str) -> None:
        self.f, self.source = f, source
        self.buf = ""
        self.pos = 0
        self.eof = False
        self._line_pos, self._line = 0, 1  # line number at buf[_line_pos]

    def _read(self, at_least: int = 0) -> bool:
        if self.eof:
            return False
        try:
            data = self.f.read(max(CHUNK, at_least))
        except UnicodeDecodeError as err:
            raise ImportFileError(f"{self.source} is not UTF-8 text (byte {err.start} of a block)") from None
        if not data:
            self.eof = True
            return False
        self.buf += data
        return True

    def _compact(self) -> None:
        if self.pos >= CHUNK:
            self._line = self.line_at(self.pos)
            self.buf, self.pos, self._line_pos = self.buf[self.pos:], 0, 0

    def line_at(self, pos: int) -> int:
        """The line number of ``buf[pos]`` (counted on from the last position asked: call in file order)."""
        if pos < self._line_pos:
            return self._line - self.buf.count("\n", pos, self._line_pos)
        self._line += self.buf.count("\n", self._line_pos, pos)
        self._line_pos = pos
        return self._line

    def fail(self, message: str, pos: int | None = None) -> ImportFileError:
        line = self.line_at(self.pos if pos is None else pos)
        return ImportFileError(f"{self.source} line {line}: not valid JSON ({message})")

    def peek(self) -> str:
        """The next character that is not white space (moving past the white space), or "" at the end."""
        while True:
            m = _NOT_WS.search(self.buf, self.pos)
            if m is not None:
                self.pos = m.start()
                return self.buf[self.pos]
            self.pos = len(self.buf)
            self._compact()
            if not self._read():
                return ""

    def expect(self, char: str, message: str) -> None:
        if self.peek() != char:
            raise self.fail(message)
        self.pos += 1

    def value(self) -> JsonValue:
        """Decode the value that starts at the next non-space character."""
        self.peek()
        self._compact()
        start = self.pos
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buf, start)
            except json.JSONDecodeError as err:
                cut = err.pos >= len(self.buf) - _NEAR_END or err.msg.startswith("Unterminated string")
                if self.eof or not cut:
                    raise self.fail(err.msg, err.pos) from None
                if len(self.buf) - start > MAX_ORDER_CHARS:
                    raise ImportFileError(f"{self.source} line {self.line_at(start)}: one value is larger than "
                                          f"{MAX_ORDER_CHARS >> 20} MB, or not valid JSON ({err.msg})") from None
                self._read(len(self.buf) - start)  # as much again: one large order is read in linear time
                continue
            except RecursionError:
                raise ImportFileError(f"{self.source}: {TOO_DEEP}") from None
            if end > len(self.buf) - _NEAR_END and self._read():
                continue  # a number cut by the chunk ("1." of "1.5") may go on in the next one
            self.pos = end
            return value  # type: ignore[no-any-return]  # raw_decode's value: JSON, as the return type says


def _skip_members(text: JsonText) -> bool:
    """Read ``"key": value`` pairs of an object up to its ``}`` (not consumed) or to an ``orders``
    key whose value starts (True, at its ``[``)."""
    while text.peek() != "}":
        key = text.value()
        if not isinstance(key, str):
            raise text.fail("Expecting property name enclosed in double quotes")
        text.expect(":", "Expecting ':' delimiter")
        if key.lower() == "orders":
            if text.peek() != "[":
                raise ImportFileError(f"{text.source}: {SHAPE}")
            return True
        text.value()
        if text.peek() == ",":
            text.pos += 1
        elif text.peek() != "}":
            raise text.fail("Expecting ',' delimiter")
    return False


def orders(f: TextIO, source: str) -> Iterator[tuple[int, JsonValue]]:
    """(line number, decoded order) for each element of the orders array, in file order; the rest of
    the text is checked after the last one."""
    text = JsonText(f, source)
    first = text.peek()
    wrapped = first == "{"
    if wrapped:
        text.pos += 1
        if not _skip_members(text):
            raise ImportFileError(f"{source}: {SHAPE}")
    elif first != "[":
        text.value()  # a syntax error is named as such; a number or a string is the wrong shape
        raise ImportFileError(f"{source}: {SHAPE}")
    text.pos += 1  # past '['
    if text.peek() != "]":
        while True:
            text.peek()  # the order's first character: its line
            line = text.line_at(text.pos)
            yield line, text.value()
            if text.peek() == ",":
                text.pos += 1
                continue
            text.expect("]", "Expecting ',' delimiter")
            break
    else:
        text.pos += 1
    if wrapped:
        if text.peek() == ",":
            text.pos += 1
            if text.peek() == "}":
                raise text.fail("Expecting property name enclosed in double quotes")
            _skip_members(text)
        text.expect("}", "Expecting ',' delimiter")
    if text.peek() != "":
        raise text.fail("Extra data")
