"""End to end: a live `python -m server --demo` on 127.0.0.1, the real app signs in, downloads the
house assessment, a volunteer fills it through the widgets with a photo, finishes and syncs; the
server then holds exactly one submission with every photo."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import PHOTOS
from tests.mobile.ui.conftest import ROOT

pytestmark = [pytest.mark.ui, pytest.mark.e2e]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(base, method, path, body=None, token=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method)
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, json.loads(resp.read() or b"null")
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, json.loads(exc.read() or b"null")


@pytest.fixture
def demo_server(tmp_path):
    """`python -m server --demo` (README command) on a free port, its own SQLite file and photo folder."""
    port = free_port()
    env = dict(os.environ)
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'server.db'}"
    env["MEDIA_ROOT"] = str(tmp_path / "media")
    log = open(tmp_path / "server.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen([sys.executable, "-m", "server", "--demo", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            if proc.poll() is not None:
                break
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.1)
        if proc.poll() is not None:
            pytest.fail(f"the demo server did not start:\n{Path(tmp_path / 'server.log').read_text()[-3000:]}")
        yield base, tmp_path / "media"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def test_fill_finish_sync_gives_exactly_one_submission_with_its_photos(run_driver, demo_server, tmp_path):
    base, media = demo_server
    result = run_driver("login_and_fill", tmp_path / "phone", {
        "server": base, "username": "volunteer", "password": "demo",
        "form_id": "house_assessment", "photo": str(PHOTOS / "DSCN0010.jpg"), "seed": 1,
    }, timeout=300)
    [item] = result["outbox"]
    assert item["state"] == "sent", item
    assert item["attachments"]
    # the server confirms it: the identical envelope again is a 200 repeat with nothing missing
    envelope = json.loads(result["envelope"])
    status, token_body = call(base, "POST", "/api/v1/auth/token", {"username": "volunteer", "password": "demo"})
    assert status == 201
    status, body = call(base, "POST", "/api/v1/submissions", envelope, token_body["token"])
    assert status == 200, body
    assert body["instance_id"] == item["instance_id"]
    assert body["missing_attachments"] == []
    stored = [p for p in media.rglob("*") if p.is_file()]
    assert len({p.name for p in stored}) >= 1
