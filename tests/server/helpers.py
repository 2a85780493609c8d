"""Builders for the sync-API tests: the library form published, valid envelopes, real JPEG bytes."""

from __future__ import annotations

import hashlib
import io
import uuid
from datetime import UTC, datetime
from pathlib import Path

from PIL import Image

from forms.envelope import make_envelope
from forms.example import generate
from server.extensions import db
from server.services import forms as forms_service

LIBRARY = Path(__file__).resolve().parents[2] / "forms" / "library"


def publish(name: str = "house_assessment"):
    form, _ = forms_service.publish_file(db.session, LIBRARY / f"{name}.xlsx")
    db.session.commit()
    return form


def jpeg(seed: int = 0, size=(40, 30)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (seed * 40 % 255, 90, 160)).save(buf, "JPEG")
    return buf.getvalue()


def envelope(form_row, seed: int = 1, preset: dict | None = None, **overrides):
    form = forms_service.engine_form(form_row)
    answers = generate(form, seed=seed, preset=preset)
    blobs = {}
    attachments = []
    for i, name in enumerate(form.image_files(answers)):
        data = jpeg(seed * 10 + i)
        blobs[name] = data
        attachments.append({"name": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data),
                            "content_type": "image/jpeg"})
    env = make_envelope(form, str(uuid.uuid4()), answers, attachments, datetime.now(UTC).isoformat(),
                        form_version=form_row.version)
    env.update(overrides)
    return env, blobs
