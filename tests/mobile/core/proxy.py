"""A real TCP proxy on 127.0.0.1 that can cut the line: once armed, it forwards N more bytes from
the phone to the server and then drops both sides of that connection, like a lost 2G signal."""

from __future__ import annotations

import socket
import threading


class CuttingProxy:
    def __init__(self, target_host: str, target_port: int):
        self.target = (target_host, target_port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.lock = threading.Lock()
        self.budget: int | None = None  # bytes still allowed upstream before the cut
        self.cuts = 0
        self.connections = 0  # TCP connections the phone opened through the proxy
        self.forwarded_up = 0
        self.closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def cut_after(self, nbytes: int) -> None:
        with self.lock:
            self.budget = nbytes

    def close(self) -> None:
        self.closed = True
        self.listener.close()

    def _accept(self) -> None:
        while not self.closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
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
                data = src.recv(65536)
                if not data:
                    break
                cut = False
                if up:
                    with self.lock:
                        if self.budget is not None and len(data) > self.budget:
                            data, cut = data[: self.budget], True
                            self.budget = None
                            self.cuts += 1
                        elif self.budget is not None:
                            self.budget -= len(data)
                        self.forwarded_up += len(data)
                if data:
                    dst.sendall(data)
                if cut:
                    break
        except OSError:
            pass
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()
