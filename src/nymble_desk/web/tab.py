"""The desk process one browser tab runs: ``python -m nymble_desk.web.tab [--profile NAME]`` or, under
``web --demo``, ``--sandbox URL --identity ID --data-dir DIR`` (the sandbox the web server started).

It is the terminal's app with the browser's keys moved (``app.web_keys``: see ``keymap.WEB_KEYS``);
textual-serve sets TEXTUAL_DRIVER so it draws to the websocket. Standard library until it runs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nymble_desk.tui.app import NymbleApp


class AttachedSandbox:
    """A sandbox already running elsewhere (the web server's): nothing to start; its identity is given."""

    def __init__(self, base_url: str, identity: str) -> None:
        self.base_url = base_url
        self._identity = identity

    def start(self) -> None:
        return None

    def identity(self) -> str:
        return self._identity


def parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="nymble-desk web tab")
    p.add_argument("--profile", default=None)
    p.add_argument("--sandbox", default=None, help="the running demo sandbox's URL")
    p.add_argument("--identity", default=None, help="that sandbox's identity (keys its search index)")
    p.add_argument("--data-dir", type=Path, default=None, help="the demo's data dir (its drafts file)")
    return p.parse_args(argv)


def build_tab_app(args: argparse.Namespace) -> NymbleApp:
    if args.sandbox:
        from nymble_desk.demo_launch import build_demo_app
        from nymble_desk.paths import ensure

        app = build_demo_app(AttachedSandbox(args.sandbox, args.identity or args.sandbox), ensure(args.data_dir))
    else:
        from nymble_desk.tui.launch import build_app

        app = build_app(argparse.Namespace(profile=args.profile))
    app.web_keys = True
    return app


def run(args: argparse.Namespace) -> int:
    from nymble_desk.tui.launch import setup_logging

    setup_logging()
    app = build_tab_app(args)
    app.run()
    if app.exit_line:
        print(app.exit_line, file=sys.stderr)
        return 2
    return int(app.return_code or 0)


def main(argv: list[str] | None = None) -> int:
    from nymble_desk.startup_errors import guarded

    args = parse(argv)
    return guarded(lambda: run(args), "nymble-desk web")


if __name__ == "__main__":
    sys.exit(main())
