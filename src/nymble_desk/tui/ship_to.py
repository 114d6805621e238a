"""Ship-to addresses as the cart API spells them: read one from a model or dict, show it on a line,
check a typed one, preselect the customer's default. No Textual: the ship-to, checkout and
confirmation screens and the order facts all read these."""

from __future__ import annotations

from typing import Any

#: (dict key as the cart API spells it, label, required)
ADDRESS_FIELDS = (
    ("address1", "Address 1", True),
    ("address2", "Address 2", False),
    ("city", "City", True),
    ("stateProvince", "State/Prov", True),
    ("postalCode", "Postal code", True),
    ("country", "Country", True),
)


_SNAKE = {"stateProvince": "state_province", "postalCode": "postal_code"}


def address_from(source: Any) -> dict[str, str]:
    """The six ship-to fields of an API address model or dict, camelCase keys."""
    out: dict[str, str] = {}
    for key, _, _ in ADDRESS_FIELDS:
        if isinstance(source, dict):
            value = source.get(key, source.get(_SNAKE.get(key, key)))
        else:
            value = getattr(source, _SNAKE.get(key, key), None)
        if value is None and key == "postalCode":
            value = (source.get("zipPostalCode") if isinstance(source, dict)
                     else getattr(source, "zip_postal_code", None))
        out[key] = str(value or "")
    return out


def address_line(address: dict[str, Any] | None) -> str:
    if not address:
        return "not set"
    a = address_from(address)
    street = ", ".join(p for p in (a["address1"], a["address2"]) if p)
    return f"{street}, {a['city']} {a['stateProvince']} {a['postalCode']} {a['country']}".strip()


def validate_address(values: dict[str, str]) -> list[tuple[str, str]]:
    """[(field key, plain message)] for each problem, in form order."""
    problems = []
    for key, label, required in ADDRESS_FIELDS:
        value = values.get(key, "").strip()
        if required and not value:
            problems.append((key, f"{label} is required"))
    country = values.get("country", "").strip()
    if country and (len(country) != 2 or not country.isalpha()):
        problems.append(("country", "Country: use the 2-letter code (US, CA, ...)"))
    return problems


def preselect_ship_to(desk: Any, draft: Any, customer: Any) -> Any:
    """The draft with the customer's default shipping address as its ship-to when it has none yet
    (committed like any change); an open draft with a ship-to, or a closed one, is returned as it is."""
    default = getattr(customer, "default_shipping", None)
    if draft.ship_to or default is None or draft.state in ("submitted", "submitting", "discarded"):
        return draft
    return desk.set_ship_to(draft.id, address_from(default))


def is_shipping(address: Any) -> bool:
    kind = str(getattr(address, "address_type", "") or "")
    return kind.lower() != "billing"
