"""Issue 3, item 8: a real `python -m server --demo` on 127.0.0.1, the volunteer's whole flow with real
photos, a repeated send, an upload cut half-way and resumed; exactly one submission, photos intact."""

from __future__ import annotations

import hashlib
import socket
import sqlite3
import time
import uuid
from datetime import UTC, datetime

import pytest
import requests

from forms.example import generate
from tests.conftest import PHOTOS
from tests.e2e.conftest import phone_form

pytestmark = pytest.mark.e2e

PHOTO_FILES = {"photo_front": "DSCN0010.jpg", "photo_roof": "DSCN0021.jpg", "photo_inside": "87_OSError.jpg",
               "photo_damage": "DSCN0040.jpg"}


def _envelope(server, headers):
    definition, form = phone_form(server.url, headers, timeout=10)
    answers = generate(form, seed=7)
    attachments = []
    blobs = {}
    for question, filename in PHOTO_FILES.items():
        if question not in answers:
            continue
        data = (PHOTOS / filename).read_bytes()
        name = f"{question}.jpg"
        answers[question] = name
        blobs[name] = data
        attachments.append({"name": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data),
                            "content_type": "image/jpeg"})
    env = {"instance_id": str(uuid.uuid4()), "form_id": "house_assessment", "form_version": definition["version"],
           "created_at": datetime.now(UTC).isoformat(), "answers": answers, "attachments": attachments}
    return env, blobs


def _cut_upload(server, token, instance_id, name, data, send_bytes):
    """Send a whole-file PUT's headers and only `send_bytes` of the body, then drop the connection."""
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        head = (f"PUT /api/v1/submissions/{instance_id}/attachments/{name} HTTP/1.1\r\nHost: {host}\r\n"
                f"Authorization: Bearer {token}\r\nContent-Type: image/jpeg\r\n"
                f"Content-Length: {len(data)}\r\nConnection: close\r\n\r\n").encode()
        sock.sendall(head + data[:send_bytes])


def _settled_offset(url, headers):
    """The server's offset once it has finished reading the cut connection (two equal readings)."""
    last = -1
    for _ in range(100):
        offset = int(requests.head(url, headers=headers, timeout=10).headers["Upload-Offset"])
        if offset and offset == last:
            return offset
        last = offset
        time.sleep(0.1)
    return last


def _put_when_free(url, data, headers):
    """PUT, waiting while the server still holds the cut upload (409 upload_busy), as the phone does."""
    for _ in range(100):
        r = requests.put(url, data=data, headers=headers, timeout=20)
        if not (r.status_code == 409 and r.json()["error"]["code"] == "upload_busy"):
            return r
        time.sleep(0.1)
    return r


def test_volunteer_flow_exactly_once_with_intact_photos(live_server):
    token = live_server.token("volunteer")
    headers = {"Authorization": f"Bearer {token}"}
    env, blobs = _envelope(live_server, headers)

    first = requests.post(f"{live_server.url}/api/v1/submissions", json=env, headers=headers, timeout=20)
    assert first.status_code == 201, first.text
    assert sorted(first.json()["missing_attachments"]) == sorted(blobs)
    again = requests.post(f"{live_server.url}/api/v1/submissions", json=env, headers=headers, timeout=20)
    assert again.status_code == 200 and again.json()["status"] == "duplicate"

    names = sorted(blobs)
    base = f"{live_server.url}/api/v1/submissions/{env['instance_id']}/attachments"
    # 1. a plain PUT
    r = requests.put(f"{base}/{names[0]}", data=blobs[names[0]], headers=headers, timeout=20)
    assert r.status_code == 200 and r.json()["received"] is True
    # 2. an upload cut half-way through, then resumed from the server's offset
    cut = names[1]
    _cut_upload(live_server, token, env["instance_id"], cut, blobs[cut], len(blobs[cut]) // 2)
    offset = _settled_offset(f"{base}/{cut}", headers)
    assert 0 < offset < len(blobs[cut])
    rest = blobs[cut][offset:]
    r = _put_when_free(f"{base}/{cut}", rest,
                       {**headers, "Content-Range": f"bytes {offset}-{len(blobs[cut]) - 1}/{len(blobs[cut])}"})
    assert r.status_code == 200, r.text
    assert r.json()["received"] is True
    # 3. the others in two ranged chunks each
    for name in names[2:]:
        data = blobs[name]
        half = len(data) // 2
        for start, end in ((0, half - 1), (half, len(data) - 1)):
            r = requests.put(f"{base}/{name}", data=data[start:end + 1], timeout=20,
                             headers={**headers, "Content-Range": f"bytes {start}-{end}/{len(data)}"})
            assert r.status_code == 200, r.text
    # sending a stored photo again changes nothing
    r = requests.put(f"{base}/{names[0]}", data=blobs[names[0]], headers=headers, timeout=20)
    assert r.status_code == 200 and r.json()["missing_attachments"] == []
    status = requests.get(f"{live_server.url}/api/v1/submissions/{env['instance_id']}", headers=headers, timeout=10)
    assert status.json()["missing_attachments"] == []

    db = sqlite3.connect(live_server.database_url.removeprefix("sqlite:///"))
    assert db.execute("SELECT count(*) FROM submissions WHERE instance_id = ?", (env["instance_id"],)).fetchone()[0] == 1
    rows = db.execute("SELECT a.name, a.sha256, a.received FROM attachments a JOIN submissions s "
                      "ON s.id = a.submission_id WHERE s.instance_id = ?", (env["instance_id"],)).fetchall()
    assert len(rows) == len(blobs)
    for name, sha, received in rows:
        assert received
        stored = live_server.media_root / sha[:2] / sha[2:4] / sha
        assert stored.read_bytes() == blobs[name]
    assert not list((live_server.media_root / "partial").rglob("*.part"))
