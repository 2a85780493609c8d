"""Two server nodes behind a load balancer finish each other's uploads.

Two gunicorn instances, each with its own local folder (MEDIA_ROOT), share one PostgreSQL schema and one
S3 bucket (moto's S3 server on 127.0.0.1) behind a small round-robin TCP proxy, so consecutive requests of
one phone land on different nodes. Every photo is sent in chunks, and the first attempt at every chunk is
cut mid-body (the socket closed halfway); the phone asks the server where to resume (HEAD, often on the
other node) and sends the rest. Every photo must end up stored byte-identical with 0 restarts from byte 0.
With `MAIAM_PARTIALS=file` (unfinished uploads on each node's own disk) the same run restarts photos from
0 — the case that shows the test can fail."""

from __future__ import annotations

import hashlib
import io
import itertools
import os
import random
import socket
import subprocess
import sys
import threading
import time
import uuid
from datetime import UTC, datetime

import pytest
import requests
import sqlalchemy as sa
from PIL import Image

from forms.envelope import make_envelope
from forms.example import generate
from server.services.files import s3
from tests.e2e.conftest import ROOT, phone_form, start_gunicorn, stop_process

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"),
                                                  reason="needs PostgreSQL (TEST_DATABASE_URL)")]
CHUNK = 96 * 1024


class RoundRobinProxy:
    """Each new TCP connection goes to the next backend; bytes are piped both ways until either side closes."""

    def __init__(self, backends: list[tuple[str, int]]):
        self.backends = itertools.cycle(backends)
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.stopping = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.stopping:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client, next(self.backends)), daemon=True).start()

    def _serve(self, client: socket.socket, backend: tuple[str, int]) -> None:
        with client:
            try:
                upstream = socket.create_connection(backend, timeout=60)
            except OSError:
                return
            with upstream:
                back = threading.Thread(target=self._pipe, args=(upstream, client), daemon=True)
                back.start()
                self._pipe(client, upstream)
                back.join(timeout=120)

    @staticmethod
    def _pipe(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
            dst.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    def close(self) -> None:
        self.stopping = True
        self.sock.close()


def _photo(seed: int) -> bytes:
    rnd = random.Random(seed)
    img = Image.frombytes("RGB", (640, 400), rnd.randbytes(640 * 400 * 3))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=90)
    data = buf.getvalue()
    assert len(data) > 2 * CHUNK  # three chunks or more, each cut once
    return data


