"""Server fixtures: a fresh app and database per test, on SQLite and (when TEST_DATABASE_URL is set)
on PostgreSQL, each PostgreSQL test in its own schema so parallel runs never collide."""

from __future__ import annotations

import os
import uuid

import pytest
import sqlalchemy as sa

from server import create_app
from server.extensions import db as _db
from server.models import User
from tests.server import world

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])
STORAGES = ["file", "s3"]  # for the modules that cover photo storage (they override `storage_backend`)



@pytest.fixture(params=BACKENDS)
def backend(request):
    return request.param


@pytest.fixture
def storage_backend():
    """Where stored photos live: `file` here; a test module that covers photo storage overrides this
    fixture with params ["file", "s3"] (S3: moto's server on 127.0.0.1, a bucket per test)."""
    return "file"


@pytest.fixture
def app(backend, storage_backend, tmp_path, request):
    cfg = {"TESTING": True, "INSTANCE_PATH": str(tmp_path / "instance"), "MEDIA_ROOT": str(tmp_path / "media"),
           "SECRET_KEY": "test-secret", "WTF_CSRF_ENABLED": True}
    if storage_backend.startswith("s3"):  # "s3-presign": the browser gets presigned URLs
        s3 = request.getfixturevalue("s3_server")
        cfg["STORAGE"], cfg["S3"] = "s3", s3.settings(s3.new_bucket())
        cfg["S3"]["presign_seconds"] = 60 if storage_backend == "s3-presign" else 0
    schema = None
    if backend == "sqlite":
        cfg["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp_path / 'test.db'}"
    else:
        url = os.environ["TEST_DATABASE_URL"]
        schema = "t_" + uuid.uuid4().hex[:12]
        admin = sa.create_engine(url)
        with admin.begin() as conn:
            conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
        admin.dispose()
        cfg["SQLALCHEMY_DATABASE_URI"] = url
        cfg["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"options": f"-csearch_path={schema}"},
                                            "pool_pre_ping": True}
    application = create_app(cfg)
    ctx = application.app_context()
    ctx.push()
    _db.create_all()
    yield application
    _db.session.remove()
    _db.engine.dispose()
    ctx.pop()
    if schema:
        admin = sa.create_engine(os.environ["TEST_DATABASE_URL"])
        with admin.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def units(app):
    out = world.make_units(world.UNITS)
    _db.session.commit()
    return out


@pytest.fixture
def make_user(app, units):
    def make(username: str, role: str = "volunteer", unit_code: str = "20968", password: str = "demo") -> User:
        user = world.make_user(username, role, unit_code, password)
        _db.session.commit()
        return user

    return make


@pytest.fixture
def auth_header(client):
    def header(username: str, password: str = "demo", device_id: str = "test-device") -> dict:
        r = client.post("/api/v1/auth/token", json={"username": username, "password": password,
                                                   "device_id": device_id})
        assert r.status_code == 201, r.get_json()
        return {"Authorization": f"Bearer {r.get_json()['token']}"}

    return header
