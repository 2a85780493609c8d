"""Configuration comes from the environment; production refuses to start without a secret."""

import pytest

from server import config


def test_defaults_live_under_the_instance_folder(tmp_path, monkeypatch):
    for var in ("DATABASE_URL", "MEDIA_ROOT", "SECRET_KEY", "MAIAM_ENV"):
        monkeypatch.delenv(var, raising=False)
    cfg = config.load(instance_path=tmp_path)
    assert cfg["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'maiam.db'}"
    assert cfg["MEDIA_ROOT"] == str(tmp_path / "media")
    assert cfg["SECRET_KEY"] == config.load(instance_path=tmp_path)["SECRET_KEY"]  # generated once, kept
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_environment_selects_database_and_media(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://u@h/db")
    monkeypatch.setenv("MEDIA_ROOT", "/srv/photos")
    cfg = config.load(instance_path=tmp_path)
    assert cfg["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db" and cfg["MEDIA_ROOT"] == "/srv/photos"


def test_production_requires_a_secret_key(tmp_path, monkeypatch):
    monkeypatch.setenv("MAIAM_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        config.load(instance_path=tmp_path)
    monkeypatch.setenv("SECRET_KEY", "from-the-environment-" + "x" * 11)
    assert config.load(instance_path=tmp_path)["SECRET_KEY"] == "from-the-environment-" + "x" * 11


def test_production_refuses_a_short_secret_key(tmp_path, monkeypatch):
    monkeypatch.setenv("MAIAM_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 31)
    with pytest.raises(RuntimeError, match="32 bytes"):
        config.load(instance_path=tmp_path)
    monkeypatch.setenv("MAIAM_ENV", "development")
    assert config.load(instance_path=tmp_path)["SECRET_KEY"] == "x" * 31  # development keeps any key


def test_production_sets_secure_cookies_and_hsts(tmp_path, monkeypatch):
    monkeypatch.setenv("MAIAM_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "k" * 40)
    for var in ("MAIAM_TRUSTED_PROXIES", "MAIAM_SESSION_IDLE_MINUTES"):
        monkeypatch.delenv(var, raising=False)
    cfg = config.load(instance_path=tmp_path)
    assert cfg["SESSION_COOKIE_SECURE"] is True and cfg["HSTS"] is True
    assert cfg["TRUSTED_PROXIES"] == 0 and cfg["SESSION_IDLE_MINUTES"] == 120
    monkeypatch.setenv("MAIAM_TRUSTED_PROXIES", "1")
    monkeypatch.setenv("MAIAM_SESSION_IDLE_MINUTES", "30")
    cfg = config.load(instance_path=tmp_path)
    assert cfg["TRUSTED_PROXIES"] == 1 and cfg["SESSION_IDLE_MINUTES"] == 30
    monkeypatch.setenv("MAIAM_ENV", "development")
    assert config.load(instance_path=tmp_path)["SESSION_COOKIE_SECURE"] is False


def test_an_unexpected_error_is_a_json_500_without_a_trace(app):
    def boom():
        raise RuntimeError("secret internals")

    app.add_url_rule("/api/v1/boom", "boom", boom)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    r = app.test_client().get("/api/v1/boom", headers={"Accept-Language": "en"})
    assert r.status_code == 500 and r.get_json()["error"]["code"] == "server_error"
    assert "secret internals" not in r.get_data(as_text=True) and "Traceback" not in r.get_data(as_text=True)


def test_storage_settings_come_from_the_environment_and_bad_ones_stop_the_start(tmp_path, monkeypatch):
    for var, value in {"MAIAM_STORAGE": "s3", "MAIAM_S3_BUCKET": "anh-khao-sat", "MAIAM_S3_ENDPOINT": "http://10.0.0.5:9000",
                       "MAIAM_S3_REGION": "ap-southeast-1", "MAIAM_S3_PRESIGN_SECONDS": "120"}.items():
        monkeypatch.setenv(var, value)
    cfg = config.load(instance_path=tmp_path)
    assert cfg["STORAGE"] == "s3" and cfg["S3"]["bucket"] == "anh-khao-sat" and cfg["S3"]["presign_seconds"] == 120
    assert cfg["S3"]["endpoint"] == "http://10.0.0.5:9000" and cfg["S3"]["addressing"] == "path"
    monkeypatch.delenv("MAIAM_S3_BUCKET")
    with pytest.raises(RuntimeError, match="MAIAM_S3_BUCKET"):
        config.load(instance_path=tmp_path)
    monkeypatch.setenv("MAIAM_STORAGE", "ftp")
    with pytest.raises(RuntimeError, match="MAIAM_STORAGE"):
        config.load(instance_path=tmp_path)
    monkeypatch.setenv("MAIAM_STORAGE", "file")
    monkeypatch.setenv("MAIAM_PARTIALS", "database")  # advisory locks: PostgreSQL only
    with pytest.raises(RuntimeError, match="needs PostgreSQL"):
        config.load({"SQLALCHEMY_DATABASE_URI": "sqlite:///x.db"}, instance_path=tmp_path)
