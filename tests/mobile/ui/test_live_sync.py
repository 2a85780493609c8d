"""End to end: a live `python -m server --demo` on 127.0.0.1 (tests/e2e's `live_server`), the real app signs in, downloads the
house assessment, a volunteer fills it through the widgets with a photo, finishes and syncs; the
server then holds exactly one submission with every photo."""

from __future__ import annotations

import hashlib
import json
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import PHOTOS

pytestmark = [pytest.mark.ui, pytest.mark.e2e]


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


def test_fill_finish_sync_gives_exactly_one_submission_with_its_photos(run_driver, live_server, tmp_path):
    base, media = live_server.url, live_server.media_root
    result = run_driver("login_and_fill", tmp_path / "phone", {
        "server": base, "username": "volunteer", "password": "demo",
        "form_id": "house_assessment", "seed": 1,
        "photos": [str(PHOTOS / n) for n in ("DSCN0010.jpg", "87_OSError.jpg", "portrait_6.jpg", "DSCN0021.jpg")],
    }, timeout=300)
    [item] = result["outbox"]
    assert item["state"] == "sent", item
    assert len(item["attachments"]) >= 3  # front, roof, inside: three different photos
    # the server confirms it: the identical envelope again is a 200 repeat with nothing missing
    envelope = json.loads(result["envelope"])
    status, body = call(base, "POST", "/api/v1/submissions", envelope, live_server.token("volunteer"))
    assert status == 200, body
    assert body["instance_id"] == item["instance_id"]
    assert body["missing_attachments"] == []
    # as the district reviewer: exactly one survey with this instance_id, on one house
    reviewer = live_server.token("reviewer")
    status, houses = call(base, "GET", "/api/v1/houses", token=reviewer)
    assert status == 200, houses
    found = []
    for house in houses["items"]:
        status, detail = call(base, "GET", f"/api/v1/houses/{house['id']}", token=reviewer)
        assert status == 200, detail
        found += [s for s in detail["surveys"] if s["instance_id"] == item["instance_id"]]
    assert len(found) == 1, found
    # and every photo is on the server's disk, byte for byte (files are named by their sha256)
    on_disk = {hashlib.sha256(p.read_bytes()).hexdigest() for p in media.rglob("*") if p.is_file()}
    for name in item["attachments"]:
        assert Path(name).stem in on_disk, name


def test_changes_requested_come_back_as_a_draft_and_go_again_for_the_same_house(run_driver, live_server, tmp_path):
    base = live_server.url
    phone = tmp_path / "phone"
    first = run_driver("login_and_fill", phone, {
        "server": base, "username": "volunteer", "password": "demo", "form_id": "house_assessment", "seed": 2,
        "photos": [str(PHOTOS / n) for n in ("DSCN0040.jpg", "landscape_3.jpg", "jolla.jpg")],
    }, timeout=300)
    [item] = first["outbox"]
    assert item["state"] == "sent", item
    comment = "Ảnh mái nhà bị mờ, chụp lại giúp."
    status, body = call(base, "POST", f"/api/v1/submissions/{item['instance_id']}/review",
                        {"action": "request_changes", "comment": comment}, live_server.token("reviewer"))
    assert status in (200, 201), body
    second = run_driver("after_review", phone, {"comment": comment, "photos": [str(PHOTOS / "DSCN0021.jpg")]},
                        timeout=300)
    assert any(comment in text for text in second["home_texts"]), second["home_texts"]
    assert second["matching_drafts"] == 1
    # a photo the phone no longer has is named in plain words, and taken again from the summary
    assert all("Hãy chụp lại" in text for refused in second["refused"] for text in refused)
    assert comment in second["heading"]
    assert second["summary_ready"]
    sent = [o for o in second["outbox"] if o["instance_id"] != item["instance_id"]]
    assert len(sent) == 1 and sent[0]["state"] == "sent", second["outbox"]
    reviewer = live_server.token("reviewer")
    _, houses = call(base, "GET", "/api/v1/houses", token=reviewer)
    surveys = []
    for house in houses["items"]:
        _, detail = call(base, "GET", f"/api/v1/houses/{house['id']}", token=reviewer)
        ids = {s["instance_id"] for s in detail["surveys"]}
        if item["instance_id"] in ids:
            surveys = ids
    assert surveys == {item["instance_id"], sent[0]["instance_id"]}  # a new submission, the same house


def test_a_survey_finished_without_network_goes_by_itself_when_the_network_is_back(run_driver, live_server, tmp_path):
    """No Sync tap: the app's timer sends what waits once its backoff has passed."""
    from mobile.core.store import SERVER_URL, TOKEN, Store
    from tests.mobile.ui.test_survey_flow import seeded_phone

    phone = seeded_phone(tmp_path / "phone")  # points at a closed port: no network
    offline = run_driver("fill_local", phone, {"photo": str(PHOTOS / "DSCN0010.jpg"), "seed": 3})
    [item] = offline["outbox"]
    assert item["state"] == "queued" and item["last_error"] == "network"
    store = Store(phone)  # the network is back (the live server), and the backoff has passed
    store.set_setting(SERVER_URL, live_server.url)
    store.set_setting(TOKEN, live_server.token("volunteer"))
    with store.tx() as c:
        c.execute("UPDATE outbox SET next_attempt_at = 0")
    store.close()
    result = run_driver("auto_sync", phone, {"auto_sync_every": 0.5}, timeout=180)
    assert result["before"] == ["queued"]
    assert result["after"] == [{"instance_id": item["instance_id"], "state": "sent"}]
    status, body = call(live_server.url, "GET", f"/api/v1/submissions/{item['instance_id']}",
                        token=live_server.token("volunteer"))
    assert status == 200 and body["missing_attachments"] == [], body
