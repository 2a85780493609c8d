"""Content-addressed photo storage on the local disk (MEDIA_ROOT/ab/cd/<sha256>), with resumable
partial uploads kept per (instance_id, name) under MEDIA_ROOT/partial/. S3 can come later behind
the same methods."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import re
from collections.abc import Iterator
from pathlib import Path

_SHA = re.compile(r"^[0-9a-f]{64}$")
_SAFE = re.compile(r"[^A-Za-z0-9._-]")


class UploadBusy(Exception):
    """Another request is still writing this partial upload (e.g. a cut connection not yet noticed)."""


class Storage:
    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    def path(self, sha256: str) -> Path:
        if not _SHA.match(sha256 or ""):
            raise ValueError("not a sha256")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def exists(self, sha256: str) -> bool:
        try:
            return self.path(sha256).is_file()
        except ValueError:
            return False

    def partial(self, instance_id: str, name: str) -> Path:
        folder = self.root / "partial" / _SAFE.sub("_", instance_id)
        folder.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256(name.encode()).hexdigest()[:16]
        return folder / f"{_SAFE.sub('_', name)[:80]}.{digest}.part"

    def offset(self, instance_id: str, name: str) -> int:
        p = self.partial(instance_id, name)
        return p.stat().st_size if p.exists() else 0

    @contextlib.contextmanager
    def writing(self, instance_id: str, name: str) -> Iterator[Path]:
        """Hold the only right to write this partial file, across threads and worker processes
        (an advisory flock on a sibling .lock file). Raises UploadBusy at once if it is taken."""
        partial = self.partial(instance_id, name)
        fd = os.open(partial.with_suffix(".lock"), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise UploadBusy() from None
            yield partial
        finally:
            os.close(fd)  # closing releases the lock

    def forget(self, partial: Path) -> None:
        """After a photo is stored: drop its lock file, and the upload folder once it is empty. (A
        request that still finds the old lock meanwhile only rewrites the same content-addressed file.)"""
        partial.with_suffix(".lock").unlink(missing_ok=True)
        try:
            partial.parent.rmdir()
        except OSError:
            pass  # other photos of this survey are still coming

    def commit(self, partial: Path, sha256: str) -> Path:
        """Move a verified partial file into place atomically (same filesystem: os.replace)."""
        final = self.path(sha256)
        final.parent.mkdir(parents=True, exist_ok=True)
        if final.exists():
            partial.unlink(missing_ok=True)
        else:
            with open(partial, "rb+") as fh:
                os.fsync(fh.fileno())
            os.replace(partial, final)
        return final


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
