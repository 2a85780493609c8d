"""HTTP behind a small interface, so the sync logic runs against `requests` or anything else.

A transport only moves bytes: it returns every HTTP status as a `Response` and turns network
trouble (no route, refused, reset mid-upload, timeout) into `TransportError` with a stable code
(`network`, `timeout` or `bad_url`). It never raises anything else for network conditions.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

import requests

from mobile.core.i18n import CodedError


class TransportError(CodedError):
    """The request did not get an HTTP answer; `code` is `network` or `timeout` (i18n error codes)."""


class BadResponse(ValueError):
    code = "bad_response"


@dataclass
class Response:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)  # keys lower-case

    def header(self, name: str, default: str | None = None) -> str | None:
        return self.headers.get(name.lower(), default)

    def json(self):
        if not self.body:
            return None
        try:
            return json.loads(self.body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise BadResponse(f"HTTP {self.status}: not JSON") from exc


class Transport(Protocol):
    def request(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str] | None = None,
        body: bytes | None = None,
        timeout: float = 30.0,
    ) -> Response: ...


class RequestsTransport:
    """The real transport: one `requests.Session` (keep-alive), no retries of its own."""

    def __init__(self, session: requests.Session | None = None):
        self.session = session or requests.Session()

    def request(self, method, url, headers=None, body=None, timeout=30.0) -> Response:
        try:
            resp = self.session.request(method, url, headers=dict(headers or {}), data=body, timeout=timeout)
            content = resp.content
        except (
            requests.exceptions.InvalidURL,
            requests.exceptions.MissingSchema,
            requests.exceptions.InvalidSchema,
        ) as exc:
            raise TransportError("bad_url", str(exc)) from exc
        except requests.Timeout as exc:
            raise TransportError("timeout", str(exc)) from exc
        except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as exc:
            raise TransportError("network", str(exc)) from exc
        except requests.RequestException as exc:
            raise TransportError("network", str(exc)) from exc
        return Response(resp.status_code, content, {k.lower(): v for k, v in resp.headers.items()})

    def close(self) -> None:
        self.session.close()
