"""The accent-insensitive search columns' substring index on PostgreSQL.

``houses.search_text`` and ``submissions.search_text`` hold the folded words of a record
(``forms.search``); a search asks ``search_text LIKE '%word%'`` for each word. On PostgreSQL a GIN
trigram index (``pg_trgm``, a trusted extension: a database owner may install it) serves those LIKEs;
it is made here when the tables are created, and by migration 0007 for an existing database. The extension
is installed in ``public`` and its operator class named with its schema, so that a connection whose
search_path is another schema (the tests' per-test schemas) finds it. Without the extension (no right
to install it) the search still works, by a scan. SQLite keeps the plain index of the models.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa

log = logging.getLogger(__name__)
TRIGRAM_INDEXES = {"houses": "ix_houses_search_trgm", "submissions": "ix_submissions_search_trgm"}


def create_trigram_index(conn, table: str) -> bool:
    """Create the trigram index of ``table`` (PostgreSQL only); False when pg_trgm cannot be had."""
    if conn.dialect.name != "postgresql":
        return False
    try:
        with conn.begin_nested():
            conn.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public"))
    except sa.exc.DBAPIError as err:  # no right to install it, or it lives elsewhere
        log.warning("pg_trgm not installed (%s): searches scan the table", err.orig)
    try:
        with conn.begin_nested():
            conn.execute(sa.text(f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEXES[table]} ON {table} "
                                 "USING gin (search_text public.gin_trgm_ops)"))
    except sa.exc.DBAPIError as err:
        log.warning("no trigram index on %s (%s): searches scan the table", table, err.orig)
        return False
    return True


def listen(table: sa.Table) -> None:
    sa.event.listen(table, "after_create", lambda target, conn, **kw: create_trigram_index(conn, target.name))
