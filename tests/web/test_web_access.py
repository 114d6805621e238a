"""Who may reach `nymble-desk web` (a real server on a real port; no browser needed here).

Loopback by default, and then only under a loopback host name (a DNS-rebinding page names its own) and
with the terminal's socket opened from the desk's own page. Any other address: a token on every request,
made up and printed when not given; the first request with it gets a session cookie and the address
without it; nothing else in the page or the log holds it."""

from __future__ import annotations

import http.client
import os
import re
from pathlib import Path

import pytest
from browser_desk import WebServer, free_port

from nymble_desk.web.access import AccessPolicy, is_loopback, session_value


def desk_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    return env


def get(port: int, path: str, headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers=headers or {})
    reply = conn.getresponse()
    reply.read()
    conn.close()
    return reply


@pytest.mark.parametrize(("host", "loopback"), [("127.0.0.1", True), ("localhost", True), ("::1", True),
                                                 ("127.0.0.2", True), ("0.0.0.0", False), ("::", False),
                                                 ("192.168.1.20", False), ("desk.example", False)])
def test_loopback_or_not(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback
    policy = AccessPolicy.for_host(host, None)
    assert (policy.token is None) is loopback  # made up off loopback only
    assert AccessPolicy.for_host(host, "given").token == "given"


def test_off_loopback_every_request_needs_the_token(isolated_dirs: Path) -> None:
    port = free_port()
    server = WebServer(["--host", "0.0.0.0", "--port", str(port)], desk_env())
    try:
        match = re.fullmatch(rf"http://127\.0\.0\.1:{port}/\?token=([\w-]+)", server.url)
        assert match is not None, server.url
        token = match.group(1)
        assert len(token) >= 24
        for path in ("/", "/static/js/textual.js", "/ws", "/?token=" + token[:-1] + "x"):
            assert get(port, path).status == 403, path  # loopback requests included
        assert get(port, "/", {"Cookie": f"nymble_desk_web={token}"}).status == 403  # the token is not the cookie

        first = get(port, f"/?token={token}&fontsize=14")
        assert first.status == 303
        assert first.getheader("Location") == "/?fontsize=14"  # the address bar's history never holds it
        cookie = first.getheader("Set-Cookie") or ""
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and token not in cookie
        session = {"Cookie": f"nymble_desk_web={session_value(token)}"}

        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", "/?fontsize=14", headers=session)
        page = conn.getresponse()
        body = page.read().decode()
        conn.close()
        assert page.status == 200 and "textual-terminal" in body and token not in body
        assert f'data-session-websocket-url="ws://127.0.0.1:{port}/ws"' in body
        assert "googleapis" not in body  # nothing fetched from the internet
        assert get(port, "/static/js/textual.js", session).status == 200
    finally:
        printed = server.stop()
    assert printed.count(token) == 1
    log = (isolated_dirs / "log" / "nymble-desk.log").read_text(encoding="utf-8")
    assert "GET / 303" in log and token not in log


def test_on_loopback_no_token_but_only_loopback_names_and_its_own_page(isolated_dirs: Path) -> None:
    port = free_port()
    server = WebServer(["--port", str(port)], desk_env())
    try:
        assert server.url == f"http://127.0.0.1:{port}/"
        assert get(port, "/").status == 200
        assert get(port, "/", {"Host": f"localhost:{port}"}).status == 200
        assert get(port, "/", {"Host": f"rebound.example:{port}"}).status == 403  # DNS rebinding
        ws = {"Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13",
              "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}
        assert get(port, "/ws", {**ws, "Origin": "http://evil.example"}).status == 403  # another site's page
    finally:
        server.stop()
