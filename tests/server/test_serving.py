"""The embedded server of `python -m server` keeps connections open (HTTP/1.1 keep-alive) when it is
safe: the real app, served by `server.serving` on 127.0.0.1, answers several requests over one TCP
connection, even after a request whose body the app never read; it closes when the client asks, or
when a body could not be drained."""

from __future__ import annotations

import http.client
import socket
import threading
import time

import pytest
from werkzeug.serving import make_server

from server import create_app
from server.extensions import db
from server.serving import KeepAliveHandler


@pytest.fixture
def served(tmp_path):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'test.db'}",
                      "INSTANCE_PATH": str(tmp_path / "instance"), "MEDIA_ROOT": str(tmp_path / "media"),
                      "SECRET_KEY": "test-secret"})
    with app.app_context():
        db.create_all()
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=KeepAliveHandler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def ask(conn: http.client.HTTPConnection, method: str, path: str, body: bytes | None = None, **headers):
    conn.request(method, path, body=body, headers=headers)
    resp = conn.getresponse()
    return resp, resp.read()


def test_two_requests_share_one_connection(served):
    conn = http.client.HTTPConnection("127.0.0.1", served, timeout=10)
    first, body = ask(conn, "GET", "/api/v1/openapi.json")
    sock = conn.sock
    assert first.status == 200 and len(body) == int(first.getheader("Content-Length"))
    assert first.getheader("Connection") is None and sock is not None
    second, body = ask(conn, "GET", "/api/v1/forms")  # anonymous: a 401 JSON error, same connection
    assert second.status == 401 and b"unauthorized" in body
    assert conn.sock is sock and second.getheader("Connection") is None
    conn.close()


def test_a_body_the_app_did_not_read_is_not_taken_for_the_next_request(served):
    conn = http.client.HTTPConnection("127.0.0.1", served, timeout=10)
    refused, _ = ask(conn, "POST", "/api/v1/submissions", b"x" * 200_000, **{"Content-Type": "text/plain"})
    assert refused.status in (401, 415)  # refused before its body was read
    sock = conn.sock
    assert sock is not None and refused.getheader("Connection") is None  # kept open, body drained
    again, body = ask(conn, "GET", "/api/v1/openapi.json")
    assert again.status == 200 and body.startswith(b"{") and conn.sock is sock
    conn.close()


def test_the_connection_closes_when_the_client_asks(served):
    conn = http.client.HTTPConnection("127.0.0.1", served, timeout=10)
    resp, _ = ask(conn, "GET", "/api/v1/openapi.json", Connection="close")
    assert resp.status == 200 and resp.getheader("Connection") == "close"
    conn.close()


def test_a_chunked_request_body_ends_the_connection(served):
    with socket.create_connection(("127.0.0.1", served), timeout=10) as s:
        s.sendall(b"POST /api/v1/auth/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  b"Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n")
        answer = b""
        while chunk := s.recv(65536):  # the server closes after its answer: recv ends
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 ") and b"Connection: close" in answer


def test_a_kept_connection_answers_without_waiting_for_the_clients_ack(served):
    """Headers and body leave in two writes; with Nagle's algorithm on, the body of every answer on a
    kept connection would wait for the client's delayed ACK (~40 ms on Linux)."""
    conn = http.client.HTTPConnection("127.0.0.1", served, timeout=10)
    ask(conn, "GET", "/api/v1/forms")
    times = []
    for _ in range(9):
        started = time.perf_counter()
        resp, _ = ask(conn, "GET", "/api/v1/forms")
        times.append(time.perf_counter() - started)
        assert resp.status == 401
    assert sorted(times)[4] < 0.025, times
    conn.close()
