"""The embedded server of `python -m server` (werkzeug, threaded) with HTTP/1.1 keep-alive.

werkzeug's own handler ends every connection (`Connection: close`), because after an answer it
reads whatever is left on the socket to throw away an unread request body, and on a kept
connection that would swallow the next request. On a phone link every new connection costs a round
trip (0.3 s on EDGE) before the first byte, so this handler keeps the connection when that is
safe: the request body had a Content-Length and is read to its end (what the app left unread is
read and dropped here, up to `DRAIN_LIMIT`), and the answer is framed (Content-Length, or chunked,
which werkzeug ends properly). Otherwise it closes as werkzeug does. An idle connection is closed
after `timeout` seconds. Production runs gunicorn instead (docs/production.md).
"""

from __future__ import annotations

import io
import socket
from typing import Any

from werkzeug.serving import WSGIRequestHandler, make_server

DRAIN_LIMIT = 32 * 1024 * 1024  # an unread body larger than this ends the connection instead
_BODY = "maiam.keepalive.body"


class _Body(io.RawIOBase):
    """The request body as the app reads it: counted, so the rest can be drained after the answer."""

    def __init__(self, raw, length: int):
        self.raw, self.left = raw, length

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        data = self.read(len(b))
        b[: len(data)] = data
        return len(data)

    def read(self, size: int | None = -1) -> bytes:
        size = self.left if size is None or size < 0 else min(size, self.left)
        data = self.raw.read(size) if size else b""
        self.left -= len(data)
        return data

    def readline(self, size: int | None = -1) -> bytes:
        size = self.left if size is None or size < 0 else min(size, self.left)
        data = self.raw.readline(size) if size else b""
        self.left -= len(data)
        return data

    def drain(self, limit: int) -> bool:
        """Read and drop what the app left; False when that is too much or the client went away."""
        if self.left > limit:
            return False
        while self.left:
            if not self.read(min(self.left, 65536)):
                return False
        return True


class _Socket:
    """The connection's read side; after a kept answer it reads nothing, so werkzeug's clean-up
    (which reads the socket until it is quiet) cannot swallow the client's next request."""

    def __init__(self, raw):
        self.raw = raw
        self.kept = False

    def read(self, size: int | None = -1) -> bytes:
        return b"" if self.kept else self.raw.read(size)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.raw, name)


class KeepAliveHandler(WSGIRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 60  # seconds an idle kept connection (or a stalled upload) waits for the client

    def setup(self) -> None:
        super().setup()
        self.rfile = _Socket(self.rfile)  # type: ignore[assignment]
        try:  # headers and body go out in separate writes: without this, on a kept connection the
            # body waits for the client's delayed ACK of the headers (~40 ms per answer)
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass  # not TCP (a Unix socket)

    def handle_one_request(self) -> None:
        self.rfile.kept = False  # type: ignore[attr-defined]
        self._framed = False
        self._status = 0
        self.environ = {}
        super().handle_one_request()

    def send_response(self, code: int, message: str | None = None) -> None:
        self._status = code
        super().send_response(code, message)

    def make_environ(self):
        environ = super().make_environ()
        length = environ.get("CONTENT_LENGTH", "")
        if environ.get("wsgi.input_terminated") or not (length == "" or length.isdigit()):
            return environ  # a chunked or odd body: this connection closes after the answer
        body = _Body(self.rfile.raw, int(length or 0))  # type: ignore[attr-defined]
        environ["wsgi.input"] = environ[_BODY] = body
        return environ

    def send_header(self, keyword: str, value: str) -> None:
        key = keyword.lower()
        if key in ("content-length", "transfer-encoding"):
            self._framed = True
        if key == "connection" and value.lower() == "close" and self._keep():
            self.rfile.kept = True  # type: ignore[attr-defined]
            return  # werkzeug's "Connection: close" is not sent: the connection stays open
        super().send_header(keyword, value)

    def _keep(self) -> bool:
        if self.close_connection:  # the client asked to close, or spoke HTTP/1.0
            return False
        body = self.environ.get(_BODY)
        framed = self._framed or self.command == "HEAD" or self._status in (204, 304) or self._status < 200
        return body is not None and framed and body.drain(DRAIN_LIMIT)


def serve(host: str, port: int, app) -> None:
    """Serve `app` until interrupted: a thread per connection, connections kept between requests."""
    server = make_server(host, port, app, threaded=True, request_handler=KeepAliveHandler)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
