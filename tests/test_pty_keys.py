"""Keys typed ahead in a real terminal (tmux, 80x24, TERM=screen): sign-in -> lookup -> cart.

The sandbox runs as ``nymble-desk serve`` on a free loopback port; the app starts at its
sign-in screen (no saved profile) with the API base URL from the environment. The whole
flow is sent twice: in one write (``send-keys -l`` of everything, Enter as CR), as a rep
over a laggy SSH link or a scanner delivers it, and one key per write. Both must end in the
cart with the typed line added; before, the org code read ``DEMOdemo-rep`` and the keys
after the lookup's Enter were lost.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tmux_terminal import TMUX, Tmux, free_port, nymble_desk, wait_for_port

FLOW = "DEMO\rdemo-rep\rdemo-rep-secret\rCUST-1042\rWDG-RED-M*3\r"


@pytest.mark.slow
@pytest.mark.skipif(TMUX is None, reason="tmux is not installed")
@pytest.mark.parametrize("writes", ["one write", "one key per write"])
def test_sign_in_lookup_and_cart_typed_ahead_in_a_real_terminal(isolated_dirs: Path, writes: str) -> None:
    tmp = isolated_dirs
    port = free_port()
    server = subprocess.Popen(
        [
            *nymble_desk(),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--data-dir",
            str(tmp / "sandbox"),
            "--customers",
            "50",
            "--products",
            "100",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    env = {k: os.environ[k] for k in ("PATH", "HOME", "NYMBLE_DESK_CONFIG_DIR", "NYMBLE_DESK_DATA_DIR",
                                       "NYMBLE_DESK_LOG_DIR", "XDG_CONFIG_HOME", "XDG_DATA_HOME") if k in os.environ}
    env.update({"TERM": "screen", "LANG": "C.UTF-8", "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
                "NYMBLE_DESK_API__BASE_URL": f"http://127.0.0.1:{port}"})
    term = Tmux(tmp)
    try:
        wait_for_port(port)
        term.start(nymble_desk(), env)
        term.wait_for(r"Sign in to Nymble Commerce", timeout=60)
        term.wait_for(re.escape(f"127.0.0.1:{port}"))  # the base URL is filled: Enter in the secret signs in
        if writes == "one write":
            term.keys(FLOW, literal=True)
        else:
            term.type(FLOW)
        cart = term.wait_for(r"Lines 1\b", timeout=60)
        assert "CART  CUST-1042 Brightfield Supply Co." in cart, cart
        assert re.search(r"WDG-RED-M .*\b3\s+(?:[\d,]+!?\s+)?\$11\.00", cart), cart
        assert "Added 3 x WDG-RED-M" in cart, cart
        term.keys("WDG-BLU-L*2\r", literal=True)  # the entry line still has the keys
        cart = term.wait_for(r"Lines 2\b")
        assert re.search(r"WDG-BLU-L .*\b2\s+(?:[\d,]+!?\s+)?\$12\.50", cart), cart
    finally:
        term.kill()
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-v"]))
