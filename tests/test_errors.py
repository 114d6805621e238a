"""The one error vocabulary (nymble_desk.errors): it costs nothing to import, every error class has
the rep's words, and errors from httpx and the API client reach those words by type."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal

import httpx
import pytest
from pydantic import BaseModel, ValidationError

from nymble_desk import errors
from nymble_desk.api.errors import error_from_response
from nymble_desk.domain.pricing import QuantityRule, check_quantity
from nymble_desk.domain.quantity import parse_quantity
from nymble_desk.errors import (
    OFFLINE,
    ApiError,
    BadRequest,
    Conflict,
    CustomerInactive,
    DraftClosed,
    DraftNotFound,
    EntryError,
    Forbidden,
    LineMismatch,
    NotFound,
    OutcomeUnknown,
    QuantityError,
    QuantityRejected,
    RateLimited,
    Refused,
    ServerError,
    Unauthorized,
    Unreachable,
    in_plain_words,
    is_offline,
)


def test_importing_the_vocabulary_loads_no_third_party_module() -> None:
    code = ("import sys; import nymble_desk.errors; "
            "print(sorted(m for m in ('httpx', 'pydantic', 'pydantic_core', 'textual') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_api_and_domain_modules_hand_out_the_same_classes() -> None:
    from nymble_desk.api import errors as api_errors
    from nymble_desk.domain.entry import EntryError as FromEntry
    from nymble_desk.drafts.store import DraftClosed as FromStore
    from nymble_desk.sync.after_sales import Refused as FromAfterSales
    from nymble_desk.sync.desk import QuantityRejected as FromDesk

    assert api_errors.Unreachable is Unreachable and api_errors.TRANSIENT is errors.TRANSIENT
    assert (FromEntry, FromStore, FromAfterSales, FromDesk) == (EntryError, DraftClosed, Refused, QuantityRejected)


def _answer(status: int, body: dict[str, object], headers: dict[str, str] | None = None) -> ApiError:
    return error_from_response(httpx.Response(status, json=body, headers=headers))


@pytest.mark.parametrize(("error", "words"), [
    (_answer(401, {"title": "Unauthorized", "detail": "token expired"}), "Unauthorized: token expired"),
    (_answer(403, {"title": "Forbidden", "detail": "reps may not refund"}), "Forbidden: reps may not refund"),
    (_answer(404, {"title": "Not Found", "detail": "no order SO-9"}), "Not Found: no order SO-9"),
    (_answer(409, {"title": "Conflict", "detail": "cart completed"}), "Conflict: cart completed"),
    (_answer(429, {"title": "Too Many Requests"}, {"Retry-After": "3"}), "Too Many Requests"),
    (_answer(503, {"title": "Service Unavailable", "detail": "maintenance"}), "Service Unavailable: maintenance"),
    (OutcomeUnknown("the reply to the add was lost"), "Outcome unknown: the reply to the add was lost"),
    (LineMismatch("WDG-BLU-L", known=2, expected=5, found=7),
     "Cart line changed elsewhere: WDG-BLU-L: expected quantity 2 (before) or 5 (after the add), found 7"),
])
def test_an_api_answer_is_its_title_and_detail(error: ApiError, words: str) -> None:
    assert in_plain_words(error) == words


def test_each_status_becomes_its_class() -> None:
    kinds = [type(_answer(s, {"title": "x"})) for s in (400, 401, 403, 404, 409, 422, 429, 500)]
    assert kinds == [BadRequest, Unauthorized, Forbidden, NotFound, Conflict, BadRequest, RateLimited, ServerError]


def test_a_refusal_naming_fields_puts_the_fields_first() -> None:
    error = _answer(422, {"title": "Bad Request", "errors": {"quantity": ["must be a multiple of 6"],
                                                              "sku": ["unknown", "inactive"]}})
    assert isinstance(error, BadRequest)
    assert in_plain_words(error) == "quantity: must be a multiple of 6; sku: unknown inactive"


@pytest.mark.parametrize("error", [
    Unreachable("ConnectError: connection refused"),
    httpx.ConnectError("refused"),
    httpx.ReadTimeout("slow"),
    ConnectionRefusedError(111, "refused"),
    TimeoutError(),
])
def test_nothing_reaching_the_api_reads_as_offline(error: BaseException) -> None:
    assert is_offline(error)
    assert in_plain_words(error) == OFFLINE == "the API is unreachable (offline)"


def test_a_local_file_error_is_not_offline() -> None:
    error = FileNotFoundError(2, "No such file or directory", "/tmp/x/config.toml")
    assert not is_offline(error)
    assert in_plain_words(error) == "[Errno 2] No such file or directory: '/tmp/x/config.toml'"


def test_the_desks_own_rules_say_their_sentence() -> None:
    with pytest.raises(QuantityError) as typed:
        parse_quantity("0")
    assert in_plain_words(typed.value) == typed.value.message and "at least 1" in typed.value.message
    assert in_plain_words(EntryError("12*34: which is the SKU?")) == "12*34: which is the SKU?"
    check = check_quantity(5, QuantityRule(minimum=6, increment=6), sku="WDG-BLU-L")
    assert not check.ok
    assert in_plain_words(QuantityRejected(check, "WDG-BLU-L", 5)) == check.reason
    assert in_plain_words(Refused("A percentage discount is more than 0 and at most 100%.", "Discount")) == (
        "A percentage discount is more than 0 and at most 100%.")
    assert in_plain_words(CustomerInactive("C-1001")) == "C-1001 is inactive and cannot place orders"
    assert in_plain_words(DraftClosed("draft 7 was submitted")) == "draft 7 was submitted"
    assert in_plain_words(DraftNotFound("no draft 7")) == "no draft 7"


def test_a_model_that_does_not_validate_names_each_field() -> None:
    class Settings(BaseModel):
        base_url: str
        page_size: int

    with pytest.raises(ValidationError) as invalid:
        Settings.model_validate({"page_size": "many"})
    words = in_plain_words(invalid.value)
    assert words.startswith("not valid: ")
    assert "base_url: Field required" in words and "page_size: Input should be a valid integer" in words


def test_anything_else_is_its_text_or_its_kind_never_empty() -> None:
    assert in_plain_words(None) == "unknown error"
    assert in_plain_words(ValueError("bad amount")) == "bad amount"
    assert in_plain_words(RuntimeError()) == "unexpected error (RuntimeError); see the log"
    assert in_plain_words(ArithmeticError(Decimal("1"))) == "1"
