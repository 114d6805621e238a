"""Child process of the crash test: applies cart changes to the draft cache and
prints each one only after the store reported it saved (returned).

Usage: python crash_child.py DB_PATH START
Change n (n = START, START+1, ...) sets line SKU-{n % 5} to quantity n, except
every 7th change, which removes that line.  The parent SIGKILLs us at random.
"""

import sys
from decimal import Decimal
from pathlib import Path

from nymble_desk.drafts.store import DraftStore


def main() -> None:
    store = DraftStore(Path(sys.argv[1]))
    n = int(sys.argv[2])
    draft = store.create("CUST-1042", customer_name="Brightfield Supply Co.", currency="USD", price_tier="Wholesale")
    out = sys.stdout
    out.write("ready\n")
    out.flush()
    while True:
        sku = f"SKU-{n % 5}"
        if n % 7 == 0:
            store.remove_line(draft.id, sku)
            out.write(f"removed {sku} {n}\n")
        else:
            store.set_line(draft.id, sku, n, name=f"Part {sku}", unit_price=Decimal("1.25"))
            out.write(f"saved {sku} {n}\n")
        out.flush()
        n += 1


if __name__ == "__main__":
    main()
