"""Unfinished photo uploads (resumable), one writer at a time per (instance_id, name).

- `FilePartials`: files under MEDIA_ROOT/partial/ and an `flock` on a sibling .lock file: one machine
  (the embedded SQLite set-up, or several workers on one disk).
- `DatabasePartials` (partials_db.py): the bytes as rows of `upload_parts` in PostgreSQL and a
  transaction-level advisory lock (`pg_try_advisory_xact_lock`): every node behind a load balancer sees
  the same bytes and the same lock, so any node finishes an upload another one began.

Both hand a writer to the one holder of the lock (`writing`): `size()`, `write(bytes)`, `truncate(n)`,
`assemble()` (the whole file as a local path, to verify and store) and `discard()`. Bytes written before
a body is cut stay (the phone resumes from them). Expired uploads are removed by `clean`."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

_SAFE = re.compile(r"[^A-Za-z0-9._-]")
_LOCK_TRIES = 3


class UploadBusy(Exception):
    """Another request is still writing this partial upload (e.g. a cut connection not yet noticed)."""


@dataclass(frozen=True)
class Cleaned:
    partial_files: int = 0
    partial_bytes: int = 0
    locks: int = 0
    folders: int = 0
    multipart: int = 0  # unfinished multipart uploads aborted in the bucket


# --- on the local disk, with flock ----------------------------------------------------------------------

class FilePartials:
    kind = "file"

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root) / "partial"

    def partial(self, instance_id: str, name: str) -> Path:
        folder = self.root / _SAFE.sub("_", instance_id)
        digest = hashlib.sha256(name.encode()).hexdigest()[:16]
        return folder / f"{_SAFE.sub('_', name)[:80]}.{digest}.part"

    def offset(self, instance_id: str, name: str) -> int:
        return _size(self.partial(instance_id, name))

    def bytes_of(self, uploads: Iterable[tuple[str, str]]) -> int:
        return sum(self.offset(iid, name) for iid, name in uploads)

    def held_by_survey(self) -> dict[str, int]:
        """{instance_id: bytes held} of every unfinished upload (one folder per survey: few, whatever
        the number of photos still missing)."""
        out: dict[str, int] = {}
        if not self.root.is_dir():
            return out
        for folder in self.root.iterdir():
            size = sum(_size(p) for p in folder.glob("*.part")) if folder.is_dir() else 0
            if size:
                out[folder.name] = size
        return out

    @contextlib.contextmanager
    def writing(self, instance_id: str, name: str) -> Iterator[FileWriter]:
        """Hold the only right to write this partial file, across threads and worker processes (an
        advisory flock on a sibling .lock file). Raises UploadBusy at once if it is taken. The lock file
        is removed by the writer that leaves (and the folder once it is empty)."""
        partial = self.partial(instance_id, name)
        with _locked(partial):
            writer = FileWriter(partial, self)
            try:
                yield writer
            finally:
                writer.close()

    def clean(self, max_age_seconds: float, now: float) -> Cleaned:
        """Remove partial uploads untouched for `max_age_seconds` (never one being written), lock files
        no writer holds, and empty upload folders."""
        files = size = locks = folders = 0
        if not self.root.is_dir():
            return Cleaned()
        for folder in sorted(p for p in self.root.iterdir() if p.is_dir()):
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
            if not folder.exists() or _rmdir_if_empty(folder):
                folders += 1
        return Cleaned(files, size, locks, folders)


class FileWriter:
    def __init__(self, path: Path, partials: FilePartials):
        self.path = path
        self._fh = None
        self._partials = partials

    def held_by_survey(self) -> dict[str, int]:
        """{instance_id: bytes held} of every unfinished upload (this one's as written so far)."""
        if self._fh is not None:
            self._fh.flush()
        return self._partials.held_by_survey()

    def size(self) -> int:
        if self._fh is not None:
            self._fh.flush()
        return _size(self.path)

    def write(self, data: bytes) -> None:
        if self._fh is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fh = open(self.path, "ab")  # noqa: SIM115 - closed by close()
        self._fh.write(data)

    def truncate(self, length: int) -> None:
        if self._fh is not None:
            self._fh.flush()
        if self.path.exists():
            os.truncate(self.path, length)

    @contextlib.contextmanager
    def assemble(self) -> Iterator[Path]:
        self.close()
        yield self.path

    def discard(self) -> None:
        self.close()
        self.path.unlink(missing_ok=True)

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None


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
