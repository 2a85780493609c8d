"""The phone database's schema, as numbered migrations tracked by `PRAGMA user_version`.

A migration is a list of statements applied in ONE transaction together with the new version
number, so a crash half-way leaves the previous version intact. Append new migrations; never edit
an applied one.
"""

from __future__ import annotations

import sqlite3

OUTBOX_STATES = ("queued", "sending", "waiting_photos", "sent", "failed_permanent")
ATTACHMENT_STATES = ("pending", "uploading", "done")
DRAFT_STATES = ("editing", "finished")


def _in(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


V1 = [
    "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE forms (
        form_id TEXT PRIMARY KEY,
        version TEXT NOT NULL,
        hash TEXT NOT NULL,
        etag TEXT,
        title TEXT,
        definition TEXT NOT NULL,
        updated_at TEXT NOT NULL)""",
    f"""CREATE TABLE drafts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        instance_id TEXT NOT NULL UNIQUE,
        form_id TEXT NOT NULL,
        form_version TEXT NOT NULL,
        house_id TEXT,
        answers TEXT NOT NULL DEFAULT '{{}}',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'editing' CHECK (status IN {_in(DRAFT_STATES)}),
        reviewer_comment TEXT,
        source_instance_id TEXT UNIQUE,
        errors TEXT)""",
    f"""CREATE TABLE outbox (
        instance_id TEXT PRIMARY KEY,
        draft_id INTEGER REFERENCES drafts(id) ON DELETE SET NULL,
        form_id TEXT NOT NULL,
        form_version TEXT NOT NULL,
        house_id TEXT,
        envelope TEXT NOT NULL,
        envelope_hash TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN {_in(OUTBOX_STATES)}),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at REAL NOT NULL DEFAULT 0,
        last_error TEXT,
        server_status TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        sent_at TEXT)""",
    "CREATE INDEX outbox_due ON outbox (state, next_attempt_at)",
    f"""CREATE TABLE attachments (
        instance_id TEXT NOT NULL REFERENCES outbox(instance_id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        size INTEGER NOT NULL CHECK (size >= 0),
        path TEXT NOT NULL,
        content_type TEXT NOT NULL DEFAULT 'image/jpeg',
        uploaded_bytes INTEGER NOT NULL DEFAULT 0 CHECK (uploaded_bytes >= 0),
        state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN {_in(ATTACHMENT_STATES)}),
        PRIMARY KEY (instance_id, name))""",
    """CREATE TABLE photos (
        name TEXT PRIMARY KEY,
        sha256 TEXT NOT NULL,
        size INTEGER NOT NULL,
        path TEXT NOT NULL,
        width INTEGER,
        height INTEGER,
        taken_at TEXT,
        gps TEXT,
        created_at TEXT NOT NULL)""",
    """CREATE TABLE houses (
        house_id TEXT PRIMARY KEY,
        head_name TEXT,
        status TEXT,
        comment TEXT,
        data TEXT,
        updated_at TEXT)""",
    # submissions already turned back into drafts (a re-read feed must not reopen them twice)
    "CREATE TABLE reopened (instance_id TEXT PRIMARY KEY, draft_id INTEGER, at TEXT NOT NULL)",
]

# A form's media files (CSV / GeoJSON lists), downloaded with its definition and checked by sha256.
V2 = [
    """CREATE TABLE form_media (
        form_id TEXT NOT NULL,
        name TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        content BLOB NOT NULL,
        PRIMARY KEY (form_id, name))""",
]

MIGRATIONS: list[list[str]] = [V1, V2]


class SchemaError(RuntimeError):
    """The database file is from a newer app version, or a migration failed (nothing was changed)."""


def version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def migrate(conn: sqlite3.Connection, migrations: list[list[str]] | None = None) -> int:
    """Bring the schema to the latest version, one transaction per migration; returns the version."""
    migrations = MIGRATIONS if migrations is None else migrations
    current = version(conn)
    if current > len(migrations):
        raise SchemaError(f"database schema version {current} is newer than this app ({len(migrations)})")
    for number in range(current + 1, len(migrations) + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in migrations[number - 1]:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number:d}")
        except sqlite3.Error as exc:
            conn.execute("ROLLBACK")
            raise SchemaError(f"migration {number} failed: {exc}") from exc
        conn.execute("COMMIT")
    return version(conn)
