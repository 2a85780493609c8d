"""The sync client against a real HTTP server on 127.0.0.1 that fails on purpose: no loss, no
duplicate, resume from the server's offset, backoff between attempts, plain-language statuses."""

from __future__ import annotations

import hashlib

import pytest

from mobile.core import store as st
from mobile.core.api import ApiError
from mobile.core.photos import prepare_photo
from mobile.core.sync_client import SyncClient
from mobile.core.uploads import DEFAULT_CHUNK
from tests.conftest import PHOTOS
from tests.mobile.core.test_outbox import queue


def photos(store, *names):
    return [prepare_photo(PHOTOS / n, store.photo_dir) for n in names]


def server_bytes(server, iid, name):
    return bytes(server.files[(iid, name)])




def test_login_keeps_the_token_never_the_password(store, server, client):
    assert store.get_setting(st.TOKEN) == "test-token"
    assert store.get_setting(st.USER)["org_unit"] == "20968"
    assert store.get_setting(st.SERVER_URL) == server.url
    rows = store.query("SELECT key, value FROM settings")
    assert all("demo" not in r["value"] for r in rows)
    with pytest.raises(ApiError) as err:
        client.login(server.url, "volunteer", "wrong")
    assert err.value.code == "bad_credentials"


def test_500_then_accepted_with_backoff_and_exactly_one_submission(store, outbox, server, client, clock):
    draft_id, item = queue(store, outbox, photos=photos(store, "DSCN0010.jpg", "DSCN0021.jpg"))
    server.fail_posts = 1
    first = client.sync_once()
    assert first.retrying == 1 and not first.ok
    got = outbox.get(item.instance_id)
    assert got.state == "queued" and got.attempts == 1 and got.last_error == "server_error"
    assert "sự cố" in client.item_text(got)
    assert client.sync_once().sent == 0  # backoff not elapsed: nothing was tried
    assert server.count("POST", "/api/v1/submissions") == 1
    clock.advance(got.next_attempt_at - clock.now)
    second = client.sync_once()
    assert second.sent == 1 and second.ok
    assert outbox.get(item.instance_id).state == "sent"
    assert list(server.submissions) == [item.instance_id]
    for att in outbox.attachments(item.instance_id):
        assert hashlib.sha256(server_bytes(server, item.instance_id, att.name)).hexdigest() == att.sha256
    assert store.get_setting(st.LAST_SYNC_AT) is not None
    assert client.events[-1].kind == "finished" and "Đồng bộ xong" in client.events[-1].message


def test_first_try_puts_each_photo_whole_without_head_and_without_a_confirming_post(store, outbox, server, client):
    """One survey = one POST + one PUT per photo: the POST's answer says which photos are missing (no
    HEAD to ask where to start: nothing was sent), a photo under 1 MB goes whole, and the last PUT's
    answer (`missing_attachments: []`) already confirms the survey (no second POST)."""
    client.chunk_size = DEFAULT_CHUNK
    pics = photos(store, "DSCN0010.jpg", "jolla.jpg", "iphone_hdr_NO.jpg")
    _, item = queue(store, outbox, photos=pics)
    assert client.sync_once().sent == 1
    assert outbox.get(item.instance_id).state == "sent"
    assert server.count("HEAD", "/api/v1/submissions") == 0
    assert server.count("POST", "/api/v1/submissions") == 1
    assert sorted(server.ranges) == sorted(f"bytes 0-{p.size - 1}/{p.size}" for p in pics)
    assert server.missing(item.instance_id) == []


def test_a_server_whose_put_answer_does_not_list_missing_photos_is_asked_with_a_post(store, outbox, server, client):
    server.put_answer_says_missing = False
    _, item = queue(store, outbox, photos=photos(store, "DSCN0010.jpg"))
    assert client.sync_once().sent == 1
    assert server.count("POST", "/api/v1/submissions") == 2 and server.count("HEAD", "/api/v1/submissions") == 0


def test_connection_cut_mid_photo_resumes_from_the_server_offset(store, outbox, server, client, clock):
    client.chunk_size = DEFAULT_CHUNK
    (photo,) = photos(store, "iphone_hdr_NO.jpg")
    original = photo.path.read_bytes()
    _, item = queue(store, outbox, photos=[photo])
    iid = item.instance_id
    server.cut_next_put_after = 10_000  # the photo's PUT is cut after 10 000 bytes
    first = client.sync_once()
    assert first.offline and outbox.get(iid).state == "waiting_photos"
    assert len(server.files[(iid, photo.name)]) == 10_000
    assert server.count("HEAD", "/api/v1/submissions") == 0
    clock.advance(3600)
    second = client.sync_once()
    assert second.sent == 1
    assert server_bytes(server, iid, photo.name) == original
    assert photo.path.exists()  # confirmed, but kept until the reviewer decides (it may come back)
    assert list(server.submissions) == [iid]
    # after the failure one HEAD asks for the offset, and the rest goes in one PUT from there
    assert server.count("HEAD", "/api/v1/submissions") == 1
    size = photo.size
    assert server.ranges == [f"bytes 0-{size - 1}/{size}", f"bytes 10000-{size - 1}/{size}"]
    assert server.count("POST", "/api/v1/submissions") == 1
    (att,) = outbox.attachments(iid)
    assert att.state == "done" and att.uploaded_bytes == photo.size


