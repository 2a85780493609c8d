"""Resumable photo upload: PUT the bytes the server is missing, whole when the photo is small.

Protocol (docs/API.md): each `PUT` carries `Content-Range: bytes START-END/TOTAL` and its answer tells
the new offset, whether the photo is stored (`received`) and which photos of the survey the server
still misses (`missing_attachments`); the final byte completes the file, which the server checks
against the declared sha256 and size. A photo up to `WHOLE_PHOTO_LIMIT` goes in one PUT (a smaller
piece only adds round trips: the server keeps what arrived of a cut PUT). The first PUT of a photo
starts at 0 without asking (the caller knows nothing was sent); only after a failure does
`HEAD .../attachments/{name}` ask for the received offset (404 = nothing yet), and the next PUT
resumes from it: the server's offset is always the truth.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from mobile.core.api import ApiClient, ApiError
from mobile.core.transport import BadResponse, Response

WHOLE_PHOTO_LIMIT = 1024 * 1024  # a photo up to this size goes whole; a larger one in pieces this size
DEFAULT_CHUNK = WHOLE_PHOTO_LIMIT
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


@dataclass(frozen=True)
class Uploaded:
    """Where an upload ended: the server's offset, and the survey's photos it still misses according to
    the last PUT answer (None when that answer did not say, e.g. nothing had to be sent)."""

    offset: int
    missing: list[str] | None = None


def missing_names(resp: Response) -> list[str] | None:
    """`missing_attachments` of an answer as names; None when the answer does not carry it."""
    try:
        body = resp.json()
    except BadResponse:
        return None
    missing = body.get("missing_attachments") if isinstance(body, dict) else None
    if not isinstance(missing, list):
        return None
    return [m if isinstance(m, str) else str(m.get("name")) for m in missing]


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
) -> Uploaded:
    """Send the bytes the server is missing, from `start` (0 for a photo never sent) or, when None
    (an earlier try failed), from the offset a HEAD reports. Returns the final offset (== total when
    complete) and the last answer's missing photos. Raises TransportError / ApiError for the caller's
    retry logic; progress is reported after every piece the server acknowledged."""
    offset = received_offset(api, instance_id, name, total) if start is None else start
    missing: list[str] | None = None
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
            missing = missing_names(resp)
            resyncs = 0
            if on_progress:
                on_progress(offset, total)
    return Uploaded(offset, missing)
