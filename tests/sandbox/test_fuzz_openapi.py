"""Property-based fuzzing of the sandbox over its own ``/openapi.json`` (schemathesis 4, in-process ASGI).

Every operation is called with generated data (schema-valid and schema-violating,
``mode = all``), signed in as demo-admin and as demo-rep, against a fresh sandbox
per test.  About half the cases have their path ids and the ids inside their body
swapped for real ones (a pending cart, an order, an invoice, real SKUs and
customers), so the fuzzing gets past the 404s into the handlers.  Checks: no 5xx
(``not_a_server_error``), every status code documented for the operation
(``status_code_conformance``), bodies matching their documented schema
(``response_schema_conformance``) and content type (``content_type_conformance``).

Bounded and repeatable: derandomized, 25 fuzzing examples per operation and role,
the coverage phase off (``test_malformed_input.py`` walks the invalid inputs by hand).

``test_schema_valid_requests_are_accepted`` (issue 12, item 8) generates only schema-valid requests
(15 per operation, as demo-admin) with the ids named in bodies made real, and fails on any 400 that is
not one of the stored-state or cross-field rules the OpenAPI description lists: every other rule the
server enforces must be in the schema.
"""

from __future__ import annotations

import shutil
import tempfile
import warnings
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from nymble_desk.sandbox import create_app

from .conftest import SIZES
from .conftest_robust import World, auth, client, world  # noqa: F401  (fixtures)

# Property-based fuzzing over the whole OpenAPI schema: ~450 s of worker time, a fifth of the suite.
# It runs in CI (.ci/run: -m slow), not in the everyday README command.
pytestmark = pytest.mark.slow

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance, content_type_conformance]
MAX_EXAMPLES = 25

CONFIG = schemathesis.Config.from_dict({
    "seed": 3,
    "generation": {"mode": "all", "max-examples": MAX_EXAMPLES, "deterministic": True},
    "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
    # the bulk body is 1..500 whole orders: generating it dominates the run, so fewer examples
    "operations": [{"include-path": "/api/orders/bulk", "generation": {"max-examples": 8}}],
})


def _load_schema() -> Any:
    """The sandbox's own OpenAPI document, read once at collection from a throwaway small sandbox."""
    where = tempfile.mkdtemp(prefix="nymble-fuzz-schema-")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return schemathesis.openapi.from_asgi("/openapi.json", create_app(where, **SIZES), config=CONFIG)
    finally:
        shutil.rmtree(where, ignore_errors=True)


schema = _load_schema()


def real_values(w: World) -> dict[str, list[str]]:
    """Per lower-cased parameter or property name, ids that exist in the test's sandbox."""
    return {
        "customernumber": [w.customer, w.order_customer],
        "shoppingcartid": [w.cart_id],
        "cartid": [w.cart_id],
        "sku": [w.sku, "WDG-RED-M", "PART-A1"],
        "orderid": [w.order_id, w.order_number, w.open_order_id],
        "invoiceid": [w.invoice_id],
        "repnumber": ["REP-007"],
    }


def realify(value: Any, real: dict[str, list[str]], draw: Any) -> Any:
    """``value`` with some id-like properties (at any depth) replaced by real ids."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            choices = real.get(key.lower()) if isinstance(key, str) else None
            if choices and draw(st.booleans()):
                out[key] = draw(st.sampled_from(choices))
            else:
                out[key] = realify(item, real, draw)
        return out
    if isinstance(value, list):
        return [realify(item, real, draw) for item in value]
    return value


def aim(case: Any, w: World, data: Any) -> None:
    """Point about half the cases at real resources: path ids, and the ids in the body."""
    real = real_values(w)
    if case.path_parameters and data.draw(st.booleans(), label="real path ids"):
        for name in list(case.path_parameters):
            if real.get(name.lower()):
                case.path_parameters[name] = data.draw(st.sampled_from(real[name.lower()]), label=name)
    if isinstance(case.body, (dict, list)) and data.draw(st.booleans(), label="real body ids"):
        case.body = realify(case.body, real, data.draw)


@pytest.mark.parametrize("who", ["admin", "rep"])
@schema.parametrize()
@schema.given(data=st.data())
@settings(derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                 HealthCheck.filter_too_much, HealthCheck.data_too_large])
def test_api_holds_its_contract(case: Any, data: Any, who: str, client: Any, auth: dict[str, dict[str, str]],
                                world: World, app: Any) -> None:
    aim(case, world, data)
    case.call_and_validate(headers=auth[who], checks=CHECKS, app=app)


def _keywords(node: Any) -> set[str]:
    """Every property key used in a JSON Schema tree (skipping the names under ``properties``)."""
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            found.add(key)
            if key == "properties" and isinstance(value, dict):
                for sub in value.values():
                    found |= _keywords(sub)
            else:
                found |= _keywords(value)
    elif isinstance(node, list):
        for item in node:
            found |= _keywords(item)
    return found


def test_openapi_states_bounds_in_json_schema_keywords() -> None:
    """Clients and fuzzers read ``minimum``/``maximum``; pydantic's ``ge``/``le`` mean nothing to them."""
    components = schema.raw_schema["components"]["schemas"]
    assert not {"ge", "le", "gt", "lt"} & _keywords(components)
    quantity = components["CartItemIn"]["properties"]["quantity"]
    assert quantity.get("minimum") == 1, quantity


