"""A small real HTTP server (http.server on 127.0.0.1, a thread) that speaks the sync API the way
docs/API.md describes and misbehaves on purpose: 500s, slow answers, connections cut mid-upload.
It keeps what it received, so tests can check there is no loss and no duplicate."""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlparse

TOKEN = "test-token"
ATTACHMENT = re.compile(r"^/api/v1/submissions/([^/]+)/attachments/([^/]+)$")


class FakeServer:
    def __init__(self):
        self.lock = threading.Lock()
        self.submissions: dict[str, dict] = {}  # instance_id -> envelope
        self.files: dict[tuple[str, str], bytearray] = {}
        self.requests: list[tuple[str, str]] = []
        self.fail_posts = 0  # the next N POST /submissions answer 500
        self.cut_next_put_after: int | None = None  # keep this many bytes of the next PUT, then drop the line
        self.busy_puts = 0  # the next N PUTs answer 409 upload_busy (a cut upload still being read)
        self.put_errors: list[tuple[int, str]] = []  # the next PUTs answer these (status, code) errors
        self.slow_next = 0.0  # seconds to wait before answering the next request
        self.reject_answers: dict | None = None  # 422 fields for the next POST
        self.offline = False  # drop every connection without an answer (no network)
        self.ranges: list[str] = []  # the Content-Range of every PUT, in order
        self.not_modified = 0  # 304 answers given (forms list, feed)
        self.put_answer_says_missing = True  # PUT answers carry missing_attachments, as the real server's do
        self.feed_reports_forms = True  # the feed carries X-Forms-ETag, as the real server's does
        self.feed: dict[str | None, dict] = {None: {"cursor": "c0", "houses": [], "submissions": []}}
        self.forms = {"house": {"form_id": "house", "version": "1", "title": {"vi": "Nhà"}, "questions": []}}
        self.form_hash = {"house": "h1"}
        self.media: dict[tuple[str, str], bytes] = {}  # (form_id, file name) -> bytes
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def start(self) -> FakeServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def complete(self, iid: str, att: dict) -> bool:
        data = self.files.get((iid, att["name"]))
        return (
            data is not None
            and len(data) == att["size"]
            and hashlib.sha256(data).hexdigest() == att["sha256"]
        )

    def missing(self, iid: str) -> list[str]:
        return [a["name"] for a in self.submissions[iid]["attachments"] if not self.complete(iid, a)]

    def count(self, method: str, prefix: str) -> int:
        return sum(1 for m, p in self.requests if m == method and p.startswith(prefix))


def _handler(server: FakeServer) -> type[BaseHTTPRequestHandler]:
    return type("Handler", (_FakeHandler,), {"fake": server})


