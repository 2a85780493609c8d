"""The photo storage of the running app (server/services/files/storage.py `from_config`), built once per
settings and kept on the app: an S3 client is made once, not per request."""

from __future__ import annotations

import json

from flask import current_app

from server.extensions import db
from server.services.files.storage import Storage, from_config


def current() -> Storage:
    cfg = current_app.config
    key = json.dumps([cfg["MEDIA_ROOT"], cfg.get("STORAGE"), cfg.get("PARTIALS"), cfg.get("S3")], sort_keys=True)
    cache = current_app.extensions.setdefault("maiam_storage", {})
    if key not in cache:
        cache[key] = from_config(cfg, db.engine)
    return cache[key]
