"""One page of a list, whichever of the API's two paging shapes it came in."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

T = TypeVar("T")

# wire key -> our field; orders/carts use the first shape, the rest the second
_SHAPES = {
    "items": "items", "totalCount": "total", "pageNumber": "page_number", "pageSize": "page_size",
    "totalPages": "total_pages",
    "data": "items", "totalRecords": "total", "currentPage": "page_number",
}


class Page(BaseModel, Generic[T]):
    """`{items,totalCount,pageNumber,pageSize,totalPages}` or `{data,totalRecords,currentPage,totalPages}`."""

    model_config = ConfigDict(extra="ignore")

    items: list[T] = Field(default_factory=list)
    total: int = 0
    page_number: int = 1
    page_size: int | None = None
    total_pages: int = 0

    @model_validator(mode="before")
    @classmethod
    def _normalise(cls, data: Any) -> Any:
        if isinstance(data, list):  # a bare list is one complete page
            return {"items": data, "total": len(data), "page_number": 1, "total_pages": 1 if data else 0}
        if not isinstance(data, dict):
            return data
        out: dict[str, Any] = {}
        for key, value in data.items():
            name = _SHAPES.get(key, str(key))
            if name in out and value is None:
                continue
            out[name] = value
        return out

    @property
    def has_next(self) -> bool:
        return self.page_number < self.total_pages
