"""Photo storage: where stored photos live (`blobs.py`: the local disk or an S3-compatible bucket,
content-addressed `ab/cd/<sha256>`, the thumbnail next to it) and where unfinished uploads wait
(`partials.py`: files under an flock on one machine, or rows of PostgreSQL under an advisory lock so that
any node finishes any upload). `Storage` puts the two together behind the methods the services use;
`from_config` chooses them (MAIAM_STORAGE, MAIAM_PARTIALS; docs/production.md)."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import sqlalchemy as sa

from server.services.files import photo_facts, s3
from server.services.files.blobs import LocalBlobs
from server.services.files.partials import Cleaned, FilePartials, UploadBusy
from server.services.files.partials_db import DatabasePartials

CLEAN_MARKER = ".partial_cleaned"  # in MEDIA_ROOT: its mtime is this node's last clean-up
SCRATCH = ".scratch"  # in MEDIA_ROOT: a finished upload put together from database rows, to be checked

__all__ = ["CLEAN_MARKER", "Cleaned", "Storage", "UploadBusy", "file_sha256", "from_config"]


class Storage:
    def __init__(self, root: str | os.PathLike, blobs=None, partials=None):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.blobs = blobs if blobs is not None else LocalBlobs(self.root)
        self.partials = partials if partials is not None else FilePartials(self.root)

    # --- stored photos -----------------------------------------------------------------------------

    def holds(self, sha256: str, size: int) -> bool:
        """True when the photo with this sha256 is stored AND has this size: a declaration with the
        right hash but another size is not this photo (and must not learn that it exists)."""
        return self.blobs.holds(sha256, size)

    def has_thumb(self, sha256: str) -> bool:
        return self.blobs.has_thumb(sha256)

    def put_thumb(self, sha256: str, data: bytes) -> None:
        self.blobs.put_thumb(sha256, data)

    def store(self, sha256: str, path: Path) -> None:
        """Move a verified whole file into place (it is consumed)."""
        self.blobs.put_file(sha256, path)

    def put_bytes(self, sha256: str, data: bytes) -> None:
        """Store small bytes already in memory (demo photos, tests)."""
        with self.scratch_file() as path:
            path.write_bytes(data)
            self.store(sha256, path)

    def open(self, sha256: str, thumb: bool = False):
        """A readable binary file of a stored photo or thumbnail (context manager); FileNotFoundError."""
        return self.blobs.open(sha256, thumb)

    def thumb_phash(self, sha256: str) -> str | None:
        """The perceptual hash of a stored photo's thumbnail (None when there is none)."""
        try:
            with self.blobs.open(sha256, thumb=True) as fh:
                return photo_facts.phash(fh)
        except (FileNotFoundError, ValueError):
            return None

    @contextlib.contextmanager
    def scratch_file(self) -> Iterator[Path]:
        folder = self.root / SCRATCH
        folder.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=folder)
        os.close(fd)
        try:
            yield Path(name)
        finally:
            Path(name).unlink(missing_ok=True)

    # --- partial uploads ---------------------------------------------------------------------------

    def offset(self, instance_id: str, name: str) -> int:
        return self.partials.offset(instance_id, name)

    def partial_bytes(self, uploads: Iterable[tuple[str, str]]) -> int:
        """Bytes held in unfinished uploads for these (instance_id, name) pairs."""
        return self.partials.bytes_of(uploads)

    def writing(self, instance_id: str, name: str):
        """The only right to write this unfinished upload (UploadBusy at once if taken): a writer with
        size / write / truncate / assemble / discard."""
        return self.partials.writing(instance_id, name)

    def clean_partials(self, max_age_seconds: float, now: float | None = None) -> Cleaned:
        """Remove unfinished uploads untouched for `max_age_seconds` (never one being written). The phone
        then sends that photo again from 0."""
        now = time.time() if now is None else now
        (self.root / CLEAN_MARKER).touch()
        done = self.partials.clean(max_age_seconds, now)
        return dataclasses.replace(done, multipart=self.blobs.abort_stale_uploads(max_age_seconds, now))

    def clean_due(self, every_seconds: float, now: float | None = None) -> bool:
        """True when this node's last clean-up is older than `every_seconds` (one stat)."""
        now = time.time() if now is None else now
        try:
            return now - (self.root / CLEAN_MARKER).stat().st_mtime >= every_seconds
        except FileNotFoundError:
            return True


def from_config(cfg, engine: sa.Engine | None = None) -> Storage:
    """The storage an app's settings name: MAIAM_STORAGE (`file` | `s3`) for stored photos, MAIAM_PARTIALS
    (`file` | `database`; by default `database` on PostgreSQL, `file` on SQLite) for unfinished uploads."""
    root = Path(cfg["MEDIA_ROOT"])
    kind = cfg.get("STORAGE") or "file"
    if kind == "s3":
        blobs = s3.blobs(cfg.get("S3") or {})
    elif kind == "file":
        blobs = LocalBlobs(root)
    else:
        raise RuntimeError(f"MAIAM_STORAGE must be file or s3, not {kind!r}")
    postgres = engine is not None and engine.dialect.name == "postgresql"
    partials_kind = cfg.get("PARTIALS") or ("database" if postgres else "file")
    if partials_kind == "database":
        if not postgres:
            raise RuntimeError("MAIAM_PARTIALS=database needs PostgreSQL (advisory locks)")
        partials = DatabasePartials(engine, root / SCRATCH)
    elif partials_kind == "file":
        partials = FilePartials(root)
    else:
        raise RuntimeError(f"MAIAM_PARTIALS must be file or database, not {partials_kind!r}")
    return Storage(root, blobs, partials)


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
