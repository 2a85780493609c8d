"""The phone's durable storage: one SQLite file in WAL mode with `synchronous=FULL`, plus photo files.

Every write is one short transaction committed (and fsynced) before the call returns, so killing the
app at any moment leaves every answer that was saved. Photos are files named by their sha256 under
`<data_dir>/photos`. The store is shared by the UI thread and the sync thread: one connection, one
lock. Settings keep the token, never the password.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mobile.core import schema
from mobile.core.i18n import CodedError

DB_NAME = "maiam.db"
PHOTO_DIR = "photos"

# setting keys (values are JSON)
SERVER_URL = "server_url"
TOKEN = "token"
USERNAME = "username"
USER = "user"  # the user object returned at login (org unit, role)
LANGUAGE = "language"
DEVICE_ID = "device_id"
LAST_SYNC_AT = "last_sync_at"
SYNC_CURSOR = "sync_cursor"
FORMS_ETAG = "forms_etag"  # the ETag of the forms list whose forms are all saved here
FORBIDDEN_SETTINGS = frozenset({"password"})


def local_now() -> datetime:
    return datetime.now(UTC).astimezone()


@dataclass
class Draft:
    id: int
    instance_id: str
    form_id: str
    form_version: str
    house_id: str | None
    answers: dict
    created_at: str
    updated_at: str
    status: str
    reviewer_comment: str | None
    source_instance_id: str | None
    errors: list | None


class StoreError(CodedError, RuntimeError):
    def __init__(self, code: str, detail: str = ""):
        super().__init__(detail or code)
        self.code = code


class Store:
    """Open (creating and migrating as needed) the app's database under `data_dir`."""

    def __init__(self, data_dir: str | Path, clock: Callable[[], datetime] = local_now):
        self.data_dir = Path(data_dir)
        self.photo_dir = self.data_dir / PHOTO_DIR
        self.photo_dir.mkdir(parents=True, exist_ok=True)
        self.clock = clock
        self._lock = threading.RLock()
        self.conn = sqlite3.connect(
            self.data_dir / DB_NAME, isolation_level=None, check_same_thread=False, timeout=10
        )
        self.conn.row_factory = sqlite3.Row
        mode = self.conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        if mode.lower() != "wal":
            raise StoreError("wal_unavailable", f"journal_mode is {mode}")
        self.conn.execute("PRAGMA synchronous=FULL")
        self.conn.execute("PRAGMA foreign_keys=ON")
        schema.migrate(self.conn)

    # ---- plumbing -------------------------------------------------------------------------------
    def close(self) -> None:
        with self._lock:
            self.conn.close()

    def now(self) -> str:
        return self.clock().isoformat(timespec="seconds")

    @contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (BEGIN IMMEDIATE ... COMMIT); rolled back on any exception."""
        with self._lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    def query(self, sql: str, params: tuple | dict = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self.conn.execute(sql, params).fetchall()

    def query_one(self, sql: str, params: tuple | dict = ()) -> sqlite3.Row | None:
        rows = self.query(sql, params)
        return rows[0] if rows else None

    # ---- settings -------------------------------------------------------------------------------
    def get_setting(self, key: str, default: Any = None) -> Any:
        row = self.query_one("SELECT value FROM settings WHERE key = ?", (key,))
        return default if row is None else json.loads(row["value"])

    def set_setting(self, key: str, value: Any) -> None:
        if key in FORBIDDEN_SETTINGS:
            raise StoreError("forbidden_setting", f"{key} is never stored")
        with self.tx() as c:
            if value is None:
                c.execute("DELETE FROM settings WHERE key = ?", (key,))
            else:
                c.execute(
                    "INSERT INTO settings (key, value) VALUES (?, ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (key, json.dumps(value, ensure_ascii=False)),
                )

    def device_id(self) -> str:
        """A stable random id for this install (sent at login)."""
        with self._lock:
            value = self.get_setting(DEVICE_ID)
            if value is None:
                value = str(uuid.uuid4())
                self.set_setting(DEVICE_ID, value)
            return value

    # ---- forms cache ----------------------------------------------------------------------------
    def save_form(self, definition: dict, hash_: str, etag: str | None = None,
                  media: dict[str, bytes] | None = None) -> None:
        """Cache a definition; ``media``: its media files by name (stored first, with the sha256 the
        definition names for each)."""
        digests = {str(m.get("name")): str(m.get("sha256")) for m in definition.get("media") or []}
        for name, content in (media or {}).items():
            self.save_form_media(definition["form_id"], name, digests.get(name, ""), content)
        with self.tx() as c:
            c.execute(
                "INSERT INTO forms (form_id, version, hash, etag, title, definition, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (form_id) DO UPDATE SET version = excluded.version, "
                "hash = excluded.hash, etag = excluded.etag, title = excluded.title, "
                "definition = excluded.definition, updated_at = excluded.updated_at",
                (
                    definition["form_id"],
                    str(definition.get("version", "")),
                    hash_,
                    etag,
                    json.dumps(definition.get("title"), ensure_ascii=False),
                    json.dumps(definition, ensure_ascii=False),
                    self.now(),
                ),
            )

    def save_form_media(self, form_id: str, name: str, sha256: str, content: bytes) -> None:
        """One media file of a form (the caller checked its sha256 against the definition)."""
        with self.tx() as c:
            c.execute(
                "INSERT INTO form_media (form_id, name, sha256, content) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (form_id, name) DO UPDATE SET sha256 = excluded.sha256, content = excluded.content",
                (form_id, name, sha256, content),
            )

    def form_media(self, form_id: str) -> dict[str, bytes]:
        """The stored media files of a form by name."""
        rows = self.query("SELECT name, content FROM form_media WHERE form_id = ?", (form_id,))
        return {r["name"]: bytes(r["content"]) for r in rows}

    def media_hashes(self, form_id: str) -> dict[str, str]:
        rows = self.query("SELECT name, sha256 FROM form_media WHERE form_id = ?", (form_id,))
        return {r["name"]: r["sha256"] for r in rows}

    def load_form(self, form_id: str):
        """The engine's Form of a cached definition with its media files (None when not cached);
        forms.media.MediaError when a file it needs is missing or of another version."""
        from forms.definition import load

        definition = self.get_form(form_id)
        if definition is None:
            return None
        return load(definition, self.form_media(form_id) if definition.get("media") else None)

    def form_hash(self, form_id: str) -> str | None:
        row = self.query_one("SELECT hash FROM forms WHERE form_id = ?", (form_id,))
        return None if row is None else row["hash"]

    def get_form(self, form_id: str) -> dict | None:
        """The cached compiled definition, or None."""
        row = self.query_one("SELECT definition FROM forms WHERE form_id = ?", (form_id,))
        return None if row is None else json.loads(row["definition"])

    def list_forms(self) -> list[dict]:
        rows = self.query("SELECT form_id, version, hash, title FROM forms ORDER BY form_id")
        return [{**dict(r), "title": json.loads(r["title"]) if r["title"] else None} for r in rows]

    # ---- drafts ---------------------------------------------------------------------------------
    def create_draft(
        self,
        form_id: str,
        form_version: str,
        house_id: str | None = None,
        answers: dict | None = None,
        reviewer_comment: str | None = None,
        source_instance_id: str | None = None,
        conn: sqlite3.Connection | None = None,
    ) -> int:
        """A new editable draft with a fresh instance_id (uuid4); returns its id."""
        params = (
            str(uuid.uuid4()),
            form_id,
            str(form_version),
            house_id,
            json.dumps(answers or {}, ensure_ascii=False),
            self.now(),
            self.now(),
            reviewer_comment,
            source_instance_id,
        )
        sql = (
            "INSERT INTO drafts (instance_id, form_id, form_version, house_id, answers, created_at, "
            "updated_at, reviewer_comment, source_instance_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        )
        if conn is not None:
            return _new_rowid(conn.execute(sql, params))
        with self.tx() as c:
            return _new_rowid(c.execute(sql, params))

    def get_draft(self, draft_id: int) -> Draft:
        row = self.query_one("SELECT * FROM drafts WHERE id = ?", (draft_id,))
        if row is None:
            raise StoreError("draft_not_found", f"draft {draft_id}")
        return _draft(row)

    def list_drafts(self, status: str = "editing") -> list[Draft]:
        rows = self.query(
            "SELECT * FROM drafts WHERE status = ? ORDER BY updated_at DESC, id DESC", (status,)
        )
        return [_draft(r) for r in rows]

    def save_answer(self, draft_id: int, field: str, value: Any) -> None:
        """Set one top-level answer (None removes it) in one committed transaction."""
        with self.tx() as c:
            row = c.execute(
                "SELECT answers FROM drafts WHERE id = ? AND status = 'editing'", (draft_id,)
            ).fetchone()
            if row is None:
                raise StoreError("draft_not_found", f"draft {draft_id}")
            answers = json.loads(row["answers"])
            if value is None:
                answers.pop(field, None)
            else:
                answers[field] = value
            c.execute(
                "UPDATE drafts SET answers = ?, updated_at = ? WHERE id = ?",
                (json.dumps(answers, ensure_ascii=False), self.now(), draft_id),
            )

    def save_answers(self, draft_id: int, answers: dict) -> None:
        """Replace the whole answers dict (repeats included) in one committed transaction."""
        with self.tx() as c:
            cur = c.execute(
                "UPDATE drafts SET answers = ?, updated_at = ? WHERE id = ? AND status = 'editing'",
                (json.dumps(answers, ensure_ascii=False), self.now(), draft_id),
            )
            if cur.rowcount != 1:
                raise StoreError("draft_not_found", f"draft {draft_id}")

    def set_draft_house(self, draft_id: int, house_id: str | None) -> None:
        with self.tx() as c:
            c.execute(
                "UPDATE drafts SET house_id = ?, updated_at = ? WHERE id = ?",
                (house_id, self.now(), draft_id),
            )

    def delete_draft(self, draft_id: int) -> None:
        """Discard an editable draft the user no longer wants (a finished one waits for the server)."""
        with self.tx() as c:
            c.execute("DELETE FROM drafts WHERE id = ? AND status = 'editing'", (draft_id,))

    # ---- photos ---------------------------------------------------------------------------------
    def photo_path(self, sha256: str) -> Path:
        return self.photo_dir / f"{sha256}.jpg"

    def add_photo(self, info) -> str:
        """Register a prepared photo (a `photos.PhotoInfo` stored in photo_dir); returns its answer name."""
        name = Path(info.path).name
        gps = None if info.gps is None else json.dumps(info.gps.as_dict())
        with self.tx() as c:
            c.execute(
                "INSERT OR IGNORE INTO photos (name, sha256, size, path, width, height, taken_at, gps, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (name, info.sha256, info.size, name, info.width, info.height, info.taken_at, gps, self.now()),
            )
        return name

    def get_photo(self, name: str) -> dict | None:
        row = self.query_one("SELECT * FROM photos WHERE name = ?", (name,))
        if row is None:
            return None
        out = dict(row)
        out["path"] = str(self.photo_dir / row["path"])
        out["gps"] = json.loads(row["gps"]) if row["gps"] else None
        return out

    def collect_photos(self) -> int:
        """Delete photo files no draft, unsent item or not-yet-reviewed survey uses; returns how many.

        A sent survey keeps its photos until the reviewer decides: one sent back for changes becomes a
        draft that still needs them (and the server keeps each photo once, so nothing is re-sent)."""
        with self._lock:
            used: set[str] = set()
            for (answers,) in self.conn.execute("SELECT answers FROM drafts"):
                used.update(_strings(json.loads(answers)))
            for (name,) in self.conn.execute(
                "SELECT a.name FROM attachments a JOIN outbox o USING (instance_id) "
                "WHERE o.state != 'sent' OR COALESCE(o.server_status, 'received') = 'received'"
            ):
                used.add(name)
            removed = 0
            for row in self.conn.execute("SELECT name, path FROM photos").fetchall():
                if row["name"] not in used:
                    with self.tx() as c:
                        c.execute("DELETE FROM photos WHERE name = ?", (row["name"],))
                    (self.photo_dir / row["path"]).unlink(missing_ok=True)
                    (self.photo_dir / "previews" / row["path"]).unlink(missing_ok=True)
                    removed += 1
            return removed

    # ---- my houses (from the sync feed) ---------------------------------------------------------
    def upsert_house(self, conn: sqlite3.Connection, house: dict) -> None:
        conn.execute(
            "INSERT INTO houses (house_id, head_name, status, comment, data, updated_at) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (house_id) DO UPDATE SET head_name = COALESCE(excluded.head_name, houses.head_name), "
            "status = COALESCE(excluded.status, houses.status), comment = excluded.comment, "
            "data = excluded.data, updated_at = excluded.updated_at",
            (
                str(house["house_id"]),
                house.get("head_name"),
                house.get("status"),
                house.get("comment"),
                json.dumps(house, ensure_ascii=False),
                self.now(),
            ),
        )

    def list_houses(self) -> list[dict]:
        """My houses as the feed last described them (its whole entry: status, units, follow_up...)."""
        return [_house(r) for r in self.query("SELECT * FROM houses ORDER BY head_name, house_id")]

    def get_house(self, house_id: str) -> dict | None:
        row = self.query_one("SELECT * FROM houses WHERE house_id = ?", (str(house_id),))
        return None if row is None else _house(row)


def _house(row: sqlite3.Row) -> dict:
    data = json.loads(row["data"]) if row["data"] else {}
    return {**data, "house_id": row["house_id"], "head_name": row["head_name"], "status": row["status"],
            "comment": row["comment"]}


def _draft(row: sqlite3.Row) -> Draft:
    return Draft(
        id=row["id"],
        instance_id=row["instance_id"],
        form_id=row["form_id"],
        form_version=row["form_version"],
        house_id=row["house_id"],
        answers=json.loads(row["answers"]),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        status=row["status"],
        reviewer_comment=row["reviewer_comment"],
        source_instance_id=row["source_instance_id"],
        errors=json.loads(row["errors"]) if row["errors"] else None,
    )


def _strings(value: Any) -> Iterator[str]:
    """Every string inside an answers structure (image answers are file names)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _new_rowid(cursor: sqlite3.Cursor) -> int:
    """The id an INSERT just gave its row (sqlite3 leaves lastrowid None only for other statements)."""
    rowid = cursor.lastrowid
    if rowid is None:
        raise sqlite3.InterfaceError("the statement inserted no row")
    return rowid
