"""Migration 0007 fills the search columns of rows written before it, with the same folding as ingest."""

from __future__ import annotations

import json
import os
import uuid

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from forms.compile import compile_file
from server import create_app
from server.extensions import db
from tests.server.world import LIBRARY


@pytest.fixture
def old_database(tmp_path, backend):
    cfg = {"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x"}
    schema = None
    if backend == "sqlite":
        cfg["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp_path / 'm.db'}"
    else:
        url = os.environ["TEST_DATABASE_URL"]
        schema = "t_" + uuid.uuid4().hex[:12]
        _admin(url, f"CREATE SCHEMA {schema}")
        cfg["SQLALCHEMY_DATABASE_URI"] = url
        cfg["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"options": f"-csearch_path={schema}"}}
    app = create_app(cfg)
    with app.app_context():
        upgrade(revision="0012")  # the revision before 0013_search_text
        yield app
        db.session.remove()
        db.engine.dispose()
    if schema:
        _admin(os.environ["TEST_DATABASE_URL"], f"DROP SCHEMA {schema} CASCADE")


def _admin(url: str, sql: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text(sql))
    engine.dispose()


def test_0013_backfills_houses_and_surveys(old_database, backend):
    definition = compile_file(LIBRARY / "house_assessment.xlsx")
    with db.engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO org_units (id, code, name, level, path, active) VALUES "
                             "(1, '20968', 'Xã Tam Xuân I', 'commune', '/20968/', true), "
                             "(2, '2096802', 'Thôn 2', 'village', '/20968/2096802/', true)"))
        conn.execute(sa.text("INSERT INTO users (id, username, password_hash, role, org_unit_id, full_name, is_active, "
                             "created_at) VALUES (1, 'vol_a', 'x', 'volunteer', 1, 'Lê Thị Hoa', true, "
                             "CURRENT_TIMESTAMP)"))
        conn.execute(sa.text("INSERT INTO forms (form_id, version, title, definition, hash, state, published_at) VALUES "
                             "('house_assessment', :v, 't', :d, 'x', 'published', CURRENT_TIMESTAMP)"),
                     {"v": definition["version"], "d": json.dumps(definition)})
        villages = (LIBRARY / "house_assessment-media" / "villages.csv").read_bytes()  # the form's media (0009)
        conn.execute(sa.text("INSERT INTO form_media (form_pk, name, sha256, size, content) SELECT id, 'villages.csv', "
                             "'x', :n, :c FROM forms WHERE form_id = 'house_assessment'"), {"n": len(villages), "c": villages})
        conn.execute(sa.text("INSERT INTO houses (id, uuid, org_unit_id, status, head_name, id_number, village, "
                             "created_at, updated_at) VALUES (1, 'u1', 2, 'assessed', 'Nguyễn Văn Em', '049201000123', "
                             "'2096802', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
        answers = {"head_name": "Đặng Văn Đức", "head_cccd": "049201000789", "village": "2096802"}
        conn.execute(sa.text("INSERT INTO submissions (instance_id, form_id, form_version, org_unit_id, user_id, "
                             "answers, review_status, received_at, complete) VALUES ('i1', 'house_assessment', :v, 2, 1, "
                             ":a, 'received', CURRENT_TIMESTAMP, true)"),
                     {"v": definition["version"], "a": json.dumps(answers, ensure_ascii=False)})
    upgrade()
    with db.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT search_text FROM houses")).scalar() == \
            " nguyen van em | 049201000123 | thon 2"
        assert conn.execute(sa.text("SELECT search_text FROM submissions")).scalar() == \
            " dang van duc | 049201000789 | thon 2 | le thi hoa | vol a"
        if backend == "postgresql":  # and the substring search has its trigram index
            assert conn.execute(sa.text("SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema() AND "
                                        "indexname LIKE '%search_trgm'")).scalar() == 2
