"""The forms page: an uploaded XLSForm becomes a draft (compiled, kept with its file), is previewed, and
is published as a new version; the versions list says what each version received.

Versions follow ODK Central: a version is a label that must not have been used before for that form
(phones tell forms apart by it), not a number that must grow. Publishing a draft whose version is
already taken is refused with a message that says so, and the page offers to publish it under a new
version typed there (Central's "change it in place"); a file identical to a published version is
refused as nothing new. The newest published version is what phones download (`forms.latest`).
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import re
import secrets
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field

import openpyxl
import sqlalchemy as sa
from openpyxl.utils import get_column_letter
from sqlalchemy.orm import Session

from forms import clock
from forms.compile import CompileError, compile_bytes
from forms.definition import load
from forms.preview import Page, preview
from server.errors import DomainError
from server.models import Form, FormDraft, Submission, User
from server.services.accounts import access, audit
from server.services.programme import forms as forms_service

MAX_XLSFORM_BYTES = 5 * 1024 * 1024      # an XLSForm of 2,000 questions is ~300 KB
MAX_MEDIA_BYTES = 5 * 1024 * 1024        # one media file (a CSV of every village of a province is ~1 MB)
MAX_MEDIA_FILES = 20
MAX_UNPACKED_BYTES = 64 * 1024 * 1024    # what the workbook's parts may expand to (a zip bomb is refused)
DRAFT_DAYS = 7                           # a draft nobody published is dropped after this
STILL_SUBMITTING_DAYS = 30               # an older version that received a survey this recently is still in use
_VERSION = re.compile(r"^[A-Za-z0-9._-]{1,40}$")
_XLSX_PARTS = ("[Content_Types].xml", "xl/workbook.xml")


def check_xlsx(data: bytes | None, filename: str) -> None:
    """Refuse what is not an .xlsx workbook of a sane size, by its content (not its name alone)."""
    if not data:
        raise DomainError("xlsform_missing", field="xlsform")
    if len(data) > MAX_XLSFORM_BYTES:
        raise DomainError("xlsform_too_large", params={"max_mb": MAX_XLSFORM_BYTES // (1024 * 1024)}, field="xlsform")
    refused = DomainError("xlsform_not_xlsx", params={"name": filename}, field="xlsform")
    if not filename.lower().endswith(".xlsx") or not data.startswith(b"PK\x03\x04"):
        raise refused
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError):
        raise refused from None
    names = {info.filename for info in infos}
    if not all(part in names for part in _XLSX_PARTS) or sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
        raise refused


def _base_name(filename: str | None) -> str:
    return (filename or "").replace("\\", "/").rsplit("/", 1)[-1][:255]


def check_media(media: Mapping[str, bytes] | None) -> dict[str, bytes]:
    """The media files of an upload by their base names (empty inputs dropped); ``form_media_too_large``."""
    files = {_base_name(name): data for name, data in (media or {}).items() if _base_name(name) and data}
    if len(files) > MAX_MEDIA_FILES or any(len(data) > MAX_MEDIA_BYTES for data in files.values()):
        raise DomainError("form_media_too_large", params={"max_files": MAX_MEDIA_FILES,
                                                          "max_mb": MAX_MEDIA_BYTES // (1024 * 1024)}, field="media")
    return files


def draft_media(draft: FormDraft) -> dict[str, bytes]:
    """The media files kept with a draft {name: bytes}."""
    return {name: base64.b64decode(text) for name, text in (draft.media or {}).items()}


def stage(session: Session, actor: User, data: bytes | None, filename: str, *, now: dt.datetime,
          media: Mapping[str, bytes] | None = None) -> FormDraft:
    """Check and compile an upload; keep it as the actor's draft of that form (replacing an older one).
    ``media``: the form's media files {name: bytes} (CSV choice lists ...), handed to the compiler and
    kept with the draft. Refusals: the codes of ``check_xlsx``, ``form_media_too_large``;
    ``xlsform_invalid`` with ``fields`` = every problem as ``{sheet, row, column, vi, en}``."""
    access.require_unit(session, actor, "manage_forms", None)
    filename = _base_name(filename)[:300]
    check_xlsx(data, filename)
    assert data is not None
    files = check_media(media)
    try:
        definition = compile_bytes(data, filename, media=files)
    except CompileError as err:
        letters = column_letters(data)
        problems = [{"sheet": p.sheet, "row": p.row, "column": p.column, "en": _first_up(p.message),
                     "vi": _first_up(p.message_vi), "letter": letters.get((p.sheet or "", p.column or ""))}
                    for p in err.problems]
        audit.record("form_upload_refused", actor=actor.username, file=filename, problems=len(problems))
        raise DomainError("xlsform_invalid", params={"n": len(problems)}, fields=problems) from None
    _drop_old(session, actor, definition["form_id"], now)
    draft = FormDraft(token=secrets.token_urlsafe(24), form_id=definition["form_id"],
                      version=str(definition.get("version") or "1"), definition=definition, source_name=filename,
                      source=data, media={name: base64.b64encode(content).decode("ascii")
                                          for name, content in files.items()} or None,
                      user_id=actor.id, org_unit_id=actor.org_unit_id,
                      created_at=now.astimezone(dt.UTC))
    session.add(draft)
    session.flush()
    audit.record("form_draft", actor=actor.username, form_id=draft.form_id, version=draft.version, file=filename)
    return draft


def _first_up(text: str) -> str:
    return text[:1].upper() + text[1:]


def column_letters(data: bytes) -> dict[tuple[str, str], str]:
    """(sheet, header) -> the Excel column letter ('J'), so a message can point at the cell as Excel shows it."""
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    except Exception:  # noqa: BLE001 - an unreadable workbook simply gets no letters
        return {}
    out = {}
    try:
        for sheet in book.worksheets:
            header = next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), ())
            for i, value in enumerate(header, start=1):
                if isinstance(value, str) and value.strip():
                    out[(sheet.title, value.strip())] = get_column_letter(i)
    finally:
        book.close()
    return out


def _drop_old(session: Session, actor: User, form_id: str, now: dt.datetime) -> None:
    session.execute(sa.delete(FormDraft).where(sa.or_(
        FormDraft.created_at < now.astimezone(dt.UTC) - dt.timedelta(days=DRAFT_DAYS),
        sa.and_(FormDraft.user_id == actor.id, FormDraft.form_id == form_id))))


def get_draft(session: Session, actor: User, token: str) -> FormDraft:
    """The draft named by ``token`` when the actor may manage forms of its uploader's unit (404 otherwise)."""
    draft = session.scalar(sa.select(FormDraft).where(FormDraft.token == str(token)[:43]))
    return access.require(actor, "manage_forms", draft)


