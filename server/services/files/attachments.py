"""Receiving one photo: streamed to a partial file, resumable, checked (size, sha256, real image),
then moved into content-addressed storage with its thumbnail. A submission is complete when every
photo is stored. Limits (`UploadLimits`): the size of one photo, its pixels, the unfinished bytes one
account may leave on the server, and how long an unfinished upload is kept."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass
from typing import BinaryIO

import sqlalchemy as sa
from PIL import Image
from sqlalchemy.orm import Session, aliased, joinedload

from server.errors import DomainError
from server.models import Attachment, OrgUnit, Submission, User
from server.services.accounts import access
from server.services.files import images, photo_facts
from server.services.files.storage import Storage, UploadBusy, file_sha256
from server.services.programme import unit_history
from server.services.surveys import signals

_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+)$")
_CHUNK = 64 * 1024


def check_name(name: str) -> str:
    if (not name or len(name) > 200 or "/" in name or "\\" in name or "\x00" in name or name.startswith(".")
            or ".." in name or any(ord(c) < 32 for c in name)):
        raise DomainError("bad_attachment_name")
    return name


def find(session: Session, actor: User, instance_id: str, name: str) -> tuple[Submission, Attachment]:
    check_name(name)
    # one round trip: the survey, its photos and its unit today (what the access gate asks next)
    today = aliased(OrgUnit)
    q, _ = unit_history.join_unit(sa.select(Submission, today), Submission.org_unit_id, unit_alias=today)
    row = session.execute(q.where(Submission.instance_id == instance_id)
                          .options(joinedload(Submission.attachments))).unique().first()
    sub = row[0] if row is not None else None
    if sub is not None:
        unit_history.remember(session, sub.org_unit_id, row[1].id if row[1].id != sub.org_unit_id else None)
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


@dataclass(frozen=True)
class UploadLimits:
    max_bytes: int = 20 * 1024 * 1024           # one photo (MAIAM_MAX_ATTACHMENT)
    max_pixels: int = 24_000_000                # one photo (MAIAM_MAX_IMAGE_PIXELS)
    partial_bytes_per_user: int = 200 * 1024 * 1024  # unfinished uploads of one account
    partial_max_age_seconds: float = 72 * 3600  # an unfinished upload untouched this long is removed
    clean_every_seconds: float = 3600           # how often an upload sweeps expired partial files

    @classmethod
    def from_config(cls, cfg) -> UploadLimits:
        return cls(max_bytes=int(cfg["MAX_ATTACHMENT_BYTES"]), max_pixels=int(cfg["MAX_IMAGE_PIXELS"]),
                   partial_bytes_per_user=int(cfg["PARTIAL_BYTES_PER_USER"]),
                   partial_max_age_seconds=float(cfg["PARTIAL_MAX_AGE_HOURS"]) * 3600,
                   clean_every_seconds=float(cfg["PARTIAL_CLEAN_EVERY_MINUTES"]) * 60)


def check_declared(declared: list[dict], limits: UploadLimits) -> None:
    """At submission time: every declared photo fits the size limit (413, nothing written)."""
    big = [{"field": "attachments", "name": a["name"], "code": "too_large", "size": a["size"],
            "max_bytes": limits.max_bytes} for a in declared if a["size"] > limits.max_bytes]
    if big:
        raise DomainError("attachment_too_large", fields=big)


def receive(session: Session, storage: Storage, sub: Submission, att: Attachment, stream: BinaryIO,
            content_range: str | None, content_length: int | None, limits: UploadLimits,
            thresholds: signals.Thresholds = signals.DEFAULT) -> dict:
    """Append or write the body; when the file is whole, verify and store it. Idempotent."""
    if att.received:
        return status(storage, sub, att)
    if att.size > limits.max_bytes or (content_length or 0) > limits.max_bytes:
        raise DomainError("attachment_too_large", fields=[{"field": "attachments", "name": att.name,
                                                           "max_bytes": limits.max_bytes}])
    if storage.clean_due(limits.clean_every_seconds):
        storage.clean_partials(limits.partial_max_age_seconds)
    try:
        with storage.writing(sub.instance_id, att.name) as part:
            have = part.size()
            span = _span(have, att, content_range)
            _check_quota(session, part, sub, span, limits, have)
            if _append(part, att, stream, span, content_length):
                return _store(session, storage, sub, att, part, limits.max_pixels, thresholds)
    except UploadBusy:
        raise DomainError("upload_busy") from None
    return status(storage, sub, att)  # once the writer has left: what it wrote is visible to every node


def receive_whole(session: Session, storage: Storage, sub: Submission, att: Attachment, stream: BinaryIO,
                  limits: UploadLimits, thresholds: signals.Thresholds = signals.DEFAULT) -> bool:
    """A photo that arrives whole with no declaration beforehand (an OpenRosa media part, a seekable
    stream): its bytes are its declaration (sha256, size), then the same checks as ``receive``. True
    when it was stored now, False when it was already held (nothing changed)."""
    if att.received:
        return False
    digest, size = hashlib.sha256(), 0
    while chunk := stream.read(_CHUNK):
        size += len(chunk)
        if size > limits.max_bytes:
            raise DomainError("attachment_too_large", fields=[{"field": "attachments", "name": att.name,
                                                               "max_bytes": limits.max_bytes}])
        digest.update(chunk)
    stream.seek(0)
    att.sha256, att.size = digest.hexdigest(), size
    receive(session, storage, sub, att, stream, None, size, limits, thresholds)
    return True


@dataclass(frozen=True)
class _Span:
    """Where this body goes: from `start`, `expected` bytes, of which the first `skip` are held."""
    ranged: bool
    start: int
    expected: int
    skip: int


def _span(have: int, att: Attachment, content_range: str | None) -> _Span:
    """Check a `Content-Range` against the declared size and what is held, before a byte is written.

    A ranged body may overlap what is already held (a chunk sent again because its answer was
    lost on a weak link): the bytes already held are skipped, the rest appended. The sha256 check
    at the end catches any overlap that did not match."""
    if not content_range:
        return _Span(False, 0, att.size, 0)
    m = _RANGE.match(content_range.strip())
    if not m:
        raise DomainError("bad_range")
    start, end, total = (int(x) for x in m.groups())
    if total != att.size:
        raise DomainError("size_mismatch")
    if end < start or end >= total:
        raise DomainError("bad_range")
    if start > have:
        raise DomainError("bad_range", fields={"offset": have})
    expected = end - start + 1
    return _Span(True, start, expected, min(have - start, expected))


def _check_quota(session: Session, part, sub: Submission, span: _Span, limits: UploadLimits, have: int) -> None:
    """The unfinished bytes of the submission's account, with this body written, stay under the cap
    (429: finish or wait for the expiry of other uploads first). Counted from the unfinished uploads the
    storage holds (few), never from the photos still missing (a volunteer may have thousands)."""
    after = span.start + span.expected
    if after <= have:
        return  # nothing new to hold
    held = part.held_by_survey()  # read by the writer as it came in: no second query
    held[sub.instance_id] = held.get(sub.instance_id, 0) - have  # this upload counts as `after` below
    others = [iid for iid, n in held.items() if n > 0]
    mine = session.scalars(sa.select(Submission.instance_id).where(
        Submission.user_id == sub.user_id, Submission.instance_id.in_(others))).all() if others else []
    if sum(held[iid] for iid in mine) + after > limits.partial_bytes_per_user:
        raise DomainError("upload_quota", fields={"max_bytes": limits.partial_bytes_per_user})


def _append(part, att: Attachment, stream: BinaryIO, span: _Span, content_length: int | None) -> bool:
    """Write this body into the unfinished upload; True when it now has every byte. Bytes read before a
    body is cut stay written (the writer keeps them when it leaves): the phone resumes from there."""
    if content_length is not None and content_length > span.expected:
        raise DomainError("size_mismatch")
    written = 0
    keep_from = span.start + span.skip
    if not span.ranged:
        part.truncate(0)
    while True:
        chunk = stream.read(_CHUNK)
        if not chunk:
            break
        before = written
        written += len(chunk)
        if written > span.expected:
            part.truncate(keep_from)
            raise DomainError("size_mismatch")
        if written > span.skip:
            part.write(chunk[max(0, span.skip - before):])
    size_now = part.size()
    if size_now < att.size:
        if not span.ranged:  # a whole-file PUT that stopped short: keep it for a ranged resume
            raise DomainError("size_mismatch", fields={"offset": size_now})
        return False
    return True


def _store(session: Session, storage: Storage, sub: Submission, att: Attachment, part,
           max_pixels: int, thresholds: signals.Thresholds = signals.DEFAULT) -> dict:
    """Verify the whole upload (sha256, a real image within the pixel limit), store it with its
    thumbnail, and mark the photo received."""
    with part.assemble() as whole:
        digest = file_sha256(whole)
        if digest != att.sha256:
            part.discard()
            raise DomainError("checksum_mismatch")
        held_before = storage.holds(digest, att.size)
        if held_before and storage.has_thumb(digest):
            content_type = sniff_type(whole)  # the same bytes, fully checked before
            phash = storage.thumb_phash(digest)
        else:
            try:
                content_type, thumb = images.check_and_thumbnail(whole, max_pixels)
            except DomainError:
                part.discard()
                raise
            storage.put_thumb(digest, thumb)
            phash = photo_facts.phash(io.BytesIO(thumb))  # the thumbnail just made, not read back
        exif = photo_facts.exif(whole)  # read here, from the local file: not fetched back from a bucket
        storage.store(digest, whole)
    part.discard()
    att.received = True
    att.received_at = dt.datetime.now(dt.UTC)
    att.content_type = content_type
    att.phash = phash  # of the thumbnail: a resized copy hashes alike
    session.flush()
    sub.complete = not sub.missing_attachments()
    # its signals, computed once, when it arrives (bytes not held before cannot be in another survey)
    signals.photo_arrived(session, sub, att, storage, thresholds, exif, new_bytes=not held_before)
    return status(storage, sub, att)


def sniff_type(path) -> str:
    """The content type of a stored photo, from its header only (it was fully checked when stored)."""

    with Image.open(path) as img:
        return images.ALLOWED_FORMATS[img.format]


def thumbnail(storage: Storage, sha256: str, max_pixels: int) -> bool:
    """Make sure a stored photo has its thumbnail: made now (once) for a photo stored before thumbnails
    were made at upload. False when the stored file cannot make one (never a 500 on a page)."""
    if storage.has_thumb(sha256):
        return True
    try:
        with storage.open(sha256) as fh:
            _, data = images.check_and_thumbnail(fh, max_pixels)
    except (DomainError, OSError, ValueError):
        return False
    storage.put_thumb(sha256, data)
    return True
