"""A slow link on loopback: a TCP proxy on 127.0.0.1 that forwards the phone's bytes to the server at
a fixed rate (e.g. 200 kbit/s, a 2G/EDGE upload), the server's answers at full speed. Shared by the
outbox UI test and the send-time measurement (bench/mobile_link.py)."""

from __future__ import annotations

import socket
import threading
import time


class ThrottlingProxy:
    def __init__(self, target_host: str, target_port: int, bits_per_second: float):
        self.target = (target_host, target_port)
        self.rate = bits_per_second / 8.0  # bytes per second, shared by every connection (one link)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.lock = threading.Lock()
        self.next_free = time.monotonic()
        self.forwarded_up = 0
        self.closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        self.closed = True
        self.listener.close()

    def _wait_for_link(self, nbytes: int) -> None:
        with self.lock:
            start = max(time.monotonic(), self.next_free)
            self.next_free = start + nbytes / self.rate
            self.forwarded_up += nbytes
            wake = self.next_free
        delay = wake - time.monotonic()
        if delay > 0:
            time.sleep(delay)

    def _accept(self) -> None:
        while not self.closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            threading.Thread(target=self._pump, args=(client, upstream, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, False), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, up: bool) -> None:
        try:
            while True:
                data = src.recv(2048 if up else 65536)
                if not data:
                    break
                if up:
                    self._wait_for_link(len(data))
                dst.sendall(data)
        except OSError:
            pass
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()
