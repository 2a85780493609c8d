"""Resumable photo upload: ask the server how many bytes it holds, then PUT the rest in chunks.

Protocol (docs/API.md): `HEAD .../attachments/{name}` tells the received offset (404 = nothing yet);
each `PUT` carries `Content-Range: bytes START-END/TOTAL` and the answer tells the new offset; the
final chunk completes the file, which the server checks against the declared sha256 and size. The
server's offset is always the truth: after a cut connection the next attempt resumes from it.
"""

from __future__ import annotations

from collections.abc import Callable

from mobile.core.api import ApiClient, ApiError
from mobile.core.transport import BadResponse, Response

DEFAULT_CHUNK = 256 * 1024
SLOW_NETWORK_CHUNK = 64 * 1024  # 2G / EDGE
OFFSET_HEADERS = ("upload-offset", "x-upload-offset", "x-received-bytes", "received-bytes")
OFFSET_KEYS = ("offset", "received", "received_bytes", "uploaded_bytes", "bytes_received")
MAX_RESYNCS = 3  # offset disagreements in a row before giving up until the next attempt
Progress = Callable[[int, int], None]  # (bytes the server holds, total)


def server_offset(resp: Response, total: int) -> int | None:
    """The received byte count the server states in headers or JSON body; None if it says nothing."""
    for name in OFFSET_HEADERS:
        value = resp.header(name)
        if value is not None and value.strip().isdigit():
            return int(value)
    rng = resp.header("range")
    if rng and "-" in rng:
        end = rng.rsplit("-", 1)[1].strip()
        if end.isdigit():
            return int(end) + 1
    try:
        body = resp.json()
    except BadResponse:
        body = None
    if isinstance(body, dict):
        for key in OFFSET_KEYS:
            if isinstance(body.get(key), int) and not isinstance(body.get(key), bool):
                return body[key]
        if body.get("complete") is True or body.get("status") in ("complete", "stored", "received"):
            return total
    return None


def received_offset(api: ApiClient, instance_id: str, name: str, total: int) -> int:
    """How many bytes of this attachment the server already holds (0 when none)."""
    try:
        resp = api.call("HEAD", api.attachment_path(instance_id, name), ok=(200, 204, 206, 308))
    except ApiError as exc:
        if exc.status in (404, 416):
            return 0
        raise
    offset = server_offset(resp, total)
    return 0 if offset is None else max(0, min(offset, total))


def upload(
    api: ApiClient,
    instance_id: str,
    name: str,
    path: str,
    total: int,
    content_type: str = "image/jpeg",
    chunk_size: int = DEFAULT_CHUNK,
    start: int | None = None,
    on_progress: Progress | None = None,
) -> int:
    """Send the bytes the server is missing; returns the final offset (== total when complete).
    Raises TransportError / ApiError for the caller's retry logic; progress is reported after
    every chunk the server acknowledged."""
    offset = received_offset(api, instance_id, name, total) if start is None else start
    if on_progress:
        on_progress(offset, total)
    attachment = api.attachment_path(instance_id, name)
    resyncs = 0
    with open(path, "rb") as fh:
        while offset < total:
            fh.seek(offset)
            data = fh.read(chunk_size)
            if not data:
                raise ApiError(0, "photo_missing", message=f"{path} is shorter than {total} bytes")
            end = offset + len(data) - 1
            headers = {"Content-Type": content_type, "Content-Range": f"bytes {offset}-{end}/{total}"}
            try:
                resp = api.call("PUT", attachment, body=data, headers=headers, ok=(200, 201, 202, 204, 308))
            except ApiError as exc:
                mismatch = exc.status == 416 or (
                    exc.status == 409 and exc.code in ("offset_mismatch", "range_mismatch")
                )
                if mismatch and resyncs < MAX_RESYNCS:
                    resyncs += 1
                    offset = received_offset(api, instance_id, name, total)  # resync with the server
                    continue
                raise
            stated = server_offset(resp, total)
            offset = end + 1 if stated is None else min(stated, total)
            resyncs = 0
            if on_progress:
                on_progress(offset, total)
    return offset
