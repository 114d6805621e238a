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
    # the plain containers and Decimal by their exact type first (a bulk import's bodies are mostly
    # these); subclasses and the rest go through the checks below, with the same output
    if kind is dict:
        return "{" + ",".join([f"{_string(k if type(k) is str else str(k))}:{_encode(v)}"
                               for k, v in value.items()]) + "}"
    if kind is list:
        return "[" + ",".join([_encode(v) for v in value]) + "]"
    if kind is Decimal:
        return _number(value)
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
        return _string(value.isoformat())
    if isinstance(value, Enum):
        return _encode(value.value)
    if hasattr(value, "get_secret_value"):
        raise TypeError("a secret reached the encoder unrevealed; reveal it explicitly in the body")
    return json.dumps(value)


def encode(value: Any) -> bytes:
    """A request body as compact JSON bytes, Decimals written as exact numbers."""
    return _encode(value).encode("utf-8")
