"""RFC 9110 problem details for every error the sandbox answers.

Body: ``{"type", "title", "status", "detail", "errors": {"Field": ["message"]}}``
with ``Content-Type: application/problem+json``.  Field names are PascalCase
dotted paths (``Payment.CreditCard.CardNumber``, ``Items[0].Quantity``).
Validation errors never echo the submitted value (a card number must not leak
into a response or a log).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

log = logging.getLogger("nymble_desk.sandbox")
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")

TITLES = {
    400: "One or more validation errors occurred.",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Entity",
    429: "Too Many Requests",
    500: "Internal Server Error",
}
TYPES = {
    400: "https://tools.ietf.org/html/rfc9110#section-15.5.1",
    401: "https://tools.ietf.org/html/rfc9110#section-15.5.2",
    403: "https://tools.ietf.org/html/rfc9110#section-15.5.4",
    404: "https://tools.ietf.org/html/rfc9110#section-15.5.5",
    405: "https://tools.ietf.org/html/rfc9110#section-15.5.6",
    409: "https://tools.ietf.org/html/rfc9110#section-15.5.10",
    413: "https://tools.ietf.org/html/rfc9110#section-15.5.14",
    415: "https://tools.ietf.org/html/rfc9110#section-15.5.16",
    422: "https://tools.ietf.org/html/rfc9110#section-15.5.21",
    429: "https://tools.ietf.org/html/rfc6585#section-4",
    500: "https://tools.ietf.org/html/rfc9110#section-15.6.1",
}


class Problem(Exception):
    """Raise anywhere in a handler to answer with problem details."""

    def __init__(
        self,
        status: int,
        detail: str | None = None,
        errors: dict[str, list[str]] | None = None,
        *,
        title: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail or title or TITLES.get(status, ""))
        self.status = status
        self.detail = detail
        self.errors = errors or {}
        self.title = title or TITLES.get(status, "Error")
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "type": TYPES.get(self.status, "about:blank"),
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
        }
        if self.errors:
            out["errors"] = self.errors
        return out


def bad_request(field: str, message: str, detail: str | None = None) -> Problem:
    return Problem(400, detail or message, {field: [message]})


def not_found(what: str, key: str) -> Problem:
    return Problem(404, f"{what} '{key}' was not found.")


def conflict(message: str, field: str | None = None) -> Problem:
    return Problem(409, message, {field: [message]} if field else None)


def problem_response(problem: Problem) -> JSONResponse:
    headers = {"Content-Type": "application/problem+json", **problem.headers}
    return JSONResponse(problem.body(), status_code=problem.status, headers=headers)


def pascal(part: str | int) -> str:
    if isinstance(part, int):
        return f"[{part}]"
    return part[:1].upper() + part[1:]


def field_path(loc: tuple[Any, ...]) -> str:
    """``("body", "payment", "creditCard", "cardNumber")`` -> ``Payment.CreditCard.CardNumber``."""
    parts = [p for p in loc if p not in ("body", "query", "path", "header", "cookie")]
    # pydantic adds the validator's name for function validators and unions; drop them
    parts = [p for p in parts if not (isinstance(p, str) and (p.startswith("function-") or "[" in p))]
    out = ""
    for part in parts:
        piece = pascal(part)
        out += piece if piece.startswith("[") or not out else "." + piece
    return out or "Body"


def _message(err: dict[str, Any], field: str) -> str:
    kind = err.get("type", "")
    name = field.rsplit(".", 1)[-1]
    if kind == "missing":
        return f"The {name} field is required."
    if kind == "json_invalid":
        return "The request body is not valid JSON."
    if kind in ("model_attributes_type", "dict_type", "model_type"):
        return f"The {name} field must be an object."
    msg = str(err.get("msg", "is invalid")).removeprefix("Value error, ")
    return f"{name}: {msg}"


def validation_problem(exc: RequestValidationError) -> Problem:
    errors: dict[str, list[str]] = {}
    for err in exc.errors():
        field = field_path(tuple(err.get("loc", ())))
        if err.get("type") == "json_invalid":
            field = "Body"
        errors.setdefault(field, []).append(_message(err, field))
    detail = "; ".join(v[0] for v in list(errors.values())[:3])
    return Problem(400, detail, errors)


def allowed_methods(request: Request) -> list[str]:
    """Every method some route serves at this request's path.  Starlette's own ``Allow`` names only
    the first route whose pattern matched (``DELETE /api/carts/X`` said ``GET``, though ``POST`` is
    served there too), so each method is tried against every route, by the routes' public ``matches``."""
    allowed = []
    for method in METHODS:
        scope = {**request.scope, "method": method}
        if any(route.matches(scope)[0] == Match.FULL for route in request.app.router.routes):
            allowed.append(method)
    return allowed


def install(app: FastAPI) -> None:
    """Register the handlers that turn every error into problem details."""

    @app.exception_handler(Problem)
    async def _problem(_: Request, exc: Problem) -> JSONResponse:
        return problem_response(exc)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        return problem_response(validation_problem(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else None
        errors = {"Body": [detail or "The request body could not be read."]} if exc.status_code == 400 else None
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            allowed = allowed_methods(request)
            headers["Allow"] = ", ".join(allowed)
            detail = f"{request.method} is not allowed here; use {' or '.join(allowed)}."
        return problem_response(Problem(exc.status_code, detail, errors, headers=headers))

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return problem_response(Problem(500, "The sandbox failed to handle this request."))
