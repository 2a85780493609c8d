"""The server's HTTP API as the phone uses it (docs/API.md), one method per call.

Errors come back as `ApiError(code, status, fields)`: the code is the server's stable
`{"error": {"code"}}` when it sent one, else derived from the HTTP status. Messages are never parsed.
"""

from __future__ import annotations

import json
from urllib.parse import quote, urlencode

from mobile.core.transport import BadResponse, Response, Transport

API = "/api/v1"

STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    409: "conflict",
    413: "too_large",
    422: "invalid_request",
}
RETRYABLE_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})


class ApiError(Exception):
    def __init__(self, status: int, code: str, fields: list | dict | None = None, message: str = ""):
        super().__init__(f"HTTP {status} {code}: {message}")
        self.status = status
        self.code = code
        self.fields = fields
        self.message = message

    @property
    def retryable(self) -> bool:
        return self.status in RETRYABLE_STATUS or self.status >= 500


def api_error(resp: Response) -> ApiError:
    code = STATUS_CODES.get(resp.status, "server_error" if resp.status >= 500 else "bad_request")
    fields = None
    message = ""
    try:
        body = resp.json()
    except BadResponse:
        body = None
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        err = body["error"]
        code = str(err.get("code") or code)
        fields = err.get("fields")
        message = str(err.get("message") or "")
    if resp.status >= 500:
        code = "server_error" if code in ("bad_request", "internal_error", "internal") else code
    return ApiError(resp.status, code, fields, message)


class ApiClient:
    def __init__(self, base_url: str, transport: Transport, token: str | None = None, timeout: float = 30.0):
        self.base_url = base_url.rstrip("/")
        self.transport = transport
        self.token = token
        self.timeout = timeout

    # ---- plumbing ---------------------------------------------------------------------------------
    def url(self, path: str, query: dict | None = None) -> str:
        url = f"{self.base_url}{API}{path}"
        query = {k: v for k, v in (query or {}).items() if v is not None}
        return f"{url}?{urlencode(query)}" if query else url

    def call(
        self,
        method: str,
        path: str,
        *,
        body: bytes | None = None,
        headers: dict | None = None,
        query: dict | None = None,
        ok: tuple[int, ...] = (200, 201),
    ) -> Response:
        all_headers = {"Accept": "application/json"}
        if self.token:
            all_headers["Authorization"] = f"Bearer {self.token}"
        all_headers.update(headers or {})
        resp = self.transport.request(
            method, self.url(path, query), headers=all_headers, body=body, timeout=self.timeout
        )
        if resp.status not in ok:
            raise api_error(resp)
        return resp

    def call_json(self, method: str, path: str, payload=None, **kw):
        body = None
        if payload is not None:
            body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
            kw.setdefault("headers", {})["Content-Type"] = "application/json"
        resp = self.call(method, path, body=body, **kw)
        return resp.status, resp.json()

    # ---- endpoints --------------------------------------------------------------------------------
    def login(self, username: str, password: str, device_id: str | None = None) -> dict:
        _, body = self.call_json(
            "POST", "/auth/token", {"username": username, "password": password, "device_id": device_id}
        )
        if not isinstance(body, dict) or not body.get("token"):
            raise BadResponse("login answer without a token")
        return body

    def change_password(self, username: str, password: str, new_password: str,
                        device_id: str | None = None) -> dict:
        """A new password (replacing a one-time one) and a token in one call (docs/API.md)."""
        _, body = self.call_json("POST", "/auth/password", {"username": username, "password": password,
                                                            "new_password": new_password, "device_id": device_id})
        if not isinstance(body, dict) or not body.get("token"):
            raise BadResponse("password answer without a token")
        return body

    def enrol(self, username: str, code: str, device_id: str | None = None) -> dict:
        """A one-time enrolment code (the QR code of the account's web page) exchanged for a token."""
        _, body = self.call_json("POST", "/auth/enrol", {"username": username, "code": code, "device_id": device_id})
        if not isinstance(body, dict) or not body.get("token"):
            raise BadResponse("enrol answer without a token")
        return body

    def logout(self) -> None:
        self.call("DELETE", "/auth/token", ok=(200, 204))

    def list_forms(self, etag: str | None = None) -> tuple[list[dict] | None, str | None]:
        """The published forms and the list's ETag; (None, etag) when unchanged since `etag` (304)."""
        headers = {"If-None-Match": etag} if etag else {}
        resp = self.call("GET", "/forms", headers=headers, ok=(200, 304))
        if resp.status == 304:
            return None, etag
        body = resp.json()
        if isinstance(body, dict):  # tolerate {"forms": [...]}
            body = body.get("forms") or body.get("items") or []
        return list(body or []), resp.header("etag")

    def get_form(self, form_id: str, etag: str | None = None) -> tuple[dict | None, str | None]:
        """The compiled definition and its ETag; (None, etag) when unchanged (304)."""
        headers = {"If-None-Match": etag} if etag else {}
        resp = self.call("GET", f"/forms/{quote(form_id, safe='')}", headers=headers, ok=(200, 304))
        if resp.status == 304:
            return None, etag
        body = resp.json()
        if isinstance(body, dict) and "definition" in body and "questions" not in body:
            body = body["definition"]
        return body, resp.header("etag")

    def get_form_media(self, form_id: str, name: str, version: str) -> bytes:
        """One media file of a form version (a CSV of villages ...), as bytes."""
        path = f"/forms/{quote(form_id, safe='')}/media/{quote(name, safe='')}?version={quote(version, safe='')}"
        return self.call("GET", path).body

    def post_submission(self, envelope_json: bytes) -> tuple[int, dict]:
        resp = self.call(
            "POST", "/submissions", body=envelope_json, headers={"Content-Type": "application/json"}
        )
        body = resp.json()
        if not isinstance(body, dict):
            raise BadResponse("submission answer is not an object")
        return resp.status, body

    def attachment_path(self, instance_id: str, name: str) -> str:
        return f"/submissions/{quote(instance_id, safe='')}/attachments/{quote(name, safe='')}"

    def sync(self, since: str | None) -> tuple[dict, str | None]:
        """One feed page after the cursor `since` (an empty page at the same cursor when the server
        answers 304: `If-None-Match` carries the cursor), and the forms list's ETag the server
        reports with it (`X-Forms-ETag`; None from a server that does not)."""
        headers = {"If-None-Match": f'"{since}"'} if since else {}
        resp = self.call("GET", "/sync", query={"since": since}, headers=headers, ok=(200, 304))
        forms_etag = resp.header("x-forms-etag")
        if resp.status == 304:
            return {"cursor": since, "houses": [], "submissions": [], "more": False}, forms_etag
        body = resp.json()
        if not isinstance(body, dict):
            raise BadResponse("sync answer is not an object")
        return body, forms_etag