def preview_of(draft_or_form: FormDraft | Form, lang: str) -> tuple[object, list[Page]]:
    """The engine's Form of a draft or a published version (with its media files), and every page as
    the phone shows it."""
    if isinstance(draft_or_form, Form):
        form = forms_service.engine_form(draft_or_form)
    else:
        definition = draft_or_form.definition
        form = load(definition, draft_media(draft_or_form) if definition.get("media") else None)
    return form, preview(form, lang)


def clash(session: Session, draft: FormDraft) -> Form | None:
    """The published version of the draft's form that already uses the draft's version, if any."""
    return _version_row(session, draft.form_id, draft.version)


def suggest_version(session: Session, form_id: str, today: dt.date) -> str:
    """A version not used yet, in the XLSForm habit of yyyymmddNN (``2026120501``)."""
    used = set(session.scalars(sa.select(Form.version).where(Form.form_id == form_id)))
    n = 1
    while f"{today:%Y%m%d}{n:02d}" in used:
        n += 1
    return f"{today:%Y%m%d}{n:02d}"


def publish(session: Session, actor: User, token: str, *, now: dt.datetime, version: str | None = None) -> Form:
    """Publish a draft as a new version of its form (``version``: a new label instead of the file's).
    Refused: ``form_unchanged`` (identical to a published version), ``form_version_used``,
    ``bad_form_version``. The draft is gone once published."""
    draft = get_draft(session, actor, token)
    definition = dict(draft.definition)
    if version is not None and version.strip() and version.strip() != draft.version:
        version = version.strip()
        if not _VERSION.match(version):
            raise DomainError("bad_form_version", field="version")
        definition["version"] = version
    same = session.scalar(sa.select(Form).where(Form.form_id == draft.form_id,
                                                Form.hash == forms_service.definition_hash(definition)))
    if same is not None:
        raise DomainError("form_unchanged", params={"version": same.version})
    used = _version_row(session, draft.form_id, str(definition["version"]))
    if used is not None:
        raise DomainError("form_version_used", params={"version": used.version, "form_id": used.form_id,
                                                       "when": _day(used.published_at)}, field="version")
    form, _ = forms_service.publish_definition(session, definition, source=draft.source, source_name=draft.source_name,
                                               media=draft_media(draft))
    form.published_at = now.astimezone(dt.UTC)
    session.delete(draft)
    session.flush()
    audit.record("form_published", actor=actor.username, form_id=form.form_id, version=form.version,
                 file=form.source_name)
    return form


