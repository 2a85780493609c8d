"""Mái Ấm sync server: `create_app(config)` builds a Flask app; nothing happens at import time."""

from __future__ import annotations

from pathlib import Path

from flask import Flask


def create_app(config: dict | None = None) -> Flask:
    from server import config as config_module
    from server import errors, security
    from server.api import register_blueprints
    from server.extensions import api, csrf, db, migrate

    settings = config_module.load(config)
    app = Flask(__name__, instance_path=settings["INSTANCE_PATH"])
    app.config.update(settings)
    from server.params import DbIdConverter

    app.url_map.converters["id"] = DbIdConverter  # <id:...>: an id beyond 64 bits is a 404, not a 500
    Path(app.config["MEDIA_ROOT"]).mkdir(parents=True, exist_ok=True)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent / "migrations"))
    csrf.init_app(app)
    api.init_app(app)
    from flask_smorest.spec.plugins import integerconverter2paramschema

    api.register_converter(DbIdConverter, integerconverter2paramschema)
    api.spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    errors.register(app)
    security.register(app)
    register_blueprints(app, api)
    _sqlite_pragmas(app)

    from server import cli

    cli.register(app)
    return app


def _sqlite_pragmas(app: Flask) -> None:
    """WAL and foreign keys for SQLite connections."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    import sqlalchemy as sa

    from server.extensions import db

    with app.app_context():
        engine = db.engine

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA busy_timeout=10000")
        cur.close()
