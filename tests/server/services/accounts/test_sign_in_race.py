"""Parallel password guesses against a real HTTP server on 127.0.0.1 (threads, one database session
per request, SQLite and PostgreSQL): no more password checks than the throttle allows."""

from __future__ import annotations

import threading

import requests
import sqlalchemy as sa
from werkzeug.serving import make_server

from server.extensions import db
from server.models import LoginFailure

GUESSES = 40


def test_forty_parallel_guesses_get_at_most_the_allowed_password_checks(app, make_user):
    make_user("lan")
    allowed = app.config["LOGIN_FAILURES_ALLOWED"]
    server = make_server("127.0.0.1", 0, app, threaded=True)
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    serving.start()
    url = f"http://127.0.0.1:{server.server_port}/api/v1/auth/token"
    start = threading.Barrier(GUESSES)
    statuses: list[int] = []

    def guess(i: int) -> None:
        start.wait()
        r = requests.post(url, json={"username": "lan", "password": f"guess-{i:04d}"}, timeout=120)
        statuses.append(r.status_code)

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(GUESSES)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=180)
    finally:
        server.shutdown()
        serving.join(timeout=10)
    db.session.remove()
    checked = db.session.scalar(sa.select(sa.func.count()).select_from(LoginFailure))
    assert len(statuses) == GUESSES and set(statuses) <= {401, 429}
    assert statuses.count(401) == checked <= allowed
    assert statuses.count(429) == GUESSES - checked
