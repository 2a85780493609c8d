"""The phone database: WAL + full sync, settings without passwords, drafts, migrations, and that a
process killed with SIGKILL in the middle of saving answers loses nothing it had committed."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from mobile.core import schema
from mobile.core.store import SERVER_URL, TOKEN, Store, StoreError
from tests.conftest import ROOT


def test_database_is_wal_with_full_sync_and_foreign_keys(store):
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert schema.version(store.conn) == len(schema.MIGRATIONS)


def test_settings_round_trip_and_the_password_is_refused(store):
    store.set_setting(SERVER_URL, "http://127.0.0.1:5000")
    store.set_setting(TOKEN, "abc")
    store.set_setting("user", {"username": "volunteer", "org_unit": "20968"})
    assert store.get_setting(SERVER_URL) == "http://127.0.0.1:5000"
    assert store.get_setting("user")["org_unit"] == "20968"
    with pytest.raises(StoreError):
        store.set_setting("password", "demo")
    store.set_setting(TOKEN, None)
    assert store.get_setting(TOKEN, "none") == "none"
    assert store.device_id() == store.device_id()


def test_draft_answers_are_saved_one_by_one_and_whole(store):
    draft_id = store.create_draft("house_assessment", "2026112801", house_id="H1")
    store.save_answer(draft_id, "head_name", "Nguyễn Văn An")
    store.save_answer(draft_id, "household_size", 4)
    store.save_answer(draft_id, "household_size", None)
    draft = store.get_draft(draft_id)
    assert draft.answers == {"head_name": "Nguyễn Văn An"}
    assert draft.house_id == "H1" and draft.status == "editing"
    store.save_answers(draft_id, {"head_name": "B", "members": [{"name": "C"}]})
    assert store.get_draft(draft_id).answers["members"] == [{"name": "C"}]
    other = store.create_draft("house_assessment", "2026112801")
    assert store.get_draft(other).instance_id != draft.instance_id
    assert [d.id for d in store.list_drafts()] == [other, draft_id]  # newest first
    store.delete_draft(other)
    with pytest.raises(StoreError) as err:
        store.get_draft(other)
    assert err.value.code == "draft_not_found"
    with pytest.raises(StoreError):
        store.save_answer(other, "x", 1)


def test_reopening_keeps_everything(tmp_path, clock):
    s = Store(tmp_path, clock=clock.datetime)
    draft_id = s.create_draft("f", "1")
    s.save_answer(draft_id, "a", "xin chào")
    s.close()
    again = Store(tmp_path, clock=clock.datetime)
    assert again.get_draft(draft_id).answers == {"a": "xin chào"}
    again.close()


def test_forms_cache_replaced_when_the_hash_changes(store):
    store.save_form(
        {"form_id": "f", "version": "1", "title": {"vi": "Phiếu"}, "questions": []}, "h1", etag='"e1"'
    )
    assert store.form_hash("f") == "h1"
    store.save_form({"form_id": "f", "version": "2", "title": {"vi": "Phiếu"}, "questions": []}, "h2")
    assert store.get_form("f")["version"] == "2"
    assert store.list_forms() == [{"form_id": "f", "version": "2", "hash": "h2", "title": {"vi": "Phiếu"}}]


def test_migrations_fresh_idempotent_and_newer_database_refused(tmp_path):
    conn = sqlite3.connect(tmp_path / "m.db", isolation_level=None)
    assert schema.migrate(conn) == len(schema.MIGRATIONS)
    assert schema.migrate(conn) == len(schema.MIGRATIONS)  # nothing to do the second time
    conn.execute(f"PRAGMA user_version = {len(schema.MIGRATIONS) + 1}")
    with pytest.raises(schema.SchemaError):
        schema.migrate(conn)


def test_a_later_migration_keeps_data_and_a_failing_one_changes_nothing(tmp_path):
    conn = sqlite3.connect(tmp_path / "m.db", isolation_level=None)
    schema.migrate(conn)
    conn.execute("INSERT INTO settings VALUES ('k', '1')")
    v2 = ["ALTER TABLE houses ADD COLUMN village TEXT", "UPDATE settings SET value = '2' WHERE key = 'k'"]
    assert schema.migrate(conn, [*schema.MIGRATIONS, v2]) == len(schema.MIGRATIONS) + 1
    assert conn.execute("SELECT value FROM settings").fetchone()[0] == "2"
    broken = ["CREATE TABLE extra (x)", "INSERT INTO no_such_table VALUES (1)"]
    with pytest.raises(schema.SchemaError):
        schema.migrate(conn, [*schema.MIGRATIONS, v2, broken])
    assert schema.version(conn) == len(schema.MIGRATIONS) + 1
    assert conn.execute("SELECT COUNT(*) FROM sqlite_master WHERE name = 'extra'").fetchone()[0] == 0


WRITER = textwrap.dedent(
    """
    import sys
    from mobile.core.store import Store
    store = Store(sys.argv[1])
    draft_id = int(sys.argv[2])
    whole = sys.argv[3] == "whole"
    answers = dict(store.get_draft(draft_id).answers)
    i = 0
    while True:
        value = "giá trị " * (i % 40) + str(i)
        if whole:
            answers[f"q{i}"] = value
            store.save_answers(draft_id, answers)
        else:
            store.save_answer(draft_id, f"q{i}", value)
        print(i, flush=True)  # only after the commit returned
        i += 1
    """
)


@pytest.mark.parametrize("mode", ["field", "whole"])
def test_sigkill_mid_write_loses_no_committed_answer(tmp_path, mode):
    data = tmp_path / "data"
    s = Store(data)
    draft_id = s.create_draft("house_assessment", "1")
    s.close()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(data), str(draft_id), mode],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    committed = []
    try:
        for line in proc.stdout:
            committed.append(int(line))
            if len(committed) >= 300:
                break
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL
    assert len(committed) == 300
    again = Store(data)
    assert again.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    answers = again.get_draft(draft_id).answers
    for i in committed:
        assert answers[f"q{i}"] == "giá trị " * (i % 40) + str(i)
    # nothing half-written: every stored answer is a complete value
    for key, value in answers.items():
        i = int(key[1:])
        assert value == "giá trị " * (i % 40) + str(i)
    assert json.loads(json.dumps(answers)) == answers
    again.close()
