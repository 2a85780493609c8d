"""A survey sent by ODK Collect, KoboCollect or Enketo (OpenRosa): the XML instance becomes an envelope
of answers and goes through the SAME ingest as the app's JSON (judged by the form engine, photos,
house matching, signals, review), then the media parts of the request are stored as photos.

How OpenRosa's rules map onto ours (docs/API.md "ODK Collect"):

- an instanceID seen for the first time: a new submission (201);
- the same instanceID with the same answers again: ingest's "same again"; the photos this request
  brings that were still missing are stored (201: Collect sends a survey whose photos exceed
  ``X-OpenRosa-Accept-Content-Length`` over several POSTs, each with the instance and some photos),
  and when it brings nothing new it is a duplicate (202);
- the same instanceID with other answers, or from another account: 409;
- ``meta/deprecatedID`` (an edit of a sent survey, e.g. one sent back for changes): a new submission
  of the house the edited survey belongs to — as the app's corrected resubmission is.

The identity of an OpenRosa survey is its answers (and form version and house): its photos' bytes are
not known until they arrive, so the envelope declares none (``attachments`` None) and the photos are
the ones the judged answers name.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import BinaryIO

from sqlalchemy.orm import Session

from forms import xml_instance
from server.errors import DomainError
from server.models import OrgUnit, Submission, User
from server.services.accounts import access
from server.services.files import attachments as attachments_service
from server.services.files.storage import Storage
from server.services.programme import forms as forms_service
from server.services.surveys import ingest, signals

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Media:
    """One file part of the request: its file name and a seekable stream of its bytes."""

    name: str
    stream: BinaryIO


@dataclass
class Outcome:
    status: str  # "new" | "more" (photos added to a known survey) | "duplicate"
    receipt: ingest.Receipt
    stored: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    @property
    def http_status(self) -> int:
        return 202 if self.status == "duplicate" else 201


def read(xml: bytes) -> tuple[object, xml_instance.Head]:
    """(root element, head) of an instance; ``bad_instance`` (400) with the reason otherwise."""
    try:
        root = xml_instance.parse(xml)
        return root, xml_instance.head(root)
    except xml_instance.InstanceError as err:
        raise DomainError("bad_instance", params={"why": {"vi": err.text("vi"), "en": err.text("en")}}) from None


def envelope_of(session: Session, actor: User, xml: bytes) -> dict:
    """The envelope of an XML instance: form and version from its root, answers by the form's structure,
    the house of the survey it replaces (``deprecatedID``)."""
    root, head = read(xml)
    form_row = forms_service.get(session, head.form_id, head.version)
    form = forms_service.engine_form(form_row)
    answers = xml_instance.answers_of(form, root)
    for name in form.image_files(answers):
        attachments_service.check_name(name)
    env = {"instance_id": head.instance_id, "form_id": form_row.form_id, "form_version": form_row.version,
           "created_at": _created_at(form, answers), "answers": answers, "attachments": None}
    if head.deprecated_id:
        house_uuid = _house_of_edited(session, actor, head.deprecated_id, form_row.form_id)
        if house_uuid:
            env["house_id"] = house_uuid
    return env


def _created_at(form, answers: dict) -> dt.datetime | None:
    """When the survey was filled on the phone: its ``end`` (else ``start``) meta question."""
    for qtype in ("end", "start"):
        for node in form.walk():
            if node.type == qtype and not node.repeats and isinstance(answers.get(node.name), str):
                try:
                    return dt.datetime.fromisoformat(answers[node.name].replace("Z", "+00:00"))
                except ValueError:
                    return None
    return None


def _house_of_edited(session: Session, actor: User, deprecated_id: str, form_id: str) -> str | None:
    """The house of the survey an edit replaces: one of the actor's own surveys of the same form (404
    ``unknown_submission`` otherwise, as for any survey one may not see)."""
    old = ingest.existing(session, deprecated_id)
    if old is None or old.user_id != actor.id or old.form_id != form_id:
        raise DomainError("unknown_submission")
    return old.house.uuid if old.house is not None else None


def submit(session: Session, actor: User, scope: OrgUnit, xml: bytes, media: list[Media], storage: Storage, *,
           lang: str = "vi", device_id: str | None = None, limits: attachments_service.UploadLimits | None = None,
           thresholds: signals.Thresholds = signals.DEFAULT) -> Outcome:
    """Take one OpenRosa POST in the caller's transaction. The survey must lie in ``scope`` (the unit of
    the URL, one the actor may submit in): ``outside_unit`` otherwise. A second insert of the same
    instance at the same moment raises IntegrityError (the caller replays with ``replay``)."""
    env = envelope_of(session, actor, xml)
    status, receipt = ingest.ingest(session, actor, env, storage, lang=lang, device_id=device_id, limits=limits,
                                    thresholds=thresholds, home=scope)
    return _after(session, scope, status, receipt, media, storage, limits, thresholds)


def replay(session: Session, actor: User, scope: OrgUnit, xml: bytes, media: list[Media], storage: Storage, *,
           limits: attachments_service.UploadLimits | None = None,
           thresholds: signals.Thresholds = signals.DEFAULT) -> Outcome:
    """The same POST judged again after a concurrent insert of its instance won the race."""
    env = envelope_of(session, actor, xml)
    sub = ingest.existing(session, env["instance_id"])
    if sub is None:
        raise DomainError("conflict")
    status = ingest.replay(sub, env, actor)
    return _after(session, scope, status, ingest.Receipt.of(sub), media, storage, limits, thresholds)


def _after(session: Session, scope: OrgUnit, status: str, receipt: ingest.Receipt, media: list[Media],
           storage: Storage, limits, thresholds) -> Outcome:
    sub = session.get(Submission, receipt.id)
    if not access.contains(scope, session.get(OrgUnit, sub.org_unit_id)):
        raise DomainError("outside_unit")
    outcome = Outcome(status, receipt)
    by_name = {a.name: a for a in sub.attachments}
    for part in media:
        att = by_name.get(part.name)
        if att is None:  # a file no answer names (e.g. Collect's audit log): not kept
            outcome.ignored.append(part.name)
            continue
        if attachments_service.receive_whole(session, storage, sub, att, part.stream,
                                             limits or attachments_service.UploadLimits(), thresholds):
            outcome.stored.append(part.name)
    if status == "duplicate" and outcome.stored:
        outcome.status = "more"
    outcome.receipt = ingest.Receipt.of(sub)
    log.info("openrosa: survey=%s %s photos_stored=%d ignored=%d missing=%d", sub.instance_id, outcome.status,
             len(outcome.stored), len(outcome.ignored), len(outcome.receipt.missing_attachments))
    return outcome