def _version_row(session: Session, form_id: str, version: str) -> Form | None:
    return session.scalar(sa.select(Form).where(Form.form_id == form_id, Form.version == version))


def _day(when: dt.datetime | None) -> str:
    return clock.in_vietnam(when).strftime("%d/%m/%Y") if when else "?"


# ---- the versions list ----------------------------------------------------------------------------------
@dataclass
class Version:
    version: str
    published_at: dt.datetime | None
    source_name: str | None
    has_source: bool
    surveys: int = 0                      # surveys of this version received in the actor's subtree
    last_received: dt.datetime | None = None
    newest: bool = False                  # what phones download now
    still_used: bool = False              # an older version phones still sent lately


@dataclass
class FormVersions:
    form_id: str
    title: str | None
    versions: list[Version] = field(default_factory=list)  # newest first

    @property
    def surveys(self) -> int:
        return sum(v.surveys for v in self.versions)


def versions(session: Session, actor: User, *, now: dt.datetime) -> list[FormVersions]:
    """Every form with its versions, newest first: how many surveys each received in the actor's subtree,
    when the last one came, which one phones download and which older ones phones still send."""
    access.require_unit(session, actor, "manage_forms", None)
    counts = {(form_id, version): (n, last) for form_id, version, n, last in session.execute(
        access.visible_submissions(session, actor)
        .with_only_columns(Submission.form_id, Submission.form_version, sa.func.count(Submission.id),
                           sa.func.max(Submission.received_at))
        .group_by(Submission.form_id, Submission.form_version))}
    rows = session.execute(sa.select(Form.form_id, Form.version, Form.title, Form.published_at, Form.source_name,
                                     Form.source.is_not(None)).order_by(Form.form_id, Form.id.desc())).all()
    out: dict[str, FormVersions] = {}
    recent = now - dt.timedelta(days=STILL_SUBMITTING_DAYS)
    for form_id, version, title, published_at, source_name, has_source in rows:
        entry = out.setdefault(form_id, FormVersions(form_id, title))
        n, last = counts.get((form_id, version), (0, None))
        row = Version(version, published_at, source_name, bool(has_source), n, last, newest=not entry.versions)
        row.still_used = not row.newest and last is not None and _aware(last) >= recent
        entry.versions.append(row)
    return list(out.values())


def _aware(when: dt.datetime) -> dt.datetime:
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def source(session: Session, actor: User, form_id: str, version: str) -> tuple[bytes, str]:
    """The XLSX a version was published from, and a file name that names the version."""
    access.require_unit(session, actor, "manage_forms", None)
    row = _version_row(session, form_id, version)
    if row is None or row.source is None:
        raise DomainError("unknown_form")
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", form_id)
    return row.source, f"{stem}-{re.sub(r'[^A-Za-z0-9._-]+', '_', version)}.xlsx"


def published(session: Session, actor: User, form_id: str, version: str) -> Form:
    """One published version (its preview)."""
    access.require_unit(session, actor, "manage_forms", None)
    row = _version_row(session, form_id, version)
    if row is None:
        raise DomainError("unknown_form")
    return row
