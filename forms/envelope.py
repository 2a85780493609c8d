"""The submission envelope on the wire: canonical JSON and the hash that defines its identity.

`make_envelope` builds it (the one builder); the server compares `envelope_hash` of a repeated instance_id: equal -> 200 (same again),
different -> 409 (conflict).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from forms.model import Form

IDENTITY_FIELDS = ("form_id", "form_version", "house_id", "answers", "attachments")


def canonical_json(obj: Any) -> bytes:
    """Sorted keys, UTF-8, compact separators; NaN/Infinity refused."""
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


def envelope_hash(envelope: dict) -> str:
    """sha256 over the fields that define a submission (attachments sorted by name)."""
    attachments = sorted(
        (
            {"name": a.get("name"), "sha256": str(a.get("sha256", "")).lower(), "size": a.get("size")}
            for a in envelope.get("attachments") or []
            if isinstance(a, dict)
        ),
        key=lambda a: str(a["name"]),
    )
    identity = {k: envelope.get(k) for k in IDENTITY_FIELDS if k != "attachments"}
    identity["house_id"] = identity.get("house_id") or None
    identity["attachments"] = attachments
    return hashlib.sha256(canonical_json(identity)).hexdigest()


def make_envelope(form: Form, instance_id: str, answers: dict, attachments: list[dict],
                  created_at: Any, house_id: str | None = None, form_version: str | None = None) -> dict:
    """The one envelope builder (the phone's Finish, the server's demo data, tests, benches).

    `answers` are validated answers (`forms.validate`); `attachments` [{name, sha256, size, ...}], one
    per file of `form.image_files(answers)`; `form_version` the version the survey was started on
    (default: the form's own); `created_at` ISO 8601 text (a datetime for the server's own ingest).
    """
    env = {
        "instance_id": instance_id,
        "form_id": form.form_id,
        "form_version": form_version or form.version,
        "created_at": created_at,
        "answers": answers,
        "attachments": list(attachments),  # in the given (document) order: the hash sorts them
    }
    if house_id:
        env["house_id"] = house_id
    return env
