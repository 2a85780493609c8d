"""The submission envelope on the wire: canonical JSON and the hash that defines its identity.

The server compares `envelope_hash` of a repeated instance_id: equal -> 200 (same again),
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


def image_answers(form: Form, answers: dict) -> list[str]:
    """File names of every image answer (inside repeats too), in document order, no duplicates."""
    names: list[str] = []

    def walk(nodes, values):
        for node in nodes:
            if node.is_group:
                walk(node.children, values)
            elif node.is_repeat:
                for item in values.get(node.name) or []:
                    if isinstance(item, dict):
                        walk(node.children, item)
            elif node.type == "image":
                v = values.get(node.name)
                if isinstance(v, str) and v and v not in names:
                    names.append(v)

    if isinstance(answers, dict):
        walk(form.questions, answers)
    return names


def make_envelope(form: Form, instance_id: str, answers: dict, attachments: list[dict],
                  created_at: str, house_id: str | None = None) -> dict:
    env = {
        "instance_id": instance_id,
        "form_id": form.form_id,
        "form_version": form.version,
        "created_at": created_at,
        "answers": answers,
        "attachments": sorted(attachments, key=lambda a: a["name"]),
    }
    if house_id:
        env["house_id"] = house_id
    return env
