"""Sales reps, as listed and as named on orders."""

from __future__ import annotations

from .base import ApiModel


class SalesRep(ApiModel):
    rep_number: str
    first_name: str | None = None
    last_name: str | None = None
    full_name: str | None = None
    email: str | None = None
    phone_number: str | None = None
    active: bool | None = None

    @property
    def display_name(self) -> str:
        if self.full_name:
            return self.full_name
        name = " ".join(p for p in (self.first_name, self.last_name) if p)
        return name or self.rep_number
