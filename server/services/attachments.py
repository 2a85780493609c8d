"""Receiving one photo: streamed to a partial file, resumable, checked (size, sha256, real image),
then moved into content-addressed storage. A submission is complete when every photo is stored."""

from __future__ import annotations

import datetime as dt
import re
import warnings
from typing import BinaryIO

import sqlalchemy as sa
from PIL import Image, UnidentifiedImageError
from sqlalchemy.orm import Session

from server.errors import DomainError
from server.models import Attachment, Submission, User
from server.services import access
from server.services.storage import Storage, UploadBusy, file_sha256

ALLOWED_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+)$")
_CHUNK = 64 * 1024


def check_name(name: str) -> str:
    if (not name or len(name) > 200 or "/" in name or "\\" in name or "\x00" in name or name.startswith(".")
            or ".." in name or any(ord(c) < 32 for c in name)):
        raise DomainError("bad_attachment_name")
    return name


def find(session: Session, actor: User, instance_id: str, name: str) -> tuple[Submission, Attachment]:
    check_name(name)
    sub = session.scalar(sa.select(Submission).where(Submission.instance_id == instance_id))
    if not access.can(actor, "upload", sub):
        raise DomainError("unknown_submission")
    att = next((a for a in sub.attachments if a.name == name), None)
    if att is None:
        raise DomainError("undeclared_attachment")
    return sub, att


def status(storage: Storage, sub: Submission, att: Attachment) -> dict:
    offset = att.size if att.received else storage.offset(sub.instance_id, att.name)
    return {"instance_id": sub.instance_id, "name": att.name, "received": att.received, "offset": offset,
            "size": att.size, "missing_attachments": sub.missing_attachments()}


def receive(session: Session, storage: Storage, sub: Submission, att: Attachment, stream: BinaryIO,
            content_range: str | None, content_length: int | None, max_pixels: int) -> dict:
    """Append or write the body; when the file is whole, verify and store it. Idempotent."""
    if att.received:
        return status(storage, sub, att)
    try:
        with storage.writing(sub.instance_id, att.name) as partial:
            if not _append(partial, att, stream, content_range, content_length):
                return status(storage, sub, att)
            return _store(session, storage, sub, att, partial, max_pixels)
    except UploadBusy:
        raise DomainError("upload_busy") from None


def _append(partial, att: Attachment, stream: BinaryIO, content_range: str | None,
            content_length: int | None) -> bool:
    """Write this body into the partial file; True when the file now has every byte.

    A ranged body may overlap what is already held (a chunk sent again because its answer was
    lost on a weak link): the bytes already held are skipped, the rest appended. The sha256 check
    at the end catches any overlap that did not match."""
    if content_range:
        m = _RANGE.match(content_range.strip())
        if not m:
            raise DomainError("bad_range")
        start, end, total = (int(x) for x in m.groups())
        if total != att.size or end < start or end >= total:
            raise DomainError("size_mismatch" if total != att.size else "bad_range")
        have = partial.stat().st_size if partial.exists() else 0
        if start > have:
            raise DomainError("bad_range", fields={"offset": have})
        expected = end - start + 1
        skip = min(have - start, expected)
        mode = "ab"
    else:
        start, expected, skip, mode = 0, att.size, 0, "wb"
    if content_length is not None and content_length > expected:
        raise DomainError("size_mismatch")
    written = 0
    keep_from = start + skip
    with open(partial, mode) as fh:
        while True:
            chunk = stream.read(_CHUNK)
            if not chunk:
                break
            before = written
            written += len(chunk)
            if written > expected:
                fh.truncate(keep_from)
                raise DomainError("size_mismatch")
            if written > skip:
                fh.write(chunk[max(0, skip - before):])
    size_now = partial.stat().st_size
    if size_now < att.size:
        if not content_range:  # a whole-file PUT that stopped short: keep it for a ranged resume
            raise DomainError("size_mismatch", fields={"offset": size_now})
        return False
    return True


def _store(session: Session, storage: Storage, sub: Submission, att: Attachment, partial,
           max_pixels: int) -> dict:
    digest = file_sha256(partial)
    if digest != att.sha256:
        partial.unlink(missing_ok=True)
        raise DomainError("checksum_mismatch")
    content_type = sniff(partial, max_pixels)
    storage.commit(partial, digest)
    storage.forget(partial)
    att.received = True
    att.received_at = dt.datetime.now(dt.UTC)
    att.content_type = content_type
    session.flush()
    sub.complete = not sub.missing_attachments()
    return status(storage, sub, att)


def sniff(path, max_pixels: int) -> str:
    """The content type judged from the bytes (JPEG, PNG, WebP only); bombs refused."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as img:
                fmt = img.format
                width, height = img.size
                if width * height > max_pixels:
                    raise DomainError("image_too_big")
                img.verify()
    except DomainError:
        path.unlink(missing_ok=True)
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError,
            Image.DecompressionBombWarning):
        path.unlink(missing_ok=True)
        raise DomainError("not_an_image") from None
    if fmt not in ALLOWED_FORMATS:
        path.unlink(missing_ok=True)
        raise DomainError("not_an_image")
    return ALLOWED_FORMATS[fmt]
