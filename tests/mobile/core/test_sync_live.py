"""The phone core against the real server (`python -m server --demo` on 127.0.0.1): a house assessment
with three real photos is finished, the line is cut in the middle of a photo, the next sync resumes,
and the server holds exactly one submission with byte-identical photos."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path
from urllib.parse import urlparse

import pytest
import requests

from mobile.core import store as st
from mobile.core.example import fill_survey
from mobile.core.sync_client import SyncClient
from mobile.core.transport import RequestsTransport
from tests.conftest import PHOTOS
from tests.e2e.conftest import live_server  # noqa: F401 - the fixture
from tests.mobile.core.proxy import CuttingProxy

pytestmark = pytest.mark.e2e


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