def _run(env: dict, *args: str) -> None:
    done = subprocess.run([sys.executable, "-m", "server", *args], cwd=ROOT, env=env, capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr.decode()[-3000:]


def _node(tmp, name: str, env: dict) -> tuple[subprocess.Popen, int, object]:
    node_env = dict(env, MEDIA_ROOT=str(tmp / name / "media"), MAIAM_INSTANCE=str(tmp / name))
    return start_gunicorn(tmp / f"{name}.log", node_env, "-w", "2", "--timeout", "120")


def _cut_put(port: int, path: str, token: str, data: bytes, start: int, total: int) -> None:
    """A PUT whose connection is closed after half of its body: the phone lost the network mid-chunk."""
    head = (f"PUT {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Type: application/octet-stream\r\nContent-Length: {len(data)}\r\n"
            f"Content-Range: bytes {start}-{start + len(data) - 1}/{total}\r\n\r\n").encode()
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(head + data[: len(data) // 2])
        time.sleep(0.05)


def _offset(url: str, h: dict) -> int:
    for _ in range(100):
        r = requests.head(url, headers=h, timeout=30)
        if r.status_code == 200:
            return int(r.headers["Upload-Offset"])
        time.sleep(0.1)
    raise AssertionError(f"HEAD {url}: {r.status_code}")


def _upload(base: str, port: int, token: str, iid: str, name: str, data: bytes, first_restart_ends: bool) -> dict:
    """Send one photo in chunks, the first try of each chunk cut; count the restarts from byte 0 (with
    `first_restart_ends`, stop at the first one: that is all the failing case has to show)."""
    h = {"Authorization": f"Bearer {token}"}
    url = f"{base}/api/v1/submissions/{iid}/attachments/{name}"
    path = url.removeprefix(base)
    total, restarts, cuts, offset = len(data), 0, 0, 0
    while offset < total:
        chunk = data[offset: offset + CHUNK]
        _cut_put(port, path, token, chunk, offset, total)
        cuts += 1
        before = offset
        for _ in range(50):  # the node that had the cut body may not have noticed it yet
            offset = _offset(url, h)
            if offset > before:
                break
            time.sleep(0.1)
        restarts += offset == 0  # half a chunk was sent: holding nothing now means starting again from 0
        if restarts and first_restart_ends:
            return {"restarts": restarts, "cuts": cuts}
        for _ in range(100):
            end = min(offset + CHUNK, total)
            r = requests.put(url, data=data[offset:end], timeout=60,
                             headers={**h, "Content-Range": f"bytes {offset}-{end - 1}/{total}"})
            if r.status_code == 409:  # the cut request still holds the upload: come back shortly
                time.sleep(0.1)
                offset = _offset(url, h)
                continue
            if r.status_code == 416:  # this node holds less than the last one said: resume where it says
                offset = r.json()["error"]["fields"]["offset"]
                restarts += offset == 0
                if restarts and first_restart_ends:
                    return {"restarts": restarts, "cuts": cuts}
                continue
            assert r.status_code == 200, r.text
            offset = r.json()["offset"]
            if r.json()["received"]:
                return {"restarts": restarts, "cuts": cuts}
            break
    raise AssertionError("upload did not finish")


@pytest.mark.timeout(900)  # two servers and a proxy on a machine that may be shared
@pytest.mark.parametrize("partials", ["database", "file"])
def test_two_nodes_finish_each_others_cut_uploads(tmp_path, s3_server, partials):
    url = os.environ["TEST_DATABASE_URL"]
    schema = "e2e_" + uuid.uuid4().hex[:10]
    admin = sa.create_engine(url)
    with admin.begin() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    bucket = s3_server.new_bucket()
    env = dict(os.environ, DATABASE_URL=f"{url}?options=-csearch_path%3D{schema}", SECRET_KEY="two-nodes-" + "x" * 32,
               PYTHONUNBUFFERED="1", MAIAM_PARTIALS=partials, **s3_server.env(bucket))
    env.pop("TEST_DATABASE_URL", None)
    nodes = []
    proxy = None
    try:
        _run(dict(env, MAIAM_INSTANCE=str(tmp_path / "setup"), MEDIA_ROOT=str(tmp_path / "setup" / "media")),
             "db", "upgrade")
        _run(dict(env, MAIAM_INSTANCE=str(tmp_path / "setup"), MEDIA_ROOT=str(tmp_path / "setup" / "media")),
             "seed-demo")
        nodes = [_node(tmp_path, name, env) for name in ("node_a", "node_b")]
        proxy = RoundRobinProxy([("127.0.0.1", port) for _, port, _ in nodes])
        base = f"http://127.0.0.1:{proxy.port}"
        token = requests.post(f"{base}/api/v1/auth/token", json={"username": "volunteer", "password": "demo"},
                              timeout=30).json()["token"]
        h = {"Authorization": f"Bearer {token}"}
        form_row, form = phone_form(base, h)  # with its villages.csv, as the phone downloads it
        results, photos, surveys = [], {}, []
        for seed in (3, 4):
            answers = generate(form, seed=seed, meta={"username": "volunteer"})
            blobs = {name: _photo(seed * 10 + i) for i, name in enumerate(form.image_files(answers))}
            atts = [{"name": n, "sha256": hashlib.sha256(d).hexdigest(), "size": len(d), "content_type": "image/jpeg"}
                    for n, d in blobs.items()]
            env_ = make_envelope(form, str(uuid.uuid4()), answers, atts, datetime.now(UTC).isoformat(),
                                 form_version=form_row["version"])
            r = requests.post(f"{base}/api/v1/submissions", json=env_, headers=h, timeout=60)
            assert r.status_code == 201, r.text
            surveys.append(env_["instance_id"])
            for name, data in blobs.items():
                results.append(_upload(base, proxy.port, token, env_["instance_id"], name, data, partials == "file"))
                photos[hashlib.sha256(data).hexdigest()] = data
                if partials == "file":  # each node sees only its own disk: a resume on the other one starts over
                    assert results[0]["restarts"] > 0
                    return
        restarts = sum(r["restarts"] for r in results)
        assert restarts == 0 and sum(r["cuts"] for r in results) >= 2 * len(photos)
        for iid in surveys:
            assert requests.get(f"{base}/api/v1/submissions/{iid}", headers=h, timeout=30).json()["missing_attachments"] == []
        bucket_store = s3.blobs(s3_server.settings(bucket))
        for sha, data in photos.items():
            with bucket_store.open(sha) as fh:
                assert fh.read() == data  # byte-identical
        with admin.connect() as conn:
            assert conn.execute(sa.text(f"SELECT count(*) FROM {schema}.upload_parts")).scalar() == 0
        for name in ("node_a", "node_b"):  # nothing of the photos on either node's own disk
            assert not [p for p in (tmp_path / name / "media").rglob("*") if p.is_file() and len(p.name) == 64]
    finally:
        if proxy is not None:
            proxy.close()
        for proc, _, log in nodes:
            stop_process(proc, log, grace=15)
        with admin.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()
