"""Unfinished photo uploads (resumable), one writer at a time per (instance_id, name).

- `FilePartials`: files under MEDIA_ROOT/partial/ and an `flock` on a sibling .lock file: one machine
  (the embedded SQLite set-up, or several workers on one disk).
- `DatabasePartials`: the bytes as rows of `upload_parts` in PostgreSQL and a transaction-level advisory
  lock (`pg_try_advisory_xact_lock`): every node behind a load balancer sees the same bytes and the same
  lock, so any node finishes an upload another one began.

Both hand a writer to the one holder of the lock (`writing`): `size()`, `write(bytes)`, `truncate(n)`,
`assemble()` (the whole file as a local path, to verify and store) and `discard()`. Bytes written before
a body is cut stay (the phone resumes from them). Expired uploads are removed by `clean`."""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from server.models.uploads import UploadPart

_SAFE = re.compile(r"[^A-Za-z0-9._-]")
_LOCK_TRIES = 3
_ROW_BYTES = 256 * 1024  # one upload_parts row holds at most this much


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
            writer = FileWriter(partial)
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
    def __init__(self, path: Path):
        self.path = path
        self._fh = None

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


# --- in PostgreSQL, with an advisory lock -----------------------------------------------------------------

_PARTS = UploadPart.__table__


def lock_key(instance_id: str, name: str) -> int:
    """The advisory-lock key of one upload: 64 bits of sha256(instance_id NUL name), signed."""
    digest = hashlib.sha256(f"{instance_id}\x00{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _one(instance_id: str, name: str):
    return sa.and_(_PARTS.c.instance_id == instance_id, _PARTS.c.name == name)


class DatabasePartials:
    kind = "database"

    def __init__(self, engine: sa.Engine, scratch: str | os.PathLike, clock=time.time):
        self.engine = engine
        self.scratch = Path(scratch)  # where a finished upload is put together to be checked
        self.clock = clock

    def offset(self, instance_id: str, name: str) -> int:
        with self.engine.connect() as conn:
            return int(conn.scalar(sa.select(sa.func.coalesce(sa.func.sum(sa.func.length(_PARTS.c.data)), 0))
                                   .where(_one(instance_id, name))))

    def bytes_of(self, uploads: Iterable[tuple[str, str]]) -> int:
        pairs = list(uploads)
        if not pairs:
            return 0
        total = sa.select(sa.func.coalesce(sa.func.sum(sa.func.length(_PARTS.c.data)), 0)).where(
            sa.tuple_(_PARTS.c.instance_id, _PARTS.c.name).in_(pairs))
        with self.engine.connect() as conn:
            return int(conn.scalar(total))

    def held_by_survey(self) -> dict[str, int]:
        """{instance_id: bytes held} of every unfinished upload (the table holds only those: few rows)."""
        q = sa.select(_PARTS.c.instance_id, sa.func.sum(sa.func.length(_PARTS.c.data))).group_by(_PARTS.c.instance_id)
        with self.engine.connect() as conn:
            return {iid: int(n or 0) for iid, n in conn.execute(q)}

    @contextlib.contextmanager
    def writing(self, instance_id: str, name: str) -> Iterator[DatabaseWriter]:
        """The only right to write this upload, on every node: `pg_try_advisory_xact_lock` in a transaction
        of its own connection, held until the writer leaves. What the writer wrote is committed when it
        leaves, even when the body was cut (the phone resumes from there); the lock goes with the commit."""
        with self.engine.connect() as conn:
            tx = conn.begin()
            if not conn.scalar(sa.select(sa.func.pg_try_advisory_xact_lock(lock_key(instance_id, name)))):
                tx.rollback()
                raise UploadBusy()
            writer = DatabaseWriter(conn, instance_id, name, self.scratch, self.clock)
            try:
                yield writer
            finally:
                _keep(tx, writer)

    def clean(self, max_age_seconds: float, now: float) -> Cleaned:
        """Remove uploads whose last bytes are older than `max_age_seconds`, skipping any being written."""
        cut = dt.datetime.fromtimestamp(now - max_age_seconds, dt.UTC)
        stale = (sa.select(_PARTS.c.instance_id, _PARTS.c.name, sa.func.sum(sa.func.length(_PARTS.c.data)))
                 .group_by(_PARTS.c.instance_id, _PARTS.c.name).having(sa.func.max(_PARTS.c.touched_at) <= cut))
        files = size = 0
        with self.engine.connect() as conn:
            found = conn.execute(stale).all()
            conn.rollback()
            for iid, name, held in found:
                with conn.begin():
                    if not conn.scalar(sa.select(sa.func.pg_try_advisory_xact_lock(lock_key(iid, name)))):
                        continue  # a request is writing it now
                    if conn.execute(sa.delete(_PARTS).where(_one(iid, name), _PARTS.c.touched_at <= cut)).rowcount:
                        files, size = files + 1, size + int(held or 0)
        return Cleaned(files, size)


def _keep(tx, writer: DatabaseWriter) -> None:
    try:
        writer.flush()
        tx.commit()
    except Exception:
        if tx.is_active:
            tx.rollback()
        raise
    finally:
        writer._drop_pending()  # kept as rows, or not kept at all: never left in the scratch folder


class DatabaseWriter:
    """Bytes of this request go to a local scratch file first; they become `upload_parts` rows only when the
    writer leaves with the upload unfinished (a cut body: the phone resumes from them on any node). A photo
    that arrives whole in one request never enters the table (`assemble` yields the scratch file)."""

    def __init__(self, conn: sa.Connection, instance_id: str, name: str, scratch: Path, clock):
        self.conn, self.instance_id, self.name = conn, instance_id, name
        self.scratch, self.clock = scratch, clock
        self.held = int(conn.scalar(sa.select(sa.func.coalesce(sa.func.sum(sa.func.length(_PARTS.c.data)), 0))
                                    .where(_one(instance_id, name))))
        self._pending: Path | None = None  # this request's bytes, after the `held` ones
        self._fh = None
        self._pending_size = 0
        self._assembled: Path | None = None  # the scratch file `assemble` is yielding

    def size(self) -> int:
        return self.held + self._pending_size

    def write(self, data: bytes) -> None:
        if self._fh is None:
            self.scratch.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(dir=self.scratch, suffix=".part")
            self._pending, self._fh = Path(name), os.fdopen(fd, "w+b")
        self._fh.write(data)
        self._pending_size += len(data)

    def flush(self) -> None:
        """Keep this request's bytes as rows (the writer leaves with the upload unfinished)."""
        if self._fh is None:
            return
        if self._pending_size:
            now = dt.datetime.fromtimestamp(self.clock(), dt.UTC)
            self._fh.seek(0)
            while data := self._fh.read(_ROW_BYTES):
                self.conn.execute(sa.insert(_PARTS), {"instance_id": self.instance_id, "name": self.name,
                                                      "start": self.held, "data": data, "touched_at": now})
                self.held += len(data)
        self._drop_pending()

    def _drop_pending(self) -> None:
        if self._fh is not None:
            self._fh.close()
        if self._pending is not None:
            self._pending.unlink(missing_ok=True)
        self._fh, self._pending, self._pending_size = None, None, 0

    def truncate(self, length: int) -> None:
        if length >= self.held:
            if self._fh is not None:
                self._pending_size = min(self._pending_size, length - self.held)
                self._fh.truncate(self._pending_size)
                self._fh.seek(self._pending_size)
            return
        self._drop_pending()
        self.conn.execute(sa.delete(_PARTS).where(_one(self.instance_id, self.name), _PARTS.c.start >= length))
        row = self.conn.execute(sa.select(_PARTS.c.id, _PARTS.c.start, _PARTS.c.data)
                                .where(_one(self.instance_id, self.name)).order_by(_PARTS.c.start.desc())
                                .limit(1)).first()
        if row is not None and row.start + len(row.data) > length:
            self.conn.execute(sa.update(_PARTS).where(_PARTS.c.id == row.id)
                              .values(data=bytes(row.data[:length - row.start])))
        self.held = length

    @contextlib.contextmanager
    def assemble(self) -> Iterator[Path]:
        """The upload as one local file: this request's scratch file when it holds every byte, else the rows
        (read one by one: never the whole photo in memory) followed by this request's bytes."""
        if self._fh is not None:
            self._fh.flush()
        if self.held == 0 and self._pending is not None:
            path = self._pending
            self._fh.close()
            self._fh, self._pending, self._pending_size = None, None, 0
            self._assembled = path
            try:
                yield path  # storing it moves it away; discard() removes it
            finally:
                self._assembled = None
                if path.exists():  # neither stored nor discarded: still this request's bytes
                    self._pending, self._fh = path, open(path, "r+b")  # noqa: SIM115 - closed by _drop_pending
                    self._pending_size = self._fh.seek(0, os.SEEK_END)
            return
        self.scratch.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=self.scratch, suffix=".part")
        path = Path(name)
        try:
            with os.fdopen(fd, "wb") as out:
                rows = self.conn.execute(
                    sa.select(_PARTS.c.start, _PARTS.c.data).where(_one(self.instance_id, self.name))
                    .order_by(_PARTS.c.start), execution_options={"stream_results": True, "yield_per": 8})
                for _start, data in rows:
                    out.write(data)  # contiguous by construction; the sha256 check judges the whole
                if self._fh is not None:
                    self._fh.seek(0)
                    shutil.copyfileobj(self._fh, out, 1 << 20)
            yield path
        finally:
            path.unlink(missing_ok=True)

    def discard(self) -> None:
        self._drop_pending()
        if self._assembled is not None:
            self._assembled.unlink(missing_ok=True)
        if self.held:
            self.conn.execute(sa.delete(_PARTS).where(_one(self.instance_id, self.name)))
        self.held = 0
