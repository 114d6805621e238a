"""The request body limit: 413 before a too-large body is read.

``MAX_BODY_BYTES`` (16 MiB) is stated in the OpenAPI document and holds far more
than the largest bulk the client sends (500 orders).  A ``Content-Length`` over
it is answered at once, without reading a byte of the body; a body without one
(chunked) is read up to the limit, and the answer comes as soon as it is passed:
the rest is never read.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from nymble_desk.sandbox.errors import Problem, problem_response

MAX_BODY_BYTES = 16 * 1024 * 1024

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def too_large(limit: int) -> Problem:
    message = f"The request body is over the {limit:,} byte limit; send fewer orders per request."
    return Problem(413, message, {"Body": [message]}, title="Content Too Large")


class BodyLimit:
    """ASGI middleware refusing request bodies over ``limit`` bytes with a 413 problem."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = next((v for k, v in scope.get("headers", ()) if k.lower() == b"content-length"), None)
        if length is not None:
            if length.strip().isdigit() and int(length) > self.limit:
                await problem_response(too_large(self.limit))(scope, receive, send)
                return
            await self.app(scope, receive, send)  # the server holds the body to its Content-Length
            return
        # no Content-Length: read it here, at most limit + 1 bytes, then hand it on
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                await problem_response(too_large(self.limit))(scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)
