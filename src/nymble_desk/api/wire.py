"""JSON on the wire with exact money: numbers are read as Decimal and Decimals written as numbers."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any


def decode(content: bytes) -> Any:
    """Parse a JSON body; non-integral numbers become Decimal, never float."""
    if not content or not content.strip():
        return None
    return json.loads(content, parse_float=Decimal)


def _number(value: Decimal) -> str:
    if not value.is_finite():
        raise ValueError(f"cannot send {value} as a JSON number")
    return format(value, "f")


_string = json.encoder.encode_basestring_ascii  # what json.dumps(str) writes, without its per-call cost


def _encode(value: Any) -> str:
    kind = type(value)
    if kind is str:
        return _string(value)
    if kind is int:
        return int.__repr__(value)
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, Decimal):
        return _number(value)
    if isinstance(value, float):
        raise TypeError("money and quantities are Decimal or int on the wire, never float")
    if isinstance(value, dict):
        return "{" + ",".join(f"{_string(str(k))}:{_encode(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(_encode(v) for v in value) + "]"
    if isinstance(value, datetime | date):
        return json.dumps(value.isoformat())
    if isinstance(value, Enum):
        return _encode(value.value)
    if hasattr(value, "get_secret_value"):
        raise TypeError("a secret reached the encoder unrevealed; reveal it explicitly in the body")
    return json.dumps(value)


def encode(value: Any) -> bytes:
    """A request body as compact JSON bytes, Decimals written as exact numbers."""
    return _encode(value).encode("utf-8")
