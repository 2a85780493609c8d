"""The Alembic migrations build exactly the models' schema; the commands work and fail clearly."""

import os
import sqlite3
import subprocess
import sys
import warnings
from pathlib import Path

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from server import create_app
from server.extensions import db
from server.models.submissions import PHASH_BANDS

ROOT = Path(__file__).resolve().parents[2]


def test_migrations_match_models(tmp_path, backend):
    if backend != "sqlite":
        return  # the per-test schema fixture uses create_all on PostgreSQL; one check is enough
    app = create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'm.db'}"})
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn, warnings.catch_warnings():
            # Alembic cannot compare an index on an expression (the perceptual-hash bands): named below
            warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index")
            warnings.filterwarnings("ignore", "autogenerate skipping metadata-specified expression-based index")
            diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
        db.engine.dispose()
    assert diff == []
    expression = {i.name for i in db.metadata.tables["attachments"].indexes
                  if not isinstance(i.expressions[0], sa.Column)}
    with sqlite3.connect(tmp_path / "m.db") as conn:  # every index the migrations built, by name
        built = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert len(expression) == len(PHASH_BANDS) and expression <= built  # built by 0017


def _run(tmp_path, *args, input_text=None):
    env = dict(os.environ, MAIAM_INSTANCE=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path / 'c.db'}")
    return subprocess.run([sys.executable, "-m", "server", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, input=input_text, timeout=120)


def test_commands_import_units_create_user_publish_form(tmp_path):
    assert _run(tmp_path, "db", "upgrade").returncode == 0
    r = _run(tmp_path, "import-units", str(ROOT / "server" / "data" / "quang_nam_units.csv"))
    assert r.returncode == 0 and "created 260" in r.stdout
    r = _run(tmp_path, "import-units", str(ROOT / "server" / "data" / "quang_nam_units.csv"))
    assert "created 0" in r.stdout  # idempotent
    bad = tmp_path / "bad.csv"
    bad.write_text("level,code,name,parent_code\ncommune,1,X,999\n")
    r = _run(tmp_path, "import-units", str(bad))
    assert r.returncode != 0 and "999" in r.stderr and "Traceback" not in r.stderr
    r = _run(tmp_path, "create-user", "lan", "--role", "reviewer", "--unit", "517", "--password", "s3cret-pass")
    assert r.returncode == 0, r.stderr
    r = _run(tmp_path, "revoke-tokens", "lan")
    assert r.returncode == 0 and "revoked 0 sign-in(s) of lan" in r.stdout
    r = _run(tmp_path, "revoke-tokens", "nobody")
    assert r.returncode != 0 and "no user nobody" in r.stderr and "Traceback" not in r.stderr
    r = _run(tmp_path, "publish-form", str(ROOT / "forms" / "library" / "house_assessment.xlsx"))
    assert r.returncode == 0 and "published house_assessment" in r.stdout
    r = _run(tmp_path, "publish-form", str(ROOT / "forms" / "library" / "house_assessment.xlsx"))
    assert "unchanged" in r.stdout
    # --media names the files explicitly: another villages list is another version of the form
    villages = tmp_path / "villages.csv"
    villages.write_text((ROOT / "forms" / "library" / "house_assessment-media" / "villages.csv").read_text(
        encoding="utf-8") + "2097001,Thôn Đông,Village East,20970\n", encoding="utf-8")
    r = _run(tmp_path, "publish-form", str(ROOT / "forms" / "library" / "house_assessment.xlsx"), "--media",
             str(villages))
    assert r.returncode == 0 and "published house_assessment version 2026120201.2" in r.stdout, r.stderr
