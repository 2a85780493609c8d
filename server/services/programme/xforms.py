"""The XForm of each published form version, for the OpenRosa endpoints (ODK Collect, KoboCollect,
Enketo, ODK Web Forms): made by pyxform from the XLSForm kept at publish, when first asked for (~50 ms,
so publishing stays as fast as before), then stored with the version (it never changes), and its md5 (the ``hash`` of the OpenRosa form list, which tells Collect to download
again). A version published without its XLSForm (a definition only) has no XForm and is not listed.

Form media (``manifest``): the files a form reads (e.g. ``villages.csv`` for select_one_from_file)
belong to its version (``form_media``, stored at publish); ``media_files`` is the one seam the manifest
and the form list read (a form with media gets a manifestUrl), ``media_file`` what is downloaded.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from forms.compile import CompileError
from forms.compile.xform import xform_of
from server.errors import DomainError
from server.models import Form, FormMedia
from server.services.programme import forms as forms_service

log = logging.getLogger(__name__)
_MD5: dict[int, str] = {}  # form row id -> md5 of its XForm (a version's XForm never changes)
_MEDIA_MD5: dict[tuple[int, str], str] = {}  # (form row id, file name) -> md5 (a version's files never change)


@dataclass(frozen=True)
class Listed:
    form_id: str
    version: str
    name: str
    md5: str
    has_media: bool


@dataclass(frozen=True)
class MediaFile:
    filename: str
    md5: str
    size: int


def make(source: bytes, source_name: str, version: str) -> str | None:
    """The XForm text of an XLSForm for ``version``; None when pyxform refuses it (logged)."""
    try:
        return xform_of(source, source_name, version=version)
    except CompileError as err:
        log.warning("no XForm for %s version %s: %s", source_name, version, err.errors("en"))
        return None


def xform(session: Session, form: Form) -> str | None:
    """The stored XForm of a version, made (and stored) the first time it is asked for."""
    if form.xform is None and form.source is not None and form.source_name:
        form.xform = make(form.source, form.source_name, form.version)
        if form.xform is not None:
            session.flush()
    return form.xform


def md5(session: Session, form: Form) -> str | None:
    if form.id not in _MD5:
        text = xform(session, form)
        if text is None:
            return None
        if len(_MD5) > 256:
            _MD5.clear()
        _MD5[form.id] = hashlib.md5(text.encode("utf-8")).hexdigest()
    return _MD5[form.id]


def media_files(session: Session, form: Form) -> list[MediaFile]:
    """The media files of a version, by name, with their md5 (the manifest's ``hash``)."""
    out = []
    for name, size in session.execute(sa.select(FormMedia.name, FormMedia.size)
                                       .where(FormMedia.form_pk == form.id).order_by(FormMedia.name)).all():
        if (form.id, name) not in _MEDIA_MD5:
            if len(_MEDIA_MD5) > 1024:
                _MEDIA_MD5.clear()
            _MEDIA_MD5[(form.id, name)] = hashlib.md5(media_file(session, form, name)).hexdigest()
        out.append(MediaFile(name, _MEDIA_MD5[(form.id, name)], size))
    return out


def media_file(session: Session, form: Form, name: str) -> bytes:
    """One media file of a version (404 ``not_found`` when it has none of that name)."""
    return forms_service.media_file(session, form, name)


def listed(session: Session, form_id: str | None = None) -> list[Listed]:
    """The newest published version of every form that has an XForm (optionally one form)."""
    q = sa.select(Form).where(Form.state == "published").order_by(Form.form_id, Form.id)
    if form_id:
        q = q.where(Form.form_id == form_id)
    newest: dict[str, Form] = {}
    for row in session.scalars(q).all():
        newest[row.form_id] = row
    out = []
    for row in newest.values():
        digest = md5(session, row)
        if digest is not None:
            out.append(Listed(row.form_id, row.version, row.title or row.form_id, digest,
                              bool(media_files(session, row))))
    return out


def served(session: Session, form_id: str, version: str) -> tuple[Form, str]:
    """(row, XForm text) of one published version; 404 ``unknown_form`` when it has none."""
    row = session.scalar(sa.select(Form).where(Form.form_id == form_id, Form.version == version,
                                               Form.state == "published"))
    text = xform(session, row) if row is not None else None
    if row is None or text is None:
        raise DomainError("unknown_form")
    return row, text
