"""The background runner (mobile/core/sync_runner.py): one sync at a time in its own thread, answers saved
while it runs, a crash reported (not lost), against the fake server on 127.0.0.1."""

from __future__ import annotations

from mobile.core.sync_client import SyncClient
from mobile.core.sync_runner import SyncRunner
from tests.mobile.core.test_outbox import queue
from tests.mobile.core.test_sync_client import photos


def test_runner_syncs_in_a_background_thread_one_run_at_a_time(store, outbox, server, client):
    for _ in range(3):
        queue(store, outbox, photos=photos(store, "DSCN0040.jpg"))
    done = []
    runner = SyncRunner(client, on_done=done.append)
    assert runner.start()
    assert not runner.start() or not runner.running  # a second press while running does nothing
    result = runner.join(30)
    assert result.sent == 3 and done == [result]
    assert outbox.counts()["sent"] == 3 and len(server.submissions) == 3
    assert [e.done for e in client.events if e.kind == "item"] == [1, 2, 3]


def test_answers_saved_while_a_sync_runs_in_the_background(store, outbox, server, client):
    for _ in range(4):
        queue(store, outbox, photos=photos(store, "iphone_hdr_NO.jpg"))
    draft_id = store.create_draft("house", "1")
    runner = SyncRunner(client)
    runner.start()
    saved = 0
    while runner.running or saved < 50:
        store.save_answer(draft_id, f"q{saved}", saved)
        saved += 1
    assert runner.join(30).sent == 4
    assert store.get_draft(draft_id).answers == {f"q{i}": i for i in range(saved)}


def test_a_crash_inside_a_background_sync_is_reported_not_lost(store, caplog):
    import logging

    class Crashing(SyncClient):
        def sync_once(self):
            raise RuntimeError("the disk went away")

    client = Crashing(store)
    client.events = []
    client.on_event = client.events.append
    caplog.set_level(logging.INFO, logger="mobile.core.sync_client")
    runner = SyncRunner(client)
    assert runner.start()
    result = runner.join(30)
    assert result is not None and result.errors == ["unknown"]
    (event,) = [e for e in client.events if e.kind == "error"]
    assert "RuntimeError" in event.message and event.code == "unknown"
    assert "sync crashed: RuntimeError" in [r.getMessage() for r in caplog.records]
