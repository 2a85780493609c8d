"""gunicorn with server/gunicorn_conf.py and phones connecting straight to it (threaded workers) keeps a phone's connection open
from one request to the next, even after a photo the server already held was sent again (its answer was
lost on a weak link): the app reads and drops that body, because gunicorn closes a connection that has more
than 64 KB left unread, and a new connection costs a phone on EDGE a round trip before its first byte."""

from __future__ import annotations

import hashlib
import http.client
import io
import json
import os
import random
import subprocess
import sys
import uuid
from datetime import UTC, datetime

import pytest
import requests
from PIL import Image

from forms.envelope import make_envelope
from forms.example import generate
from tests.e2e.conftest import ROOT, phone_form, start_gunicorn, stop_process

pytestmark = pytest.mark.e2e


def _photo(seed: int) -> bytes:
    rnd = random.Random(seed)
    img = Image.frombytes("RGB", (480, 360), rnd.randbytes(480 * 360 * 3))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=90)
    assert buf.tell() > 128 * 1024  # more than gunicorn drains by itself
    return buf.getvalue()


@pytest.fixture
def gunicorn_server(tmp_path):
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path / 'g.db'}", MAIAM_INSTANCE=str(tmp_path),
               MEDIA_ROOT=str(tmp_path / "media"), SECRET_KEY="keepalive-" + "x" * 32, PYTHONUNBUFFERED="1")
    env.pop("TEST_DATABASE_URL", None)
    env.pop("MAIAM_TRUSTED_PROXIES", None)  # no proxy in front: the threaded, keep-alive set-up
    for args in (["db", "upgrade"], ["seed-demo"]):
        done = subprocess.run([sys.executable, "-m", "server", *args], cwd=ROOT, env=env, capture_output=True,
                              timeout=300)
        assert done.returncode == 0, done.stderr.decode()[-3000:]
    proc, port, log = start_gunicorn(tmp_path / "gunicorn.log", env, "-c", "python:server.gunicorn_conf", "-w", "1")
    try:
        yield port
    finally:
        stop_process(proc, log, grace=15)


def _ask(conn: http.client.HTTPConnection, method: str, path: str, body: bytes | None, headers: dict):
    conn.request(method, path, body=body, headers=headers)
    resp = conn.getresponse()
    return resp.status, resp.read()


@pytest.mark.timeout(300)
def test_a_photo_sent_again_keeps_the_connection_open(gunicorn_server):
    base = f"http://127.0.0.1:{gunicorn_server}"
    token = requests.post(f"{base}/api/v1/auth/token", json={"username": "volunteer", "password": "demo"},
                          timeout=30).json()["token"]
    h = {"Authorization": f"Bearer {token}"}
    form_row, form = phone_form(base, h)
    answers = generate(form, seed=5, meta={"username": "volunteer"})
    names = form.image_files(answers)
    blobs = {name: _photo(i) for i, name in enumerate(names)}
    atts = [{"name": n, "sha256": hashlib.sha256(d).hexdigest(), "size": len(d), "content_type": "image/jpeg"}
            for n, d in blobs.items()]
    env = make_envelope(form, str(uuid.uuid4()), answers, atts, datetime.now(UTC).isoformat(),
                        form_version=form_row["version"])
    conn = http.client.HTTPConnection("127.0.0.1", gunicorn_server, timeout=60)
    status, _ = _ask(conn, "POST", "/api/v1/submissions", json.dumps(env).encode(),
                     {**h, "Content-Type": "application/json"})
    assert status == 201
    sock = conn.sock
    name = names[0]
    path = f"/api/v1/submissions/{env['instance_id']}/attachments/{name}"
    put = {**h, "Content-Type": "image/jpeg"}
    status, body = _ask(conn, "PUT", path, blobs[name], put)
    assert status == 200 and json.loads(body)["received"] is True and conn.sock is sock
    status, body = _ask(conn, "PUT", path, blobs[name], put)  # again: its answer was lost on the way
    assert status == 200 and json.loads(body)["received"] is True
    assert conn.sock is sock  # the same connection: http.client reconnects (a new socket) after a close
    status, _ = _ask(conn, "GET", f"/api/v1/submissions/{env['instance_id']}", None, h)
    assert status == 200 and conn.sock is sock
    conn.close()
