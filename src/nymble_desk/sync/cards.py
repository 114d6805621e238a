"""Card details for one checkout: held in this process's memory only, never written anywhere."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nymble_desk.api.models import CreditCard


@dataclass(frozen=True)
class CardDetails:
    number: str = field(repr=False)
    cardholder_name: str
    expiry_month: str
    expiry_year: int
    cvv: str = field(repr=False)

    @property
    def last4(self) -> str:
        return self.number[-4:]

    def __repr__(self) -> str:
        return f"CardDetails(cardholder_name={self.cardholder_name!r}, last4={self.last4!r})"

    def to_credit_card(self) -> CreditCard:
        from pydantic import SecretStr

        from nymble_desk.api.models import CreditCard

        return CreditCard(card_number=SecretStr(self.number.replace(" ", "")), cardholder_name=self.cardholder_name,
                          expiry_month=str(self.expiry_month).zfill(2), expiry_year=int(self.expiry_year),
                          cvv=SecretStr(self.cvv))


class CardVault:
    """Cards by draft id, for this process only; a queued card checkout survives a lost network, not a restart."""

    def __init__(self) -> None:
        self._cards: dict[str, CardDetails] = {}

    def put(self, draft_id: str, card: CardDetails) -> None:
        self._cards[draft_id] = card

    def get(self, draft_id: str) -> CardDetails | None:
        return self._cards.get(draft_id)

    def forget(self, draft_id: str) -> None:
        self._cards.pop(draft_id, None)

    def __repr__(self) -> str:
        return f"CardVault({len(self._cards)} card(s))"
