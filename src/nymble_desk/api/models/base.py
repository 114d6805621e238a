"""The base of every wire model: camelCase aliases, names accepted too, unknown fields ignored."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict
from pydantic.alias_generators import to_camel


def _aware(value: datetime) -> datetime:
    """Times are UTC-aware: a naive time from the wire is taken as UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _no_float(value: Any) -> Any:
    """Money arrives as Decimal (the client parses JSON numbers so); a stray float goes via its text."""
    if isinstance(value, float):
        return Decimal(repr(value))
    return value


UtcDatetime = Annotated[datetime, AfterValidator(_aware)]
Money = Annotated[Decimal, BeforeValidator(_no_float)]


class ApiModel(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="ignore",
        frozen=False,
    )

    def to_wire(self) -> dict[str, Any]:
        """The request body form: camelCase keys, no None values, Decimals kept exact."""
        return self.model_dump(by_alias=True, exclude_none=True, mode="python")
