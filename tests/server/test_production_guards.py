"""Production refuses demo data (the 'demo' password must never reach a real database) and weak
passwords chosen on the command line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[2]


def run(tmp_path, *args, production=True, input_text=None):
    env = dict(os.environ, MAIAM_INSTANCE=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path / 'p.db'}",
               MAIAM_ENV="production" if production else "development", SECRET_KEY="s" * 48)
    return subprocess.run([sys.executable, "-m", "server", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, input=input_text, timeout=120)


def demo_users(tmp_path) -> int:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'p.db'}")
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text("SELECT count(*) FROM users WHERE username = 'volunteer'")).scalar()
    finally:
        engine.dispose()


def test_demo_data_is_refused_in_production(tmp_path):
    r = run(tmp_path, "--demo", "--port", "1")
    assert r.returncode != 0 and "MAIAM_ENV=production" in r.stderr and "Traceback" not in r.stderr
    assert run(tmp_path, "db", "upgrade").returncode == 0
    r = run(tmp_path, "seed-demo")
    assert r.returncode != 0 and "MAIAM_ENV=production" in r.stderr and "Traceback" not in r.stderr
    assert demo_users(tmp_path) == 0
    assert run(tmp_path, "seed-demo", production=False).returncode == 0 and demo_users(tmp_path) == 1


def test_create_user_and_set_password_refuse_weak_passwords(tmp_path):
    assert run(tmp_path, "db", "upgrade").returncode == 0
    assert run(tmp_path, "import-units", str(ROOT / "server" / "data" / "quang_nam_units.csv")).returncode == 0
    r = run(tmp_path, "create-user", "lan", "--role", "reviewer", "--unit", "517", "--password", "12345678")
    assert r.returncode != 0 and "too weak" in r.stderr and "Traceback" not in r.stderr
    r = run(tmp_path, "create-user", "lan", "--role", "reviewer", "--unit", "517", "--password", "nha-moi-2026")
    assert r.returncode == 0, r.stderr
    r = run(tmp_path, "set-password", "lan", "--password", "lan")
    assert r.returncode != 0 and "too weak" in r.stderr
    r = run(tmp_path, "set-password", "lan", "--password", "mai-am-quang-nam")
    assert r.returncode == 0 and "signed out everywhere" in r.stdout
