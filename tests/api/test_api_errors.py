"""Problem details become typed exceptions with status, title, detail and field errors."""

from __future__ import annotations

from email.utils import format_datetime
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from nymble_desk.api.errors import (
    ApiError,
    BadRequest,
    Conflict,
    Forbidden,
    LineMismatch,
    NotFound,
    OutcomeUnknown,
    RateLimited,
    ServerError,
    Unauthorized,
    error_from_response,
    parse_retry_after,
)


def problem(status: int, body: object = None, **kw: object) -> httpx.Response:
    return httpx.Response(status, json=body, **kw) if body is not None else httpx.Response(status, **kw)


@pytest.mark.parametrize(("status", "kind"), [
    (400, BadRequest), (422, BadRequest), (401, Unauthorized), (403, Forbidden), (404, NotFound),
    (409, Conflict), (429, RateLimited), (500, ServerError), (502, ServerError), (503, ServerError),
    (418, ApiError),
])
def test_status_maps_to_class(status: int, kind: type[ApiError]) -> None:
    error = error_from_response(problem(status, {"title": "t", "status": status}))
    assert type(error) is kind and error.status == status and isinstance(error, ApiError)


def test_problem_details_fields_and_message() -> None:
    error = error_from_response(problem(400, {
        "type": "https://tools.ietf.org/html/rfc9110#section-15.5.1", "title": "Validation failed",
        "status": 400, "detail": "Checkout refused",
        "errors": {"ShippingAddress": ["Shipping address is required."], "Items[0].Quantity": ["Min 10"]},
    }))
    assert isinstance(error, BadRequest)
    assert (error.title, error.detail) == ("Validation failed", "Checkout refused")
    assert error.errors["ShippingAddress"] == ["Shipping address is required."]
    assert "ShippingAddress: Shipping address is required." in error.message
    assert "Items[0].Quantity: Min 10" in str(error)


def test_pascal_case_problem_keys_and_fastapi_validation_list() -> None:
    error = error_from_response(problem(400, {"Title": "Bad", "Detail": "no", "Errors": {"Sku": "unknown"}}))
    assert (error.title, error.detail, error.errors) == ("Bad", "no", {"Sku": ["unknown"]})
    error = error_from_response(problem(422, {"detail": [
        {"loc": ["body", "quantity"], "msg": "Input should be greater than 0", "type": "greater_than"}]}))
    assert isinstance(error, BadRequest) and error.errors == {"quantity": ["Input should be greater than 0"]}


def test_non_json_body_and_reason_phrase() -> None:
    error = error_from_response(httpx.Response(502, text="<html>Bad gateway</html>"))
    assert isinstance(error, ServerError) and error.title == "Bad Gateway"
    assert error.detail == "<html>Bad gateway</html>"


def test_rate_limited_carries_retry_after_seconds_or_date() -> None:
    error = error_from_response(problem(429, {"title": "Too many"}, headers={"Retry-After": "7"}))
    assert isinstance(error, RateLimited) and error.retry_after == 7.0
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=90), usegmt=True)
    assert 80 <= (parse_retry_after(later) or 0) <= 91
    assert parse_retry_after("nonsense") is None and parse_retry_after(None) is None
    assert parse_retry_after("-3") == 0.0


def test_line_mismatch_is_both_a_conflict_and_an_unknown_outcome() -> None:
    error = LineMismatch("WDG-BLU-L", known=5, expected=8, found=4)
    assert isinstance(error, Conflict) and isinstance(error, OutcomeUnknown)
    assert (error.known, error.expected, error.found) == (5, 8, 4)
    assert "expected quantity 5" in error.message and "found 4" in error.message
