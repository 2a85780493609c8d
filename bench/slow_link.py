"""The phone's own sync code (mobile/core) over a slow link, against a real server on 127.0.0.1.

    python bench/slow_link.py                              # EDGE, 3G and a cutting link; 1 and 5 surveys
    python bench/slow_link.py --links edge --surveys 1 --server gunicorn --chunk 65536

Starts `python -m server --demo` (or gunicorn with the production settings, `--server gunicorn`) on a
free port with its own SQLite database and media folder, and `bench/throttle.py`'s proxy in front of
it. The phone signs in and syncs once directly (forms, feed), then queues the surveys, each with
three photos prepared as the phone does (~276 KB each), and syncs through the proxy; on the cutting
link it syncs again until every survey is sent (the backoff between runs is skipped, not timed).

Printed per run: wall time, requests by method, TCP connections, connections cut, bytes the phone
put on the link, the payload (envelopes + photos), and the ratios to the physical limit:
payload / bandwidth + one round trip per unavoidable request (a POST and a PUT per photo for each
survey) + one round trip for the TCP handshake.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import replace
from importlib.util import find_spec
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PIL import Image, ImageOps  # noqa: E402

from bench.throttle import LINKS, Link, ThrottlingProxy  # noqa: E402
from forms.envelope import canonical_json  # noqa: E402
from mobile.core import store as st  # noqa: E402
from mobile.core.example import fill_survey  # noqa: E402
from mobile.core.outbox import Outbox  # noqa: E402
from mobile.core.store import Store  # noqa: E402
from mobile.core.sync_client import SyncClient  # noqa: E402
from mobile.core.transport import RequestsTransport  # noqa: E402

PHOTOS = ROOT / "tests" / "fixtures" / "photos"
# prepared as the phone does (1600 px): 333 + 167 + 333 KB, ~278 KB each, 838 KB with the envelope;
# the third is the first one mirrored (other bytes: the server stores it again)
SURVEY_PHOTOS = ("iphone_hdr_NO.jpg", "87_OSError.jpg", "iphone_hdr_NO.jpg")
MAX_ROUNDS = 30
_RUNS = [0]  # runs so far: each run's photos get a size of their own


class CountingTransport(RequestsTransport):
    """The phone's real transport, counting the requests it makes (answered or not)."""

    def __init__(self):
        super().__init__()
        self.counts: Counter[str] = Counter()
        self.log: list[str] = []  # one line per request: method, path end, status, seconds

    def request(self, method, url, headers=None, body=None, timeout=30.0):
        self.counts[method] += 1
        started = time.perf_counter()
        status = "-"
        try:
            resp = super().request(method, url, headers=headers, body=body, timeout=timeout)
            status = str(resp.status)
            return resp
        finally:
            took = time.perf_counter() - started
            extra = (headers or {}).get("Content-Range", "") if method == "PUT" else ""
            self.log.append(f"  {method} {url.rsplit('/', 1)[-1][:40]} {status} {took:.2f} s {extra}")


