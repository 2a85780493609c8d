"""bench/throttle.py's slow-link proxy works (the benchmark itself runs by hand): it forwards both
ways, paces by bandwidth with the handshake and the latency, counts, and cuts a doomed connection."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from bench.throttle import Link, ThrottlingProxy


@pytest.fixture
def echo():
    """A TCP server on 127.0.0.1 that sends back every byte it gets."""
    listener = socket.create_server(("127.0.0.1", 0))

    def serve():
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                while data := conn.recv(65536):
                    conn.sendall(data)

    threading.Thread(target=serve, daemon=True).start()
    yield listener.getsockname()[1]
    listener.close()


def exchange(port: int, payload: bytes) -> bytes:
    got = b""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(payload)
        s.shutdown(socket.SHUT_WR)
        while chunk := s.recv(65536):
            got += chunk
    return got


def test_forwards_paced_by_bandwidth_and_latency(echo):
    link = Link("test", bits_per_s=8_000_000, rtt_s=0.05)
    proxy = ThrottlingProxy(echo, link).start()
    try:
        payload = bytes(range(256)) * 400  # 102,400 bytes: ~0.1 s each way at 8 Mbit/s
        started = time.perf_counter()
        assert exchange(proxy.port, payload) == payload
        took = time.perf_counter() - started
        # the handshake, the transfer, half a round trip up and half down (the echo overlaps the two
        # transfers), never faster than the link
        assert took >= link.rtt_s + link.seconds(len(payload)) + link.rtt_s - 0.005
        assert (proxy.connections, proxy.cuts, proxy.sent_up, proxy.sent_down) == (1, 0, len(payload), len(payload))
    finally:
        proxy.stop()


def test_a_doomed_connection_is_cut_mid_stream(echo):
    proxy = ThrottlingProxy(echo, Link("cutting", 8_000_000, 0.01, cut_share=1.0, cut_within=20_000)).start()
    try:
        payload = b"x" * 100_000
        got = exchange(proxy.port, payload)
        assert proxy.cuts == 1 and 200 <= proxy.sent_up <= 20_000
        assert len(got) < proxy.sent_up + 1  # nothing came back that did not go up before the cut
    finally:
        proxy.stop()