def test_pieces_of_a_photo_larger_than_the_chunk_resume_from_the_server_offset(store, outbox, server, client, clock):
    (photo,) = photos(store, "iphone_hdr_NO.jpg")
    assert photo.size > 3 * 64 * 1024  # the client fixture's chunk: a photo over the limit goes in pieces
    _, item = queue(store, outbox, photos=[photo])
    server.cut_next_put_after = 10_000
    assert client.sync_once().offline
    clock.advance(3600)
    assert client.sync_once().sent == 1
    assert server_bytes(server, item.instance_id, photo.name) == photo.path.read_bytes()
    puts = server.count("PUT", "/api/v1/submissions")
    assert puts == 1 + -(-(photo.size - 10_000) // (64 * 1024))  # the cut one + the rest, not from zero


def test_answer_lost_in_a_timeout_is_not_a_duplicate(store, outbox, server, client, clock):
    _, item = queue(store, outbox)
    client.timeout = 0.3
    server.slow_next = 1.0  # the server stores it but the phone gives up waiting
    first = client.sync_once()
    assert first.retrying == 1 and outbox.get(item.instance_id).last_error in ("timeout", "network")
    clock.advance(3600)
    client.timeout = 5
    assert client.sync_once().sent == 1
    assert list(server.submissions) == [item.instance_id]


def test_photo_busy_on_the_server_is_retried_later_not_given_up(store, outbox, server, client, clock):
    """409 upload_busy: the server is still reading an earlier cut upload of this photo."""
    (photo,) = photos(store, "DSCN0010.jpg")
    _, item = queue(store, outbox, photos=[photo])
    server.busy_puts = 1
    first = client.sync_once()
    got = outbox.get(item.instance_id)
    assert first.retrying == 1 and got.state == "waiting_photos" and got.last_error == "upload_busy"
    clock.advance(got.next_attempt_at - clock.now)
    assert client.sync_once().sent == 1
    assert server_bytes(server, item.instance_id, photo.name) == photo.path.read_bytes()


def test_conflict_is_permanent_with_a_plain_message(store, outbox, server, client):
    _, item = queue(store, outbox)
    server.submissions[item.instance_id] = {**item.envelope, "answers": {"a": "other"}}
    result = client.sync_once()
    assert result.failed == 1
    got = outbox.get(item.instance_id)
    assert got.state == "failed_permanent" and got.last_error == "conflict"
    assert client.item_text(got).startswith("Không gửi được — Phiếu này đã được gửi trước đó")
    store.set_setting(st.LANGUAGE, "en")
    assert "already sent with different content" in client.item_text(got)


def test_422_comes_back_as_an_editable_draft_with_field_errors(store, outbox, server, client):
    draft_id, item = queue(store, outbox)
    server.reject_answers = [{"field": "a", "code": "constraint", "message": "Giá trị không hợp lệ"}]
    client.sync_once()
    draft = store.get_draft(draft_id)
    assert draft.status == "editing" and draft.errors == server_reject_copy()
    assert outbox.items() == []


def server_reject_copy():
    return [{"field": "a", "code": "constraint", "message": "Giá trị không hợp lệ"}]


def test_expired_token_asks_for_login_without_spending_retries(store, outbox, server, client):
    _, item = queue(store, outbox)
    store.set_setting(st.TOKEN, "expired")
    result = client.sync_once()
    assert result.needs_login
    got = outbox.get(item.instance_id)
    assert got.state == "queued" and got.attempts == 0
    assert client.events[-1].kind == "needs_login" and "đăng nhập" in client.events[-1].message


def test_no_network_keeps_everything_and_says_so(store, outbox, server, client, clock):
    _, item = queue(store, outbox)
    server.offline = True
    result = client.sync_once()
    assert result.offline and outbox.get(item.instance_id).state == "queued"
    assert outbox.get(item.instance_id).attempts == 1
    assert "Không có mạng" in client.events[-1].message
    assert "Không kết nối được máy chủ" in client.item_text(outbox.get(item.instance_id))
    server.offline = False
    clock.advance(3600)
    assert client.sync_once().sent == 1 and list(server.submissions) == [item.instance_id]


def test_pull_turns_changes_requested_into_one_draft_and_resubmits_with_a_new_id(
    store, outbox, server, client
):
    old_iid = "3f1c8a52-0000-4000-8000-000000000001"
    server.feed = {
        None: {
            "cursor": "c1",
            "houses": [
                {
                    "house_id": "H9",
                    "head_name": "Trần Thị Bình",
                    "status": "changes_requested",
                    "comment": "Thiếu ảnh mái nhà",
                }
            ],
            "submissions": [
                {
                    "instance_id": old_iid,
                    "house_id": "H9",
                    "form_id": "house",
                    "form_version": "1",
                    "review_status": "changes_requested",
                    "comment": "Thiếu ảnh mái nhà",
                    "answers": {"a": 5},
                }
            ],
        },
        "c1": {"cursor": "c1", "houses": [], "submissions": []},
    }
    client.sync_once()
    assert store.get_setting(st.SYNC_CURSOR) == "c1"
    assert store.list_houses()[0]["status"] == "changes_requested"
    (draft,) = store.list_drafts()
    assert (draft.house_id, draft.answers, draft.reviewer_comment) == ("H9", {"a": 5}, "Thiếu ảnh mái nhà")
    assert draft.instance_id != old_iid and draft.source_instance_id == old_iid
    store.set_setting(st.SYNC_CURSOR, None)  # the same feed read again
    client.sync_once()
    assert len(store.list_drafts()) == 1
    assert store.get_form("house")["form_id"] == "house"


def test_line_cut_by_a_real_tcp_proxy_mid_photo_resumes_without_loss(store, outbox, server, client, clock):
    from tests.mobile.core.proxy import CuttingProxy

    proxy = CuttingProxy("127.0.0.1", server.httpd.server_address[1])
    try:
        store.set_setting(st.SERVER_URL, proxy.url)
        (photo,) = photos(store, "jolla.jpg")
        original = photo.path.read_bytes()
        _, item = queue(store, outbox, photos=[photo])
        proxy.cut_after(100_000)  # the envelope passes; the photo is cut inside its second chunk
        first = client.sync_once()
        assert proxy.cuts == 1 and first.offline
        assert outbox.get(item.instance_id).state == "waiting_photos"
        held = len(server.files[(item.instance_id, photo.name)])
        assert 0 < held < photo.size
        clock.advance(3600)
        assert client.sync_once().sent == 1
        assert server_bytes(server, item.instance_id, photo.name) == original
        assert list(server.submissions) == [item.instance_id]
    finally:
        proxy.close()


def test_a_lost_photo_file_fails_that_survey_only(store, outbox, server, client):
    (broken,) = photos(store, "DSCN0010.jpg")
    _, bad = queue(store, outbox, photos=[broken])
    _, good = queue(store, outbox)
    broken.path.write_bytes(b"truncated")
    result = client.sync_once()
    assert (result.failed, result.sent) == (1, 1)
    assert outbox.get(bad.instance_id).last_error == "photo_missing"
    assert outbox.get(good.instance_id).state == "sent"


def test_a_bad_server_address_is_a_clear_error(store):
    from mobile.core.transport import TransportError

    with pytest.raises(TransportError) as err:
        SyncClient(store).login("máy chủ", "volunteer", "demo")
    assert err.value.code == "bad_url"
    with pytest.raises(TransportError) as err:
        SyncClient(store, timeout=2).login("http://127.0.0.1:9", "volunteer", "demo")
    assert err.value.code == "network"


@pytest.mark.parametrize("status, code, state, text", [
    (429, "upload_quota", "waiting_photos", "Sẽ gửi lại sau"),
    (413, "attachment_too_large", "failed_permanent", "Hãy chụp lại ảnh đó"),
    (415, "not_an_image", "failed_permanent", "không phải là ảnh"),
    (422, "image_too_big", "failed_permanent", "Ảnh quá lớn"),
])
def test_photo_refusals_are_retried_or_given_up_by_their_code(store, outbox, server, client, clock,
                                                              status, code, state, text):
    """The server's upload limits: a cap on unfinished bytes passes (retry later); a photo that is too
    large or not an image would be refused again (permanent), each with a plain message."""
    (photo,) = photos(store, "DSCN0010.jpg")
    _, item = queue(store, outbox, photos=[photo])
    server.put_errors = [(status, code)]
    client.sync_once()
    got = outbox.get(item.instance_id)
    assert got.state == state and got.last_error == code
    assert text in client.item_text(got)
    if state == "waiting_photos":
        clock.advance(got.next_attempt_at - clock.now)
        assert client.sync_once().sent == 1


def test_each_sync_run_is_logged_without_token_password_or_answers(store, outbox, server, client, caplog):
    import logging

    (broken,) = photos(store, "DSCN0010.jpg")
    _, bad = queue(store, outbox, photos=[broken])
    _, good = queue(store, outbox)
    broken.path.write_bytes(b"truncated")
    caplog.set_level(logging.INFO, logger="mobile.core.sync_client")
    client.sync_once()
    lines = [r.getMessage() for r in caplog.records if r.name == "mobile.core.sync_client"]
    assert f"sync: survey {good.instance_id} sent" in lines
    assert f"sync: survey {bad.instance_id} failed (photo_missing)" in lines
    assert any(line.startswith("sync: pulled the feed") for line in lines)
    assert lines[-1] == "sync finished: sent=1 retrying=0 failed=1 reopened=0 offline=False errors=-"
    text = "\n".join(lines)
    assert "test-token" not in text and "demo" not in text
    answers = store.get_draft(store.query("SELECT id FROM drafts")[0]["id"]).answers
    assert all(str(v) not in text for v in answers.values() if len(str(v)) > 3)