class StepClock:
    """The outbox's clock: real time, plus the backoffs the bench skips."""

    def __init__(self):
        self.skipped = 0.0

    def __call__(self) -> float:
        return time.time() + self.skipped


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(tmp: Path, kind: str) -> tuple[subprocess.Popen, str, object]:
    import requests

    port = free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp / 'server.db'}", "MEDIA_ROOT": str(tmp / "media"),
           "MAIAM_INSTANCE": str(tmp / "instance"), "PYTHONPATH": str(ROOT)}
    log = open(tmp / "server.log", "wb")  # noqa: SIM115 - closed by stop_server
    if kind == "demo":
        cmd = [sys.executable, "-m", "server", "--demo", "--port", str(port)]
    else:
        for command in (["db", "upgrade"], ["seed-demo"]):
            subprocess.run([sys.executable, "-m", "server", *command], cwd=ROOT, env=env, check=True,
                           stdout=log, stderr=log)
        gunicorn = str(Path(sys.executable).parent / "gunicorn")
        conf = ["-c", "python:server.gunicorn_conf"] if find_spec("server.gunicorn_conf") else ["-w", "2"]
        cmd = [gunicorn, *conf, "-b", f"127.0.0.1:{port}", "server:create_app()"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {(tmp / 'server.log').read_text()[-2000:]}")
        try:
            requests.get(url + "/api/v1/openapi.json", timeout=2)
            return proc, url, log
        except requests.RequestException:
            time.sleep(0.3)
    raise RuntimeError("server did not start")


def stop_server(proc: subprocess.Popen, log) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    log.close()


def mirrored(source: Path, tmp: Path) -> Path:
    """The photo flipped left to right, its EXIF kept: as large as the original, other bytes."""
    out = tmp / f"mirrored-{source.name}"
    if not out.exists():
        with Image.open(source) as img:
            exif = img.getexif()
            ImageOps.mirror(img).save(out, "JPEG", quality=95, exif=exif.tobytes())
    return out


def run(url: str, tmp: Path, link: Link, surveys: int, chunk: int | None, seed: int) -> dict:
    """One phone, `surveys` queued surveys, synced through a fresh proxy; the numbers of that sync."""
    phone = tmp / f"phone-{link.name}-{surveys}-{seed}".replace(" ", "_").replace("%", "").replace(",", "")
    store = Store(phone)
    clock = StepClock()
    transport = CountingTransport()
    kw = {"chunk_size": chunk} if chunk else {}
    client = SyncClient(store, Outbox(store, clock=clock, rng=random.Random(seed)), transport=transport,
                        timeout=120, **kw)
    client.login(url, "volunteer", "demo")
    client.sync_once()  # a phone in use: it has the forms and has read the feed
    photos = [PHOTOS / name for name in SURVEY_PHOTOS[:2]] + [mirrored(PHOTOS / SURVEY_PHOTOS[2], tmp)]
    _RUNS[0] += 1
    items = [fill_survey(store, client.outbox, "house_assessment", seed=seed * 100 + i, photo_files=photos,
                         max_pixels=1600 - _RUNS[0] * 8 - i)  # new bytes for every photo: no dedup shortcut
             for i in range(surveys)]
    envelopes = sum(len(canonical_json(item.envelope)) for item in items)
    photo_bytes = sum(a.size for item in items for a in client.outbox.attachments(item.instance_id))
    proxy = ThrottlingProxy(int(url.rsplit(":", 1)[1]), link, seed=seed).start()
    store.set_setting(st.SERVER_URL, proxy.url)
    transport.counts.clear()
    transport.log.clear()
    rounds = 0
    started = time.perf_counter()
    try:
        while rounds < MAX_ROUNDS and client.outbox.counts()["sent"] < surveys:
            if rounds:
                clock.skipped += 86_400  # every backoff has elapsed (not timed: the phone waits)
            rounds += 1
            client.sync_once()
        elapsed = time.perf_counter() - started
    finally:
        proxy.stop()
        transport.close()
    sent = client.outbox.counts()["sent"]
    store.close()
    payload = envelopes + photo_bytes
    unavoidable = surveys * (1 + len(SURVEY_PHOTOS)) + 1  # POST + a PUT per photo, + the TCP handshake
    limit = link.seconds(payload) + link.rtt_s * unavoidable
    return {"link": link.name, "surveys": surveys, "sent": sent, "rounds": rounds, "time": elapsed,
            "limit": limit, "ratio": elapsed / limit, "requests": dict(transport.counts),
            "connections": proxy.connections, "cuts": proxy.cuts, "bytes": proxy.sent_up, "payload": payload,
            "bytes_ratio": proxy.sent_up / payload, "log": transport.log}


def row(r: dict) -> str:
    reqs = sum(r["requests"].values())
    detail = " ".join(f"{m}{n}" for m, n in sorted(r["requests"].items()))
    return (f"| {r['link']} | {r['surveys']} | {r['time']:.1f} s | {r['limit']:.1f} s | {r['ratio']:.2f}x | "
            f"{reqs} ({detail}) | {r['connections']} | {r['cuts']} | {r['bytes'] / 1000:.0f} KB | "
            f"{r['payload'] / 1000:.0f} KB | {r['bytes_ratio']:.3f} | {r['sent']}/{r['surveys']} in {r['rounds']} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--links", default="edge,3g,cut", help="comma-separated: " + ",".join(LINKS))
    ap.add_argument("--surveys", default="1,5", help="comma-separated survey counts")
    ap.add_argument("--server", choices=("demo", "gunicorn"), default="demo")
    ap.add_argument("--chunk", type=int, default=None, help="the phone's chunk size (default: its own)")
    ap.add_argument("--seeds", type=int, default=1, help="runs per cell (the cutting link differs by seed)")
    ap.add_argument("--verbose", action="store_true", help="print each request and its time")
    ap.add_argument("--cut-share", type=float, default=None, help="share of connections the cutting link cuts")
    a = ap.parse_args()
    print(f"server: {a.server}; chunk: {a.chunk or 'phone default'}")
    print("| link | surveys | time | limit | time/limit | requests | connections | cuts | bytes sent | payload "
          "| bytes/payload | sent |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    with tempfile.TemporaryDirectory(prefix="maiam-slow-link-") as tmp_name:
        tmp = Path(tmp_name)
        proc, url, log = start_server(tmp, a.server)
        try:
            for name in a.links.split(","):
                for n in (int(x) for x in a.surveys.split(",")):
                    for seed in range(1, a.seeds + 1):
                        link = LINKS[name.strip()]
                        if a.cut_share is not None and link.cut_share:
                            link = replace(link, name=f"3G, {a.cut_share:.0%} cut", cut_share=a.cut_share)
                        result = run(url, tmp, link, n, a.chunk, seed)
                        print(row(result), flush=True)
                        if a.verbose:
                            print("\n".join(result["log"]), flush=True)
        finally:
            stop_server(proc, log)


if __name__ == "__main__":
    main()
