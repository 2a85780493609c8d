"""Publishing forms: an XLSForm compiled by the form engine; a changed file becomes a new version."""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from sqlalchemy.orm import Session

from forms.definition import load
from forms.envelope import canonical_json
from server.errors import DomainError
from server.models import Form


def definition_hash(definition: dict) -> str:
    return hashlib.sha256(canonical_json(definition)).hexdigest()


def publish_file(session: Session, path) -> tuple[Form, bool]:
    """Compile and publish; returns (form, created). Same content again -> the existing row."""
    from pathlib import Path

    from forms.compile import CompileError, compile_file

    path = Path(path)
    try:
        definition = compile_file(path)
    except CompileError as err:
        raise DomainError("invalid_request", fields={"xlsform": err.errors("en")}) from None
    return publish_definition(session, definition, source=path.read_bytes(), source_name=path.name)


def publish_definition(session: Session, definition: dict, source: bytes | None = None,
                       source_name: str | None = None) -> tuple[Form, bool]:
    load(definition)  # refuse what the engine cannot run
    digest = definition_hash(definition)
    same = session.scalar(sa.select(Form).where(Form.form_id == definition["form_id"], Form.hash == digest))
    if same is not None:
        return same, False
    version = str(definition.get("version") or "1")
    clash = session.scalar(sa.select(Form).where(Form.form_id == definition["form_id"], Form.version == version))
    if clash is not None:  # the file changed but its version did not: make a new version
        n = 2
        while session.scalar(sa.select(Form.id).where(Form.form_id == definition["form_id"],
                                                      Form.version == f"{version}.{n}")):
            n += 1
        version = f"{version}.{n}"
        definition = dict(definition, version=version)
        digest = definition_hash(definition)
    title = definition.get("title") or {}
    form = Form(form_id=definition["form_id"], version=version, definition=definition, hash=digest,
                title=(title.get("vi") or next(iter(title.values()), None)) if isinstance(title, dict) else str(title),
                source=source, source_name=source_name, state="published")
    session.add(form)
    session.flush()
    return form, True


def latest(session: Session) -> list[Form]:
    """The newest published version of every form."""
    rows = session.scalars(sa.select(Form).where(Form.state == "published").order_by(Form.form_id, Form.id)).all()
    newest: dict[str, Form] = {}
    for row in rows:
        newest[row.form_id] = row
    return list(newest.values())


def listing(session: Session) -> tuple[list[dict], str]:
    """What `GET /api/v1/forms` lists (the newest version of every published form) and its ETag, which
    changes whenever a form, version, title or hash on it does (the sync feed reports it too)."""
    entries = [{"form_id": f.form_id, "version": f.version, "title": f.title, "hash": f.hash}
               for f in latest(session)]
    return entries, '"' + hashlib.sha256(canonical_json(entries)).hexdigest()[:32] + '"'


def latest_one(session: Session, form_id: str) -> Form:
    return get(session, form_id)


def get(session: Session, form_id: str, version: str | None = None) -> Form:
    q = sa.select(Form).where(Form.form_id == form_id)
    q = q.where(Form.version == version) if version else q.order_by(Form.id.desc())
    form = session.scalars(q.limit(1)).first()
    if form is None:
        raise DomainError("unknown_form")
    return form


_LOADED: dict[str, object] = {}


def engine_form(form: Form):
    """The engine's Form for a row, loaded once per definition hash (definitions never change)."""
    key = form.hash or definition_hash(form.definition)
    if key not in _LOADED:
        if len(_LOADED) > 64:
            _LOADED.clear()
        _LOADED[key] = load(form.definition)
    return _LOADED[key]
