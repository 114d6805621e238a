"""Deterministic customer and product rows (wire-shaped dicts) for the index benchmarks.

Used when the sandbox's own generator is not wanted (it needs FastAPI): the
rows have the same shape the API answers, so the index reads them the same way.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

_FIRST = ("Bright", "Apex", "Corner", "Summit", "North", "Blue", "Iron", "Cedar", "Harbor", "Pioneer", "Granite",
          "Maple", "Silver", "Eagle", "Prairie", "Coastal", "Metro", "Valley", "Atlas", "Liberty", "Union", "Keystone",
          "Redwood", "Frontier", "Beacon", "Oak", "River", "Sterling", "Golden", "Crescent")
_SECOND = ("field", "stone", "ridge", "point", "wood", "brook", "gate", "line", "view", "crest", "haven", "works")
_KIND = ("Supply", "Distributors", "Goods", "Wholesale", "Hardware", "Trading", "Industrial", "Outfitters", "Foods",
         "Logistics", "Electric", "Builders")
_SUFFIX = ("Co.", "Inc.", "LLC", "Ltd.", "Group", "Corp.")
_CITIES = (("Austin", "TX"), ("Portland", "OR"), ("Denver", "CO"), ("Columbus", "OH"), ("Raleigh", "NC"),
           ("Boise", "ID"), ("Omaha", "NE"), ("Tucson", "AZ"), ("Madison", "WI"), ("Albany", "NY"))
_NOUNS = ("Widget", "Bracket", "Bolt", "Washer", "Hinge", "Valve", "Gasket", "Cable", "Pulley", "Spring", "Clamp",
          "Fitting", "Bearing", "Sprocket", "Coupling", "Flange", "Rivet", "Anchor", "Bushing", "Sensor")
_ADJ = ("Blue", "Red", "Green", "Black", "Steel", "Brass", "Zinc", "Nylon", "Heavy", "Light", "Compact", "Marine")
_SIZE = ("Small", "Medium", "Large", "XL", "Mini", "Pro")


def customers(n: int, seed: int = 7) -> Iterator[dict]:
    rnd = random.Random(seed)
    for i in range(n):
        name = f"{rnd.choice(_FIRST)}{rnd.choice(_SECOND)} {rnd.choice(_KIND)} {rnd.choice(_SUFFIX)}"
        city, state = rnd.choice(_CITIES)
        slug = name.split()[0].lower()
        yield {
            "customerNumber": f"CUST-{2000 + i:06d}",
            "companyName": name,
            "companyEmail": f"orders{i}@{slug}.example",
            "companyPhone": f"{rnd.randint(200, 989)}-{rnd.randint(200, 999)}-{rnd.randint(0, 9999):04d}",
            "active": rnd.random() > 0.03,
            "creditHold": rnd.random() < 0.02,
            "repNumber": rnd.choice(("REP-007", "REP-003")),
            "pricing": rnd.choice(("Wholesale", "Retail")),
            "terms": rnd.choice(("Net30", "Net60", "COD")),
            "currencyCode": "USD",
            "creditLimit": f"{rnd.randint(1, 100) * 1000}.00",
            "balance": f"{rnd.randint(0, 500000) / 100:.2f}",
            "updatedAt": f"2026-0{1 + i % 9}-{1 + i % 28:02d}T10:00:00+00:00",
            "addresses": [{"addressType": "Shipping", "default": True, "address1": f"{i} Main St",
                           "city": city, "stateProvince": state, "postalCode": "00000", "country": "US"}],
        }


def _upc(i: int) -> str:
    body = f"{400000000000 + i:012d}"[:11]
    odd = sum(int(d) for d in body[0::2])
    even = sum(int(d) for d in body[1::2])
    return body + str((10 - (odd * 3 + even) % 10) % 10)


def products(n: int, seed: int = 11) -> Iterator[dict]:
    rnd = random.Random(seed)
    for i in range(n):
        noun, adj, size = rnd.choice(_NOUNS), rnd.choice(_ADJ), rnd.choice(_SIZE)
        price = rnd.randint(100, 50000)
        minimum, increment = rnd.choice(((1, 1), (1, 1), (1, 1), (10, 10), (25, 25), (6, 6)))
        yield {
            "sku": f"{noun[:3].upper()}-{i + 1:06d}",
            "name": f"{noun} {adj} {size}",
            "upc": _upc(i * 10 + 7),
            "price": f"{price / 100:.2f}",
            "currencyCode": "USD",
            "active": rnd.random() > 0.02,
            "minimumOrderQuantity": minimum,
            "quantityIncrement": increment,
            "quantityOnHand": rnd.randint(0, 5000),
            "category": noun,
            "prices": [{"tier": "Wholesale", "price": f"{price * 0.9 / 100:.2f}", "atQuantity": 1}],
            "updatedAt": f"2026-0{1 + i % 9}-{1 + i % 28:02d}T10:00:00+00:00",
        }
