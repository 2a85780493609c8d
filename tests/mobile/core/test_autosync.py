"""AutoSync: when the app syncs by itself (waiting surveys whose backoff passed; a periodic pull)."""

from __future__ import annotations

from mobile.core import store as st
from mobile.core.autosync import AutoSync
from tests.mobile.core.test_outbox import queue


def signed_in(store):
    store.set_setting(st.TOKEN, "t")
    return store


def test_nothing_to_do_until_the_pull_interval(store, outbox, clock):
    auto = AutoSync(signed_in(store), outbox, clock=clock, pull_every=1800)
    assert not auto.due(running=False)
    clock.advance(1799)
    assert not auto.due(running=False)
    clock.advance(1)
    assert auto.due(running=False)
    auto.attempted()
    assert not auto.due(running=False)


def test_a_waiting_survey_is_sent_at_once_then_only_after_its_backoff(store, outbox, clock):
    auto = AutoSync(signed_in(store), outbox, clock=clock)
    _, item = queue(store, outbox)
    assert auto.due(running=False)
    assert not auto.due(running=True)  # one sync at a time
    auto.attempted()
    outbox.move(item.instance_id, "sending")
    outbox.retry_later(item.instance_id, "network")  # no signal: the outbox backs off
    wait = outbox.get(item.instance_id).next_attempt_at - clock.now
    assert wait > 0 and not auto.due(running=False)
    clock.advance(wait)
    assert auto.due(running=False)


def test_never_without_a_sign_in(store, outbox, clock):
    auto = AutoSync(store, outbox, clock=clock, pull_every=10)
    queue(store, outbox)
    clock.advance(100)
    assert not auto.due(running=False)
