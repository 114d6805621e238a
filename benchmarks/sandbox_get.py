"""A small GET against the embedded sandbox (``start_in_thread``, as `demo` and the tests use it) against
the same GET against ``nymble-desk serve`` on another loopback port, in the same run.

Both serve the same seeded data dir.  The client is one keep-alive ``httpx.Client`` per server, signed in
once; each request is ``GET /api/products/WDG-BLU-L`` (about 1 KB), timed from send to the whole body,
alternating the two servers.  Target: the embedded server's median <= 2x serve's median.  A socket
without TCP_NODELAY stalls such small replies on delayed ACKs (~40 ms each on Linux).
"""

from __future__ import annotations

import shutil
import socket
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import common

TARGET_RATIO = 2.0
PATH = "/api/products/WDG-BLU-L"
LOGIN = {"OrgCode": "DEMO", "ClientId": "demo-rep", "ClientSecret": "demo-rep-secret"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_up(url: str, proc: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    import httpx

    end = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"nymble-desk serve exited ({proc.returncode})")
        try:
            httpx.get(f"{url}/openapi.json", timeout=1.0)
            return
        except httpx.TransportError:
            if time.monotonic() > end:
                raise
            time.sleep(0.05)


def timings(client: object, n: int) -> list[float]:
    out = []
    for _ in range(n):
        t = time.perf_counter()
        r = client.get(PATH)  # type: ignore[attr-defined]
        r.read()
        out.append(time.perf_counter() - t)
        assert r.status_code == 200, r.text
    return out


def signed_in(url: str) -> object:
    import httpx

    client = httpx.Client(base_url=url, timeout=10.0)
    token = client.post("/api/auth/login", json=LOGIN).json()["AccessToken"]
    client.headers["Authorization"] = f"Bearer {token}"
    return client


def main(argv: list[str] | None = None) -> int:
    b = common.bench("sandbox_get", __doc__.splitlines()[0], argv)
    rounds = 40 if b.quick else 200
    root = Path(tempfile.mkdtemp(prefix="nymble-get-"))
    proc = None
    embedded = None
    try:
        from nymble_desk.sandbox.server import start_in_thread

        data = root / "sandbox"
        embedded = start_in_thread(data, customers=50, products=100)
        port = free_port()
        serve_url = f"http://127.0.0.1:{port}"
        proc = subprocess.Popen([common.python(), "-m", "nymble_desk.cli", "serve", "--port", str(port),
                                 "--data-dir", str(root / "served"), "--customers", "50", "--products", "100"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_up(serve_url, proc)
        emb, srv = signed_in(embedded.base_url), signed_in(serve_url)
        timings(emb, 5), timings(srv, 5)  # warm both
        e_times: list[float] = []
        s_times: list[float] = []
        for _ in range(rounds // 10):
            e_times += timings(emb, 10)
            s_times += timings(srv, 10)
        e_med, s_med = statistics.median(e_times) * 1000, statistics.median(s_times) * 1000
        b.figure("nymble-desk serve: GET p50", s_med, "ms", note=f"{len(s_times)} requests")
        b.ratio("embedded sandbox (start_in_thread): GET p50", e_med, s_med, "ms", max_ratio=TARGET_RATIO,
                note=f"p95 {common.percentile(e_times, 95) * 1000:.2f} ms, serve p95 "
                     f"{common.percentile(s_times, 95) * 1000:.2f} ms")
        emb.close(), srv.close()  # type: ignore[attr-defined]
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
        if embedded is not None:
            embedded.stop()
        shutil.rmtree(root, ignore_errors=True)
    return b.finish()


if __name__ == "__main__":
    common.run_main(main)
