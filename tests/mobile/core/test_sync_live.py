"""The phone core against the real server (`python -m server --demo` on 127.0.0.1): a house assessment
with three real photos is finished, the line is cut in the middle of a photo, the next sync resumes,
and the server holds exactly one submission with byte-identical photos."""

from __future__ import annotations

import hashlib
import sqlite3
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
import requests

from forms.envelope import canonical_json
from mobile.core import store as st
from mobile.core.example import fill_survey
from mobile.core.sync_client import SyncClient
from mobile.core.transport import RequestsTransport, Response
from tests.conftest import PHOTOS
from tests.e2e.conftest import live_server  # noqa: F401 - the fixture
from tests.mobile.core.proxy import CuttingProxy

pytestmark = pytest.mark.e2e


def wait_until_answered(server, method: str, status: int, limit: float = 15) -> None:
    """Until the server's log shows it answered a ``method`` request with ``status``: a cut body is over for
    the server only when it has read what arrived and refused the rest (a phone retries minutes later; this
    test retries at once, and must not ask before the server is done)."""
    deadline = time.monotonic() + limit
    mark = f"{method} /api/v1/submissions/"  # (werkzeug colours the request line)
    while time.monotonic() < deadline:
        lines = Path(server.log.name).read_text(errors="replace").splitlines()
        if any(mark in line and f'" {status} -' in line for line in lines):
            return
        time.sleep(0.05)
    raise AssertionError(f"the server never answered {method} with {status}")


def submissions(server) -> int:
    db = sqlite3.connect(server.database_url.removeprefix("sqlite:///"))
    try:
        return db.execute("SELECT COUNT(*) FROM submissions").fetchone()[0]
    finally:
        db.close()


def test_house_assessment_synced_through_a_cut_line_arrives_once_and_whole(live_server, store, outbox, clock):  # noqa: F811
    port = urlparse(live_server.url).port
    proxy = CuttingProxy("127.0.0.1", port)
    transport = RequestsTransport()
    try:
        client = SyncClient(store, outbox, transport=transport, chunk_size=32 * 1024, timeout=20)
        before = submissions(live_server)
        client.login(proxy.url, "volunteer", "demo")
        assert "house_assessment" in client.refresh_forms()
        files = [PHOTOS / "iphone_hdr_NO.jpg", PHOTOS / "87_OSError.jpg", PHOTOS / "DSCN0040.jpg"]
        item = fill_survey(store, outbox, "house_assessment", seed=3, photo_files=files)
        atts = outbox.attachments(item.instance_id)
        assert len(atts) == 3
        originals = {a.name: Path(outbox.attachment_path(a)).read_bytes() for a in atts}
        envelope_bytes = len(str(item.envelope).encode()) * 2 + 4096
        proxy.cut_after(envelope_bytes + 100_000)  # the envelope passes; a photo is cut part-way
        first = client.sync_once()
        assert proxy.cuts == 1 and not first.ok
        assert outbox.get(item.instance_id).state == "waiting_photos"
        clock.advance(7200)
        second = client.sync_once()
        assert second.sent == 1, client.item_text(outbox.get(item.instance_id))
        token = store.get_setting(st.TOKEN)
        answer = requests.get(
            f"{live_server.url}/api/v1/submissions/{item.instance_id}",
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        ).json()
        assert answer["missing_attachments"] == []
        for name, data in originals.items():
            digest = hashlib.sha256(data).hexdigest()
            stored = live_server.media_root / digest[:2] / digest[2:4] / digest
            assert stored.read_bytes() == data, name
        assert submissions(live_server) == before + 1  # exactly one new submission
        db = sqlite3.connect(live_server.database_url.removeprefix("sqlite:///"))
        try:
            rows = db.execute("SELECT COUNT(*) FROM submissions WHERE instance_id = ?", (item.instance_id,))
            assert rows.fetchone()[0] == 1
        finally:
            db.close()
    finally:
        transport.close()
        proxy.close()


