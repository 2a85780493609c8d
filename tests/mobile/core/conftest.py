"""Fixtures of the phone core tests: a real store in a temporary folder, a fake clock, prepared photos, and a
sync client signed in to a fake server on 127.0.0.1 (tests/mobile/core/fake_server.py)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import pytest

from mobile.core.outbox import Outbox
from mobile.core.store import Store
from mobile.core.sync_client import SyncClient
from mobile.core.transport import RequestsTransport
from tests.mobile.core.fake_server import FakeServer

VN = timezone(timedelta(hours=7))


class FakeClock:
    """Seconds since the epoch that only move when a test says so."""

    def __init__(self, start: float = 1_800_000_000.0):
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds

    def datetime(self) -> datetime:
        return datetime.fromtimestamp(self.now, VN)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store(tmp_path, clock):
    s = Store(tmp_path / "data", clock=clock.datetime)
    yield s
    s.close()


@pytest.fixture
def outbox(store, clock):
    return Outbox(store, clock=clock, rng=random.Random(4))


@pytest.fixture
def server():
    srv = FakeServer().start()
    yield srv
    srv.stop()


@pytest.fixture
def client(store, outbox, server):
    transport = RequestsTransport()
    c = SyncClient(store, outbox, transport=transport, chunk_size=64 * 1024, timeout=5)
    c.events = []
    c.on_event = c.events.append
    c.login(server.url, "volunteer", "demo")
    yield c
    transport.close()
