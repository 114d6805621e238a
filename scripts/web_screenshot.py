"""Write screenshots/18-web-cart.png: the cart of `nymble-desk web --demo` in headless Chromium.

    .venv/bin/python scripts/web_screenshot.py [--out screenshots/18-web-cart.png]

Starts `nymble-desk web --demo` in a temporary directory (its own data, config and log dirs and HOME;
nothing touches yours), opens it in Debian's chromium (tests/web/browser_desk.py drives it), finds
CUST-1042, types three lines and saves the browser's window as a PNG.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "web"))

from browser_desk import Browser, WebServer, free_port, missing  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots" / "18-web-cart.png")
    args = parser.parse_args(argv)
    if (why := missing()) is not None:
        print(f"web_screenshot: {why}", file=sys.stderr)
        return 2
    from selenium.webdriver.common.keys import Keys

    with tempfile.TemporaryDirectory(prefix="nymble-web-shot-") as tmp:
        env = dict(os.environ)
        for var in ("CONFIG", "DATA", "LOG"):
            env[f"NYMBLE_DESK_{var}_DIR"] = str(Path(tmp) / var.lower())
        env["HOME"] = str(Path(tmp) / "home")
        env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
        server = WebServer(["--demo", "--port", str(free_port()), "--customers", "200", "--products", "500"], env)
        browser = Browser()
        try:
            browser.open(server.url)
            browser.wait_for(r"Customer number, name", timeout=60)
            browser.focus()
            browser.send("CUST-1042")
            browser.wait_for(r"Brightfield Supply Co\. \(CUST-1042\) · Terms")
            browser.send(Keys.ENTER)
            browser.wait_for(r"SKU, SKU\*QTY")
            for entry in ("WDG-BLU-L*48", "50*PART-B3", "WDG-RED-M 12"):
                browser.send(entry, Keys.ENTER)
            browser.wait_for(r"Lines 3\b[\s\S]*TOTAL")
            browser.wait_for(r"nothing queued", timeout=30)  # the lines reached the sandbox
            args.out.parent.mkdir(parents=True, exist_ok=True)
            browser.driver.save_screenshot(str(args.out))
        finally:
            browser.quit()
            server.stop()
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