def test_the_checks_catch_a_broken_api() -> None:
    """The same checks fail on a 5xx, an undocumented status and a body off its schema."""
    from fastapi import FastAPI, HTTPException, Request
    from fastapi.responses import JSONResponse
    from pydantic import BaseModel

    class Thing(BaseModel):
        name: str

    broken = FastAPI()

    @broken.exception_handler(RuntimeError)
    async def crash(_: Request, exc: RuntimeError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=500)

    @broken.get("/boom", response_model=Thing)
    def boom() -> Any:
        raise RuntimeError("boom")

    @broken.get("/teapot", response_model=Thing)
    def teapot() -> Any:
        raise HTTPException(418, "undocumented")

    @broken.get("/shape", response_model=None, responses={200: {"model": Thing}})
    def shape() -> Any:
        return JSONResponse({"name": 42})

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        loaded = schemathesis.openapi.from_asgi("/openapi.json", broken, config=CONFIG)
    for path in ("/boom", "/teapot", "/shape"):
        with pytest.raises(FailureGroup):
            loaded[path]["GET"].Case().call_and_validate(checks=CHECKS)


# --- schema-valid requests are accepted (schemathesis' positive_data_acceptance) ------------------------

POSITIVE = schemathesis.Config.from_dict({
    "seed": 5,
    "generation": {"mode": "positive", "max-examples": 15, "deterministic": True},
    "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
    "operations": [{"include-path": "/api/orders/bulk", "generation": {"max-examples": 5}}],
})
# The rules that depend on what is stored, which no schema can state; the OpenAPI description lists them.
# A schema-valid request refused for any other reason is a rule the document leaves out.
STATE_RULES = (
    "does not exist",  # a customer, sales rep, SKU or price tier named in a body must exist in the organisation
    "is not configured",  # price tier
    "exceeds the balance", "left to refund", "No such payment on this invoice",  # the invoice's money
    "Set a shipping address", "The cart is empty", "is inactive", "credit hold",  # checkout readiness
    "not in cart", "left to invoice", "minimum", "multiple of",
    "total is too large", "at most 1,000,000 units",  # across fields (quantity x price): stated in the description
)


def _load_positive() -> Any:
    where = tempfile.mkdtemp(prefix="nymble-fuzz-schema-")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return schemathesis.openapi.from_asgi("/openapi.json", create_app(where, **SIZES), config=POSITIVE)
    finally:
        shutil.rmtree(where, ignore_errors=True)


positive_schema = _load_positive()
REFERENCES = ("customernumber", "repnumber", "sku", "pricetier", "pricing")


def aim_references(case: Any, w: World, data: Any) -> None:
    """Path ids real about half the time (a made-up one is a 404, which is an acceptance); ids named in
    the body always real (whether they exist is state, not schema)."""
    real = {**real_values(w), "pricetier": ["Wholesale", "Retail"], "pricing": ["Wholesale", "Retail"]}
    if case.path_parameters and data.draw(st.booleans(), label="real path ids"):
        for name in list(case.path_parameters):
            if real.get(name.lower()):
                case.path_parameters[name] = data.draw(st.sampled_from(real[name.lower()]), label=name)

    def fix(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: (data.draw(st.sampled_from(real[k.lower()])) if isinstance(k, str) and k.lower() in REFERENCES
                        else fix(v)) for k, v in value.items()}
        if isinstance(value, list):
            return [fix(v) for v in value]
        return value

    if isinstance(case.body, (dict, list)):
        case.body = fix(case.body)


@positive_schema.parametrize()
@positive_schema.given(data=st.data())
@settings(derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                 HealthCheck.filter_too_much, HealthCheck.data_too_large])
def test_schema_valid_requests_are_accepted(case: Any, data: Any, client: Any, auth: dict[str, dict[str, str]],
                                            world: World, app: Any) -> None:
    aim_references(case, world, data)
    response = case.call(headers=auth["admin"], app=app)
    assert response.status_code < 500, response.text
    if response.status_code in (400, 413, 422):
        text = response.text
        assert any(rule in text for rule in STATE_RULES), (
            f"schema-valid request rejected: {case.method} {case.formatted_path} {case.body!r:.400} -> {text[:400]}")