class CountingTransport(RequestsTransport):
    def __init__(self):
        super().__init__()
        self.calls: list[str] = []
        self.ranges: list[str] = []  # the Content-Range of every PUT tried

    def request(self, method, url, headers=None, body=None, timeout=30.0) -> Response:
        if method == "PUT":
            self.ranges.append((headers or {}).get("Content-Range", ""))
        resp = super().request(method, url, headers=headers, body=body, timeout=timeout)
        self.calls.append(f"{method} {urlparse(url).path.rsplit('/', 1)[-1]} {resp.status}")
        return resp


def test_one_survey_is_a_post_and_a_put_per_photo_over_one_kept_connection(live_server, store, outbox):  # noqa: F811
    """`python -m server --demo` keeps the connection open; the phone sends no HEAD and no confirming
    POST; the feed, unchanged since the last sync, answers 304, and the forms list is not asked for
    (the feed reports its ETag)."""
    proxy = CuttingProxy("127.0.0.1", urlparse(live_server.url).port)
    transport = CountingTransport()
    try:
        client = SyncClient(store, outbox, transport=transport, timeout=20)
        client.login(proxy.url, "volunteer", "demo")
        client.sync_once()  # the forms and the feed, as a phone in use has them
        files = [PHOTOS / "iphone_hdr_NO.jpg", PHOTOS / "87_OSError.jpg", PHOTOS / "DSCN0040.jpg"]
        item = fill_survey(store, outbox, "house_assessment", seed=5, photo_files=files)
        transport.calls.clear()
        connections = proxy.connections
        assert client.sync_once().sent == 1
        names = sorted(a.name for a in outbox.attachments(item.instance_id))
        assert transport.calls[0] == "POST submissions 201"
        assert sorted(transport.calls[1:4]) == [f"PUT {n} 200" for n in names]
        assert transport.calls[4:] == ["GET sync 200"]  # the feed has the new house
        assert proxy.connections == connections  # the one opened by the first sync, kept open
        transport.calls.clear()
        client.sync_once()
        assert transport.calls == ["GET sync 304"]
        assert proxy.connections == connections
    finally:
        transport.close()
        proxy.close()


def test_a_whole_photo_cut_part_way_resumes_from_what_the_server_kept(live_server, store, outbox, clock):  # noqa: F811
    """The photo goes in one PUT; the line drops 150 KB into it; the next sync asks once (HEAD) and
    sends only the rest: the real server keeps what arrived of a cut upload."""
    proxy = CuttingProxy("127.0.0.1", urlparse(live_server.url).port)
    transport = CountingTransport()
    try:
        client = SyncClient(store, outbox, transport=transport, timeout=20)
        client.login(proxy.url, "volunteer", "demo")
        client.sync_once()
        files = [PHOTOS / "iphone_hdr_NO.jpg", PHOTOS / "jolla.jpg", PHOTOS / "DSCN0010.jpg"]
        item = fill_survey(store, outbox, "house_assessment", seed=6, photo_files=files)
        att, *others = outbox.attachments(item.instance_id)  # sent in this order
        assert att.size > 200_000
        transport.calls.clear()
        proxy.cut_after(len(canonical_json(item.envelope)) + 4096 + 150_000)  # headers, envelope, then 150 KB
        assert not client.sync_once().ok and proxy.cuts == 1
        assert transport.ranges == [f"bytes 0-{att.size - 1}/{att.size}"]  # whole, from 0, no HEAD first
        assert transport.calls == ["POST submissions 201"]  # the cut PUT got no answer
        wait_until_answered(live_server, "PUT", 400)  # the server kept what arrived, refused the short body
        clock.advance(7200)
        transport.calls.clear()
        assert client.sync_once().sent == 1
        assert transport.calls[:4] == [f"HEAD {att.name} 200", f"PUT {att.name} 200",
                                       *(f"PUT {o.name} 200" for o in others)]
        start = int(transport.ranges[1].split()[1].split("-")[0])
        assert 100_000 < start < att.size and transport.ranges[1] == f"bytes {start}-{att.size - 1}/{att.size}"
        assert "POST submissions 200" not in transport.calls  # the PUT's answer confirmed the survey
        stored = live_server.media_root / att.sha256[:2] / att.sha256[2:4] / att.sha256
        assert stored.read_bytes() == Path(outbox.attachment_path(att)).read_bytes()
    finally:
        transport.close()
        proxy.close()
