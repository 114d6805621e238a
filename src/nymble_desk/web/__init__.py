"""`nymble-desk web`: the desk in a browser tab, served by textual-serve.

- ``access``: who may reach it (loopback by default; elsewhere a token on every request);
- ``page``: the one HTML page (the terminal in the browser; nothing fetched from the internet);
- ``server``: the aiohttp server (textual-serve's public handlers behind the access guard);
- ``tab``: the process each browser tab runs (``python -m nymble_desk.web.tab``).
"""
