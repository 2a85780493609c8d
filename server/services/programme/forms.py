"""Publishing forms: an XLSForm compiled by the form engine; a changed file becomes a new version."""

from __future__ import annotations

import hashlib
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from forms.compile import CompileError, compile_bytes, media_files
from forms.definition import load
from forms.envelope import canonical_json
from forms.media import MediaError
from server.errors import DomainError
from server.models import Form, FormMedia


def definition_hash(definition: dict) -> str:
    return hashlib.sha256(canonical_json(definition)).hexdigest()


def publish_file(session: Session, path, media=None) -> tuple[Form, bool]:
    """Compile and publish; returns (form, created). Same content again -> the existing row.
    ``media``: the form's media file paths (default: the ``<name>-media`` folder beside it). The
    version keeps its XLSForm (its XForm is made from it when ODK Collect first asks: programme.xforms)."""
    path = Path(path)
    try:
        files = media_files(path, media)
    except CompileError as err:
        raise DomainError("invalid_request", fields={"xlsform": err.errors("en")}) from None
    return publish_bytes(session, path.read_bytes(), path.name, files)


def publish_bytes(session: Session, data: bytes, filename: str, media: dict[str, bytes] | None = None
                  ) -> tuple[Form, bool]:
    """Compile an uploaded XLSForm with its media files {name: bytes} and publish it (the forms page
    and the CLI share this): CompileError problems become `invalid_request` with the cells to fix."""
    try:
        definition = compile_bytes(data, filename, media=media)
    except CompileError as err:
        raise DomainError("invalid_request", fields={"xlsform": err.errors("en")}) from None
    return publish_definition(session, definition, source=data, source_name=filename, media=media)


def publish_definition(session: Session, definition: dict, source: bytes | None = None,
                       source_name: str | None = None, media: dict[str, bytes] | None = None
                       ) -> tuple[Form, bool]:
    """Publish a compiled definition; its media files (name + sha256 in the definition) are stored
    with the version, so a changed CSV is a new version like a changed form."""
    try:
        load(definition, media if definition.get("media") else None)  # refuse what the engine cannot run
    except MediaError as err:
        raise DomainError("invalid_request", fields={"media": err.text("en")}) from None
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
    for entry in definition.get("media") or []:
        content = (media or {})[entry["name"]]
        session.add(FormMedia(form_pk=form.id, name=entry["name"], sha256=entry["sha256"], size=len(content),
                              content=content))
    session.flush()
    return form, True


def media_file(session: Session, form: Form, name: str) -> bytes:
    """One media file of a form version (what a phone downloads beside the definition)."""
    content = session.scalar(sa.select(FormMedia.content).where(FormMedia.form_pk == form.id,
                                                                 FormMedia.name == name))
    if content is None:
        raise DomainError("not_found")
    return content


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
    form = session.scalars(_one_version(sa.select(Form), form_id, version)).first()
    if form is None:
        raise DomainError("unknown_form")
    return form


def get_beside(session: Session, form_id: str, version: str | None, beside) -> tuple[Form | None, object]:
    """``get`` (None for an unknown form) and ``beside``, a scalar subquery, read in the same round trip."""
    row = session.execute(_one_version(sa.select(Form, beside), form_id, version)).first()
    return (row[0], row[1]) if row is not None else (None, None)


def _one_version(q, form_id: str, version: str | None):
    q = q.where(Form.form_id == form_id)
    q = q.where(Form.version == version) if version else q.order_by(Form.id.desc())
    return q.limit(1)


_LOADED: dict[str, object] = {}


def engine_form(form: Form):
    """The engine's Form for a row, loaded once per definition hash (definitions never change)."""
    key = form.hash or definition_hash(form.definition)
    if key not in _LOADED:
        if len(_LOADED) > 64:
            _LOADED.clear()
        _LOADED[key] = load(form.definition, _media_loader(form) if form.definition.get("media") else None)
    return _LOADED[key]


def _media_loader(form: Form):
    """Reads a version's media files from the session the form row belongs to."""
    session = Session.object_session(form)

    def read(name: str) -> bytes | None:
        return session.scalar(sa.select(FormMedia.content).where(FormMedia.form_pk == form.id,
                                                                 FormMedia.name == name)) if session else None

    return read