class _FakeHandler(BaseHTTPRequestHandler):
    """Answers like the real API, as the FakeServer in `fake` is set up to."""

    fake: FakeServer
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # keep test output clean
        pass

    def _send(self, status: int, body=None, headers: dict | None = None):
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        if body is not None:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _error(self, status: int, code: str, fields=None):
        err = {"code": code, "message": f"{code} (server wording, never parsed)"}
        if fields is not None:
            err["fields"] = fields
        self._send(status, {"error": err})

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _start(self) -> bool:
        url = urlparse(self.path)
        if self.fake.offline:
            self.close_connection = True
            self.connection.shutdown(2)
            return False
        self.fake.requests.append((self.command, url.path))
        if self.fake.slow_next:
            delay, self.fake.slow_next = self.fake.slow_next, 0.0
            time.sleep(delay)
        if url.path != "/api/v1/auth/token" and self.headers.get("Authorization") != f"Bearer {TOKEN}":
            self._body()
            self._error(401, "unauthorized")
            return False
        return True

    def do_POST(self):
        if not self._start():
            return
        path = urlparse(self.path).path
        if path == "/api/v1/auth/token":
            creds = json.loads(self._body())
            if creds.get("password") != "demo" or not creds.get("device_id"):
                return self._error(401, "bad_credentials")
            return self._send(
                201, {"token": TOKEN, "user": {"username": creds["username"], "org_unit": "20968"}}
            )
        if path != "/api/v1/submissions":
            return self._error(404, "not_found")
        envelope = json.loads(self._body())
        with self.fake.lock:
            if self.fake.fail_posts:
                self.fake.fail_posts -= 1
                return self._error(500, "internal_error")
            if self.fake.reject_answers is not None:
                fields, self.fake.reject_answers = self.fake.reject_answers, None
                return self._error(422, "invalid_answers", fields)
            iid = envelope["instance_id"]
            known = self.fake.submissions.get(iid)
            if known is not None and known != envelope:
                return self._error(409, "conflict")
            status = 200 if known is not None else 201
            self.fake.submissions[iid] = envelope
            missing = self.fake.missing(iid)
        self._send(status, {"instance_id": iid, "status": "received", "missing_attachments": missing})

    def do_HEAD(self):
        if not self._start():
            return
        match = ATTACHMENT.match(urlparse(self.path).path)
        key = match and (unquote(match[1]), unquote(match[2]))
        if not key or key[0] not in self.fake.submissions:
            return self._error(404, "not_found")
        self._send(200, None, {"Upload-Offset": str(len(self.fake.files.get(key, b"")))})

    def do_PUT(self):
        if not self._start():
            return
        match = ATTACHMENT.match(urlparse(self.path).path)
        iid, name = unquote(match[1]), unquote(match[2])
        att = next(
            (a for a in self.fake.submissions.get(iid, {}).get("attachments", []) if a["name"] == name), None
        )
        if att is None:
            self._body()
            return self._error(404, "not_found")
        if self.fake.busy_puts:
            self.fake.busy_puts -= 1
            self._body()
            return self._error(409, "upload_busy")
        if self.fake.put_errors:
            status, code = self.fake.put_errors.pop(0)
            self._body()
            return self._error(status, code)
        self.fake.ranges.append(self.headers["Content-Range"])
        start, end, total = map(
            int, re.match(r"bytes (\d+)-(\d+)/(\d+)", self.headers["Content-Range"]).groups()
        )
        length = int(self.headers["Content-Length"])
        with self.fake.lock:
            data = self.fake.files.setdefault((iid, name), bytearray())
            if start != len(data) or total != att["size"]:
                self.rfile.read(length)
                return self._send(
                    416,
                    {"error": {"code": "offset_mismatch", "message": ""}},
                    {"Upload-Offset": str(len(data))},
                )
            if self.fake.cut_next_put_after is not None:
                keep, self.fake.cut_next_put_after = self.fake.cut_next_put_after, None
                data.extend(self.rfile.read(keep))
                self.close_connection = True
                self.connection.shutdown(2)  # drop the line mid-upload: no answer at all
                return
            data.extend(self.rfile.read(length))
            if len(data) == total and hashlib.sha256(data).hexdigest() != att["sha256"]:
                data.clear()
                return self._error(422, "attachment_mismatch")
            offset = len(data)
            answer = {"instance_id": iid, "name": name, "offset": offset, "size": total,
                      "received": self.fake.complete(iid, att)}
            if self.fake.put_answer_says_missing:
                answer["missing_attachments"] = self.fake.missing(iid)
        self._send(200, answer, {"Upload-Offset": str(offset)})

    def _forms_listing(self) -> tuple[list, str]:
        listing = [
            {"form_id": k, "version": v["version"], "title": v["title"], "hash": self.fake.form_hash[k]}
            for k, v in self.fake.forms.items()
        ]
        return listing, '"' + hashlib.sha256(json.dumps(listing).encode()).hexdigest() + '"'

    def _etagged(self, body, etag: str, headers: dict | None = None):
        """200 with the ETag, or 304 when If-None-Match names it (as the real server does)."""
        headers = {"ETag": etag, **(headers or {})}
        if self.headers.get("If-None-Match") == etag:
            self.fake.not_modified += 1
            return self._send(304, None, headers)
        self._send(200, body, headers)

    def do_GET(self):
        if not self._start():
            return
        url = urlparse(self.path)
        if url.path == "/api/v1/sync":
            since = parse_qs(url.query).get("since", [None])[0]
            page = self.fake.feed.get(since, {"cursor": since, "houses": [], "submissions": []})
            forms = {"X-Forms-ETag": self._forms_listing()[1]} if self.fake.feed_reports_forms else {}
            return self._etagged(page, f'"{page["cursor"]}"', forms)
        if url.path == "/api/v1/forms":
            return self._etagged(*self._forms_listing())
        if "/media/" in url.path:
            form_id, name = url.path.removeprefix("/api/v1/forms/").split("/media/")
            data = self.fake.media.get((form_id, name))
            if data is None:
                return self._error(404, "not_found")
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return None
        form_id = url.path.rsplit("/", 1)[1]
        etag = f'"{self.fake.form_hash[form_id]}"'
        if self.headers.get("If-None-Match") == etag:
            return self._send(304, None, {"ETag": etag})
        self._send(200, self.fake.forms[form_id], {"ETag": etag})
