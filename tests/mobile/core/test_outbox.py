"""The outbox state machine and its retry schedule (fake clock, seeded random)."""

from __future__ import annotations

import random

import pytest

from mobile.core.feed import apply_feed
from mobile.core.outbox import (
    TRANSITIONS,
    Outbox,
    TransitionError,
    backoff_delay,
)
from mobile.core.photos import prepare_photo
from mobile.core.store import StoreError
from tests.conftest import PHOTOS


def queue(store, outbox, answers=None, photos=()):
    draft_id = store.create_draft("house_assessment", "1", house_id="H7", answers=answers or {"a": 1})
    draft = store.get_draft(draft_id)
    attachments = []
    for info in photos:
        name = store.add_photo(info)
        attachments.append(
            {"name": name, "sha256": info.sha256, "size": info.size, "content_type": "image/jpeg"}
        )
    envelope = {
        "instance_id": draft.instance_id,
        "form_id": draft.form_id,
        "form_version": draft.form_version,
        "house_id": draft.house_id,
        "created_at": draft.created_at,
        "answers": draft.answers,
        "attachments": attachments,
    }
    return draft_id, outbox.enqueue(draft_id, envelope, "hash")


def test_enqueue_finishes_the_draft_in_one_step_and_is_idempotent(store, outbox):
    draft_id, item = queue(store, outbox)
    assert item.state == "queued" and item.attempts == 0 and item.house_id == "H7"
    assert store.get_draft(draft_id).status == "finished"
    assert store.list_drafts() == []
    again = outbox.enqueue(draft_id, item.envelope, "hash")
    assert again.instance_id == item.instance_id and len(outbox.items()) == 1
    assert outbox.counts()["queued"] == 1 and outbox.counts()["drafts"] == 0


def test_transitions_follow_the_table(store, outbox):
    _, item = queue(store, outbox)
    iid = item.instance_id
    with pytest.raises(TransitionError):
        outbox.move(iid, "sent")  # queued -> sent skips sending
    outbox.move(iid, "sending")
    outbox.move(iid, "waiting_photos", server_status="received")
    with pytest.raises(TransitionError):
        outbox.move(iid, "queued")
    outbox.move(iid, "sent")
    with pytest.raises(TransitionError):
        outbox.move(iid, "sending")
    assert TRANSITIONS["sent"] == frozenset()
    assert outbox.get(iid).sent_at is not None and outbox.get(iid).server_status == "received"


def test_draft_row_stays_until_the_server_confirmed(store, outbox):
    draft_id, item = queue(store, outbox)
    outbox.move(item.instance_id, "sending")
    outbox.move(item.instance_id, "queued", error="network")
    assert store.get_draft(draft_id).status == "finished"  # still there while unconfirmed
    outbox.move(item.instance_id, "sending")
    outbox.move(item.instance_id, "sent")
    with pytest.raises(StoreError):
        store.get_draft(draft_id)
    assert outbox.get(item.instance_id).envelope["answers"] == {"a": 1}  # the sent record remains


def test_backoff_is_exponential_with_full_jitter():
    rng = random.Random(1)
    for attempts in range(1, 12):
        ceiling = min(3600, 10 * 2 ** (attempts - 1))
        delays = [backoff_delay(attempts, rng) for _ in range(200)]
        assert all(0 <= d <= ceiling for d in delays)
        assert max(delays) > ceiling * 0.8  # jitter spreads over the whole window
        assert min(delays) < ceiling * 0.2
    assert backoff_delay(500, rng) <= 3600


def test_retry_later_schedules_and_due_respects_the_clock(store, outbox, clock):
    _, item = queue(store, outbox)
    iid = item.instance_id
    outbox.move(iid, "sending")
    at = outbox.retry_later(iid, "server_error")
    got = outbox.get(iid)
    assert got.state == "queued" and got.attempts == 1 and got.last_error == "server_error"
    assert clock.now <= at <= clock.now + 10
    if at > clock.now:
        assert outbox.due() == []
    clock.advance(at - clock.now)
    assert [i.instance_id for i in outbox.due()] == [iid]
    windows = []
    for _ in range(5):
        outbox.move(iid, "sending")
        before = clock.now
        at = outbox.retry_later(iid, "timeout")
        windows.append(at - before)
        clock.advance(at - before)
    assert outbox.get(iid).attempts == 6
    assert all(w <= 10 * 2 ** (n + 1) for n, w in enumerate(windows))
    outbox.move(iid, "sending")
    outbox.move(iid, "sent")
    assert outbox.get(iid).attempts == 0 and outbox.due() == []


def test_waiting_photos_retries_in_place_and_attachments_track_bytes(store, outbox, tmp_path):
    info = prepare_photo(PHOTOS / "DSCN0010.jpg", store.photo_dir)
    _, item = queue(store, outbox, answers={"photo": info.name}, photos=[info])
    iid = item.instance_id
    outbox.move(iid, "sending")
    outbox.move(iid, "waiting_photos")
    outbox.set_attachment(iid, info.name, uploaded_bytes=1000, state="uploading")
    outbox.retry_later(iid, "network")
    assert outbox.get(iid).state == "waiting_photos"
    (att,) = outbox.attachments(iid)
    assert (att.uploaded_bytes, att.state, att.size) == (1000, "uploading", info.size)
    assert outbox.attachment_path(att) == str(info.path)


def test_422_turns_the_item_back_into_an_editable_draft(store, outbox):
    draft_id, item = queue(store, outbox)
    outbox.move(item.instance_id, "sending")
    back = outbox.reopen_as_draft(item.instance_id, [{"field": "a", "code": "constraint", "message": "x"}])
    assert back == draft_id
    draft = store.get_draft(draft_id)
    assert draft.status == "editing" and draft.errors[0]["field"] == "a"
    assert outbox.items() == []
    store.save_answer(draft_id, "a", 2)  # editable again


def test_recover_puts_interrupted_sends_back_in_the_queue(store, outbox):
    _, item = queue(store, outbox)
    outbox.move(item.instance_id, "sending")
    fresh = Outbox(store)
    assert fresh.recover() == 1 and fresh.get(item.instance_id).state == "queued"


def test_photos_in_use_are_kept_and_sent_ones_collected(store, outbox):
    one = prepare_photo(PHOTOS / "DSCN0010.jpg", store.photo_dir)
    two = prepare_photo(PHOTOS / "DSCN0021.jpg", store.photo_dir)
    draft_id = store.create_draft("f", "1", answers={"p": store.add_photo(one)})
    _, item = queue(store, outbox, answers={"p": two.name}, photos=[two])
    assert store.collect_photos() == 0
    outbox.move(item.instance_id, "sending")
    outbox.move(item.instance_id, "sent")
    assert store.collect_photos() == 0  # sent but not yet reviewed: it may come back for changes
    apply_feed(store, {"submissions": [{"instance_id": item.instance_id, "review_status": "approved"}]})
    assert store.collect_photos() == 1
    assert one.path.exists() and not two.path.exists()
    assert store.get_draft(draft_id).answers == {"p": one.name}
