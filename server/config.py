"""Configuration from the environment. The only module that reads os.environ for the server."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

DEFAULT_INSTANCE = Path(os.getcwd()) / "instance"
MIN_SECRET_BYTES = 32


def load(overrides: dict | None = None, instance_path: str | os.PathLike | None = None) -> dict:
    """Settings for create_app: environment first, then `overrides` (tests pass a dict)."""
    overrides = dict(overrides or {})
    env = os.environ
    instance = Path(overrides.pop("INSTANCE_PATH", None) or instance_path or env.get("MAIAM_INSTANCE")
                    or DEFAULT_INSTANCE)
    production = env.get("MAIAM_ENV", "development") == "production"
    cfg: dict = {
        "INSTANCE_PATH": str(instance),
        "PRODUCTION": production,
        "SQLALCHEMY_DATABASE_URI": env.get("DATABASE_URL") or f"sqlite:///{instance / 'maiam.db'}",
        "MEDIA_ROOT": env.get("MEDIA_ROOT") or str(instance / "media"),
        # Where photos live (docs/production.md "Several nodes"): `file` (MEDIA_ROOT) or `s3` (an
        # S3-compatible bucket); unfinished uploads: `file` (MEDIA_ROOT/partial, flock) or `database`
        # (PostgreSQL rows, advisory lock: any node finishes any upload); empty: database on PostgreSQL.
        "STORAGE": env.get("MAIAM_STORAGE", "file"),
        "PARTIALS": env.get("MAIAM_PARTIALS", ""),
        "S3": {"endpoint": env.get("MAIAM_S3_ENDPOINT", ""), "bucket": env.get("MAIAM_S3_BUCKET", ""),
               "region": env.get("MAIAM_S3_REGION", ""), "prefix": env.get("MAIAM_S3_PREFIX", ""),
               "addressing": env.get("MAIAM_S3_ADDRESSING", "path"),
               "access_key": env.get("MAIAM_S3_ACCESS_KEY", ""), "secret_key": env.get("MAIAM_S3_SECRET_KEY", ""),
               # 0: photos stream through the server; N: the browser is sent to a URL valid N seconds
               "presign_seconds": int(env.get("MAIAM_S3_PRESIGN_SECONDS", 0))},
        # A request body larger than this is refused (413) before it is read.
        "MAX_CONTENT_LENGTH": int(env.get("MAIAM_MAX_BODY", 25 * 1024 * 1024)),
        "MAX_ATTACHMENT_BYTES": int(env.get("MAIAM_MAX_ATTACHMENT", 20 * 1024 * 1024)),
        "MAX_ENVELOPE_BYTES": int(env.get("MAIAM_MAX_ENVELOPE", 2 * 1024 * 1024)),
        # Uploads (docs/production.md "Uploads"): pixels of one photo (the phone sends <= 1600 px a
        # side), unfinished bytes one account may leave, how long an unfinished upload is kept.
        "MAX_IMAGE_PIXELS": int(env.get("MAIAM_MAX_IMAGE_PIXELS", 24_000_000)),
        "PARTIAL_BYTES_PER_USER": int(env.get("MAIAM_PARTIAL_BYTES_PER_USER", 200 * 1024 * 1024)),
        "PARTIAL_MAX_AGE_HOURS": float(env.get("MAIAM_PARTIAL_MAX_AGE_HOURS", 72)),
        "PARTIAL_CLEAN_EVERY_MINUTES": float(env.get("MAIAM_PARTIAL_CLEAN_EVERY_MINUTES", 60)),
        "TOKEN_DAYS": int(env.get("MAIAM_TOKEN_DAYS", 180)),
        # OpenRosa (ODK Collect, server/openrosa): the largest POST Collect is told to send (it splits a
        # survey's photos over several POSTs), and how long a Collect key lives.
        "OPENROSA_ACCEPT_BYTES": int(env.get("MAIAM_OPENROSA_ACCEPT_BYTES", 10 * 1024 * 1024)),
        "COLLECT_KEY_DAYS": int(env.get("MAIAM_COLLECT_KEY_DAYS", 365)),
        # The address phones use to reach this server, put in the set-up QR code (accounts page); by
        # default the address the admin's browser used.
        "PUBLIC_URL": env.get("MAIAM_PUBLIC_URL") or None,
        # Sign-in throttling (server/services/accounts/auth.py): failures per (account, address) and per
        # account before delays start, the first delay (doubling) and its cap, and when a quiet
        # counter is forgotten.
        "LOGIN_FAILURES_ALLOWED": int(env.get("MAIAM_LOGIN_FAILURES", 5)),
        "LOGIN_ACCOUNT_FAILURES_ALLOWED": int(env.get("MAIAM_LOGIN_ACCOUNT_FAILURES", 20)),
        "LOGIN_FIRST_DELAY_SECONDS": int(env.get("MAIAM_LOGIN_DELAY", 30)),
        "LOGIN_MAX_DELAY_SECONDS": int(env.get("MAIAM_LOGIN_MAX_DELAY", 900)),
        "LOGIN_WINDOW_SECONDS": int(env.get("MAIAM_LOGIN_WINDOW", 3600)),
        # How many reverse proxies in front set X-Forwarded-For/-Proto (werkzeug ProxyFix); 0: none,
        # the client address is the TCP peer.
        "TRUSTED_PROXIES": int(env.get("MAIAM_TRUSTED_PROXIES", 0)),
        # A browser session idle this long is ended on the server.
        "SESSION_IDLE_MINUTES": int(env.get("MAIAM_SESSION_IDLE_MINUTES", 120)),
        # Data-quality signals (server/services/surveys/signals.py Thresholds): a photo's EXIF position this far
        # from the house, its EXIF time this many days before the survey, another house this close, and
        # photos whose perceptual hashes differ in at most this many bits of 64 count as "near-identical".
        "SIGNAL_PHOTO_FAR_M": float(env.get("MAIAM_SIGNAL_PHOTO_FAR_M", 500)),
        "SIGNAL_PHOTO_OLD_DAYS": float(env.get("MAIAM_SIGNAL_PHOTO_OLD_DAYS", 30)),
        "SIGNAL_SAME_POINT_M": float(env.get("MAIAM_SIGNAL_SAME_POINT_M", 5)),
        "SIGNAL_PHASH_BITS": int(env.get("MAIAM_SIGNAL_PHASH_BITS", 6)),
        # The maps' base layer: an XYZ tile URL ({z}/{x}/{y}, optional {s}) and its attribution (HTML); the
        # browser loads tiles from there when it is online, else the map shows a coordinate grid. Empty:
        # no base layer, the grid only. The tile host is added to the CSP's img-src (server/security.py).
        "MAP_TILE_URL": env.get("MAIAM_MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"),
        "MAP_TILE_ATTRIBUTION": env.get(
            "MAIAM_MAP_TILE_ATTRIBUTION",
            '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'),
        "MAP_TILE_MAX_ZOOM": int(env.get("MAIAM_MAP_TILE_MAX_ZOOM", 19)),
        # Boundaries (GeoJSON) an admin uploads: the file's size, and the points kept per unit after
        # simplification (server/services/programme/boundaries.py).
        "MAX_BOUNDARY_BYTES": int(env.get("MAIAM_MAX_BOUNDARY_BYTES", 20 * 1024 * 1024)),
        "SESSION_COOKIE_SECURE": production,
        "HSTS": production,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "API_TITLE": "Mái Ấm API",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api/v1",
        "OPENAPI_JSON_PATH": "openapi.json",
        # every operation needs the bearer token unless it says security=[] (sign-in)
        "API_SPEC_OPTIONS": {"security": [{"bearer": []}]},
        "WTF_CSRF_TIME_LIMIT": None,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "JSON_SORT_KEYS": False,
    }
    cfg.update(overrides)
    if "SECRET_KEY" not in cfg:
        cfg["SECRET_KEY"] = env.get("SECRET_KEY") or _dev_secret(instance, production)
    if production and len(str(cfg["SECRET_KEY"]).encode()) < MIN_SECRET_BYTES:
        raise RuntimeError(f"SECRET_KEY must be at least {MIN_SECRET_BYTES} bytes when MAIAM_ENV=production")
    _check_storage(cfg)
    return cfg


def _check_storage(cfg: dict) -> None:
    """A storage set-up that cannot work stops the start, with the variable to fix."""
    if cfg["STORAGE"] not in ("file", "s3"):
        raise RuntimeError(f"MAIAM_STORAGE must be file or s3, not {cfg['STORAGE']!r}")
    if cfg["PARTIALS"] not in ("", "file", "database"):
        raise RuntimeError(f"MAIAM_PARTIALS must be file or database, not {cfg['PARTIALS']!r}")
    if cfg["PARTIALS"] == "database" and not cfg["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        raise RuntimeError("MAIAM_PARTIALS=database needs PostgreSQL (DATABASE_URL=postgresql+psycopg://...)")
    if cfg["STORAGE"] == "s3" and not (cfg.get("S3") or {}).get("bucket"):
        raise RuntimeError("MAIAM_S3_BUCKET must be set when MAIAM_STORAGE=s3")


def _dev_secret(instance: Path, production: bool) -> str:
    if production:
        raise RuntimeError("SECRET_KEY must be set when MAIAM_ENV=production")
    instance.mkdir(parents=True, exist_ok=True)
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()
