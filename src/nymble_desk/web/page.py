"""The one HTML page of `nymble-desk web`: textual-serve's terminal (its textual.js and xterm.css), and nothing
fetched from elsewhere (trade-show Wi-Fi: no web fonts from the internet; the font ships with textual-serve).

It holds no token and no secret: the websocket's address is the page's own host, and the session cookie
(HttpOnly) goes with it. textual.js reads ``data-session-websocket-url`` and ``data-font-size`` from
``.textual-terminal``, adds ``-first-byte`` to the body when the first frame arrives and ``-closed`` when the
session ends (then the Restart button reloads the page, which starts a new desk process).  While the session
runs, leaving the page asks first (``beforeunload``): Ctrl+W, a word back in a field, closes a browser tab."""

from __future__ import annotations

from html import escape

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="referrer" content="no-referrer">
<title>{title}</title>
<link rel="stylesheet" href="/static/css/xterm.css">
<script src="/static/js/textual.js"></script>
<style>
@font-face {{ font-family: "Roboto Mono"; src: url("/static/fonts/RobotoMono-VariableFont_wght.ttf"); }}
html, body {{ margin: 0; height: 100%; background: #0c181f; }}
.textual-terminal {{ width: 100vw; height: 100vh; }}
.notice {{ position: absolute; inset: 0; display: flex; align-items: center; justify-content: center;
  color: #e8eef2; font: 16px "Roboto Mono", monospace; background: #0c181f; z-index: 10; }}
body.-first-byte .starting {{ display: none; }}
.ended, #start {{ display: none; }}
body.-closed .ended {{ display: flex; }}
button {{ margin-left: 1em; padding: 0.5em 1.5em; font: inherit; }}
</style>
</head>
<body>
<div class="notice starting">{title}: starting…<button type="button" id="start"
  onclick="location.reload()">Start</button></div>
<div class="notice ended">Session ended: your drafts are kept.<button type="button"
  onclick="location.reload()">Restart</button></div>
<div id="terminal" class="textual-terminal" data-session-websocket-url="{ws_url}"
  data-font-size="{font_size}"></div>
<script>
// Ctrl+W deletes a word in the desk's fields but closes a browser tab: while the session runs,
// the browser asks before the tab goes (the drafts are kept either way).
window.addEventListener("beforeunload", function (event) {{
  if (!document.body.classList.contains("-closed")) {{ event.preventDefault(); event.returnValue = ""; }}
}});
</script>
</body>
</html>
"""


def render_page(*, title: str, ws_url: str, font_size: int) -> str:
    return PAGE.format(title=escape(title), ws_url=escape(ws_url, quote=True), font_size=int(font_size))
