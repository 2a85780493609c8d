"""A slow mobile link on loopback: a TCP proxy on 127.0.0.1 that adds latency, limits the bandwidth of
each direction and, in one mode, cuts a share of the connections mid-stream.

Each direction is a queue of 1460-byte packets: a packet leaves when the link is free
(`bytes * 8 / bits_per_s` after the one before it) and arrives half a round trip later; a new
connection sends its first byte one round trip after it opened (the TCP handshake). A cut closes both
sides at once (the phone and the server both see the connection end) and drops what was still on the
way. `sent_up` counts the bytes that went onto the link from the phone's side, cut or not: the bytes
the phone paid for. Used by `bench/slow_link.py`; run by hand, never in the test suite (a smoke test
checks that it forwards, delays and cuts).
"""

from __future__ import annotations

import asyncio
import random
import threading
from collections import deque
from dataclasses import dataclass

PACKET = 1460


@dataclass(frozen=True)
class Link:
    name: str
    bits_per_s: float
    rtt_s: float
    cut_share: float = 0.0  # share of connections cut once they have sent a random number of bytes
    cut_within: int = 300_000  # a doomed connection is cut after uniform(200, cut_within) bytes upstream

    def seconds(self, nbytes: int) -> float:
        return nbytes * 8 / self.bits_per_s


EDGE = Link("EDGE", 200_000, 0.300)
THREE_G = Link("3G", 1_000_000, 0.100)
CUTTING = Link("3G, 20% cut", 1_000_000, 0.100, cut_share=0.2)
LINKS = {"edge": EDGE, "3g": THREE_G, "cut": CUTTING}


class _Direction:
    """One direction of one connection: paced packets, delivered after half a round trip."""

    def __init__(self, proxy: ThrottlingProxy, conn: _Connection, writer: asyncio.StreamWriter, start: float):
        self.proxy, self.conn, self.writer = proxy, conn, writer
        self.free_at = start  # when the link can start the next packet
        self.packets: deque[tuple[float, float, bytes]] = deque()  # (leaves, arrives, data)
        self.ready = asyncio.Event()
        self.eof = False

    def push(self, data: bytes, up: bool) -> None:
        loop = asyncio.get_running_loop()
        link = self.proxy.link
        for i in range(0, len(data), PACKET):
            packet = data[i:i + PACKET]
            if up and self.conn.cut_at is not None and self.conn.up_bytes + len(packet) > self.conn.cut_at:
                packet = packet[: max(0, self.conn.cut_at - self.conn.up_bytes)]
                leaves = max(loop.time(), self.free_at) + link.seconds(len(packet))
                self.free_at = leaves
                self.conn.up_bytes += len(packet)
                self.proxy.sent_up += len(packet)
                loop.call_at(leaves, self.conn.cut)
                return
            leaves = max(loop.time(), self.free_at) + link.seconds(len(packet))
            self.free_at = leaves
            self.packets.append((leaves, leaves + link.rtt_s / 2, packet))
            if up:
                self.conn.up_bytes += len(packet)
                self.proxy.sent_up += len(packet)
            else:
                self.proxy.sent_down += len(packet)
        self.ready.set()

    async def deliver(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            while True:
                while not self.packets:
                    if self.eof:
                        if self.writer.can_write_eof():
                            self.writer.write_eof()
                        return
                    self.ready.clear()
                    await self.ready.wait()
                arrives = self.packets[0][1]
                if arrives > loop.time():
                    await asyncio.sleep(arrives - loop.time())
                out = bytearray()
                while self.packets and self.packets[0][1] <= loop.time():
                    out += self.packets.popleft()[2]
                self.writer.write(bytes(out))
                await self.writer.drain()
        except (ConnectionError, OSError):
            self.conn.cut()


class _Connection:
    def __init__(self, proxy: ThrottlingProxy, cut_at: int | None):
        self.proxy = proxy
        self.cut_at = cut_at
        self.up_bytes = 0
        self.writers: list[asyncio.StreamWriter] = []
        self.tasks: list[asyncio.Task] = []
        self.closed = False

    def cut(self) -> None:
        if self.closed:
            return
        self.closed = True
        self.proxy.cuts += 1
        for w in self.writers:
            w.close()
        for task in self.tasks:
            task.cancel()

    async def pump(self, reader: asyncio.StreamReader, direction: _Direction, up: bool) -> None:
        try:
            while not self.closed:
                data = await reader.read(65536)
                if not data:
                    break
                direction.push(data, up)
        except (ConnectionError, OSError):
            pass
        direction.eof = True
        direction.ready.set()


class ThrottlingProxy:
    """`ThrottlingProxy(target_port, link).start()`; `url`, then `stop()`. Counters: `connections`,
    `cuts`, `sent_up` and `sent_down` (bytes put on the link by the phone and by the server)."""

    def __init__(self, target_port: int, link: Link, seed: int = 1, target_host: str = "127.0.0.1"):
        self.target = (target_host, target_port)
        self.link = link
        self.rng = random.Random(seed)
        self.connections = self.cuts = self.sent_up = self.sent_down = 0
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._started = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="throttling-proxy")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ThrottlingProxy:
        self._thread.start()
        self._started.wait(10)
        return self

    def stop(self) -> None:
        async def _stop() -> None:
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            self._loop.stop()

        asyncio.run_coroutine_threadsafe(_stop(), self._loop)
        self._thread.join(10)

    def reset_counters(self) -> None:
        self.connections = self.cuts = self.sent_up = self.sent_down = 0

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(asyncio.start_server(self._handle, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        self._started.set()
        self._loop.run_forever()
        server.close()
        self._loop.run_until_complete(server.wait_closed())
        self._loop.close()

    async def _handle(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        self.connections += 1
        doomed = self.link.cut_share and self.rng.random() < self.link.cut_share
        conn = _Connection(self, self.rng.randint(200, self.link.cut_within) if doomed else None)
        opened = asyncio.get_running_loop().time()
        try:
            server_r, server_w = await asyncio.open_connection(*self.target)
        except OSError:
            client_w.close()
            return
        conn.writers = [client_w, server_w]
        up = _Direction(self, conn, server_w, opened + self.link.rtt_s)  # data after the handshake
        down = _Direction(self, conn, client_w, opened + self.link.rtt_s)
        conn.tasks = [asyncio.ensure_future(t) for t in (
            conn.pump(client_r, up, True), conn.pump(server_r, down, False), up.deliver(), down.deliver())]
        try:
            await asyncio.gather(*conn.tasks, return_exceptions=True)
        except asyncio.CancelledError:
            pass  # the proxy is stopping
        for w in conn.writers:
            w.close()
