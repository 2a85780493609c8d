"""Unfinished photo uploads in PostgreSQL (several nodes): the bytes received so far as rows of
`upload_parts`, one writer at a time per (instance_id, name) under a transaction-level advisory lock, so
any node finishes an upload another one began. The interface is FilePartials' (partials.py)."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import shutil
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import sqlalchemy as sa

from server.models.uploads import UploadPart
from server.services.files.partials import Cleaned, UploadBusy

_ROW_BYTES = 256 * 1024  # one upload_parts row holds at most this much
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
        writer.close()  # kept as rows, or not kept at all: never left in the scratch folder


class DatabaseWriter:
    """Bytes of this request go to a local scratch file first; they become `upload_parts` rows only when the
    writer leaves with the upload unfinished (a cut body: the phone resumes from them on any node). A photo
    that arrives whole in one request never enters the table (`assemble` yields the scratch file)."""

    def __init__(self, conn: sa.Connection, instance_id: str, name: str, scratch: Path, clock):
        self.conn, self.instance_id, self.name = conn, instance_id, name
        self.scratch, self.clock = scratch, clock
        # one read of what every unfinished upload holds (few rows): this one's bytes, and the quota's sums
        held = conn.execute(sa.select(_PARTS.c.instance_id, _PARTS.c.name, sa.func.sum(sa.func.length(_PARTS.c.data)))
                            .group_by(_PARTS.c.instance_id, _PARTS.c.name)).all()
        self.held = next((int(n or 0) for iid, nm, n in held if iid == instance_id and nm == name), 0)
        self._by_survey: dict[str, int] = {}
        for iid, _nm, n in held:
            self._by_survey[iid] = self._by_survey.get(iid, 0) + int(n or 0)
        self._pending: Path | None = None  # this request's bytes, after the `held` ones
        self._fh = None
        self._pending_size = 0
        self._assembled: Path | None = None  # the scratch file `assemble` is yielding

    def size(self) -> int:
        return self.held + self._pending_size

    def held_by_survey(self) -> dict[str, int]:
        """{instance_id: bytes held} of every unfinished upload when this writer came in (its own included)."""
        return dict(self._by_survey)

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
        self.close()

    def close(self) -> None:
        """Forget this request's scratch bytes (kept as rows by `flush`, or not kept)."""
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
        self.close()
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
                    self._pending, self._fh = path, open(path, "r+b")  # noqa: SIM115 - closed by close
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
        self.close()
        if self._assembled is not None:
            self._assembled.unlink(missing_ok=True)
        if self.held:
            self.conn.execute(sa.delete(_PARTS).where(_one(self.instance_id, self.name)))
        self.held = 0
