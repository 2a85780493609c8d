"""Content-addressed photo storage on the local disk (MEDIA_ROOT/ab/cd/<sha256>, its thumbnail next to
it as <sha256>.thumb.jpg), with resumable partial uploads kept per (instance_id, name) under
MEDIA_ROOT/partial/. Partial files expire (`clean_partials`). S3 can come later behind the same methods."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

_SHA = re.compile(r"^[0-9a-f]{64}$")
_SAFE = re.compile(r"[^A-Za-z0-9._-]")
_LOCK_TRIES = 3
CLEAN_MARKER = ".partial_cleaned"  # in MEDIA_ROOT: its mtime is the last clean-up


class UploadBusy(Exception):
    """Another request is still writing this partial upload (e.g. a cut connection not yet noticed)."""


@dataclass(frozen=True)
class Cleaned:
    partial_files: int = 0
    partial_bytes: int = 0
    locks: int = 0
    folders: int = 0


class Storage:
    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    # --- stored photos -----------------------------------------------------------------------------

    def path(self, sha256: str) -> Path:
        if not _SHA.match(sha256 or ""):
            raise ValueError("not a sha256")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def exists(self, sha256: str) -> bool:
        try:
            return self.path(sha256).is_file()
        except ValueError:
            return False

    def holds(self, sha256: str, size: int) -> bool:
        """True when the photo with this sha256 is stored AND has this size: a declaration with the
        right hash but another size is not this photo (and must not learn that it exists)."""
        try:
            return self.path(sha256).stat().st_size == size
        except (ValueError, OSError):
            return False

    def thumb_path(self, sha256: str) -> Path:
        """The cached thumbnail of a stored photo, next to it (made once, when the photo is stored)."""
        final = self.path(sha256)
        return final.with_name(final.name + ".thumb.jpg")

    def save_thumb(self, sha256: str, data: bytes) -> Path:
        out = self.thumb_path(sha256)
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(f"{out.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, out)
        return out

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

    # --- partial uploads ---------------------------------------------------------------------------

    @property
    def partial_root(self) -> Path:
        return self.root / "partial"

    def partial(self, instance_id: str, name: str) -> Path:
        folder = self.partial_root / _SAFE.sub("_", instance_id)
        digest = hashlib.sha256(name.encode()).hexdigest()[:16]
        return folder / f"{_SAFE.sub('_', name)[:80]}.{digest}.part"

    def offset(self, instance_id: str, name: str) -> int:
        return _size(self.partial(instance_id, name))

    def partial_bytes(self, uploads: Iterable[tuple[str, str]]) -> int:
        """Bytes held in partial files for these (instance_id, name) uploads."""
        return sum(self.offset(iid, name) for iid, name in uploads)

    @contextlib.contextmanager
    def writing(self, instance_id: str, name: str) -> Iterator[Path]:
        """Hold the only right to write this partial file, across threads and worker processes
        (an advisory flock on a sibling .lock file). Raises UploadBusy at once if it is taken.
        The lock file is removed by the writer that leaves (and the folder once it is empty)."""
        partial = self.partial(instance_id, name)
        with _locked(partial):
            yield partial

    def clean_partials(self, max_age_seconds: float, now: float | None = None) -> Cleaned:
        """Remove partial uploads untouched for `max_age_seconds` (never one being written), lock files
        no writer holds, and empty upload folders. The phone then starts that photo again from 0."""
        now = time.time() if now is None else now
        files = size = locks = folders = 0
        root = self.partial_root
        (self.root / CLEAN_MARKER).touch()
        if not root.is_dir():
            return Cleaned()
        for folder in sorted(p for p in root.iterdir() if p.is_dir()):
            for part in sorted(folder.glob("*.part")):
                try:
                    with _locked(part, tidy=False):
                        st = part.stat()
                        if now - st.st_mtime >= max_age_seconds:
                            part.unlink()
                            files, size = files + 1, size + st.st_size
                except (UploadBusy, FileNotFoundError):
                    continue
            for lock in sorted(folder.glob("*.lock")):
                if lock.with_suffix(".part").exists():
                    continue
                try:
                    with _locked(lock.with_suffix(".part")):
                        locks += 1
                except (UploadBusy, FileNotFoundError):
                    continue
            if not folder.exists():
                folders += 1
            elif _rmdir_if_empty(folder):
                folders += 1
        return Cleaned(files, size, locks, folders)

    def clean_due(self, every_seconds: float, now: float | None = None) -> bool:
        """True when the last clean-up of partial/ is older than `every_seconds` (one stat)."""
        now = time.time() if now is None else now
        try:
            return now - (self.root / CLEAN_MARKER).stat().st_mtime >= every_seconds
        except FileNotFoundError:
            return True


@contextlib.contextmanager
def _locked(partial: Path, tidy: bool = True) -> Iterator[None]:
    """flock the partial's .lock file without waiting. The holder unlinks the lock file before it lets
    go, so whoever opened the old file meanwhile sees that it is no longer the file at that path
    (inode check) and tries again with a fresh one: never two writers on one partial."""
    lock = partial.with_suffix(".lock")
    for _ in range(_LOCK_TRIES):
        lock.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
        except FileNotFoundError:  # the folder was just removed by a leaving writer
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise UploadBusy() from None
        try:
            same = os.fstat(fd).st_ino == os.stat(lock).st_ino
        except FileNotFoundError:
            same = False
        if not same:  # the previous holder removed this lock file: take a fresh one
            os.close(fd)
            continue
        try:
            yield
        finally:
            lock.unlink(missing_ok=True)
            os.close(fd)  # closing releases the lock
            if tidy:
                _rmdir_if_empty(partial.parent)
        return
    raise UploadBusy()


def _rmdir_if_empty(folder: Path) -> bool:
    try:
        folder.rmdir()
        return True
    except OSError:
        return False  # other photos of this survey are still coming


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
