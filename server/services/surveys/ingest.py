"""Taking in one submission envelope: exactly once, judged by the form engine, scoped, linked to its house.

A survey never changes an existing house: a new household gets its house here, a survey of a known
house (named, or matched as a possible duplicate: server.services.surveys.duplicates) changes it only when a
reviewer approves it (server.services.surveys.review).

The API checked the envelope's shape; this service decides new (201) / same again (200) /
conflict (409) / invalid (422), writes the Submission, its Attachment rows and the House in the
caller's transaction, and returns a `Receipt` (what photos are still missing).

This is the server's hottest path (bench/ingest.py), so a new submission is written with four plain
INSERT statements (house, submission, events, attachments) rather than through the ORM's unit of
work, which cost ~2 ms of CPU per submission; reads and updates stay ORM.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from forms.envelope import envelope_hash
from forms.sync import classify
from forms.validate import validate
from server.errors import DomainError
from server.models import Attachment, Form, House, HouseEvent, OrgUnit, Submission, User
from server.models.base import new_uuid
from server.services.accounts import access
from server.services.files.attachments import UploadLimits, check_declared
from server.services.files.storage import Storage
from server.services.houses import funding as funding_service
from server.services.programme import forms as forms_service
from server.services.programme import unit_history
from server.services.surveys import duplicates, signals
from server.services.surveys import survey_facts as facts

ASSESSMENT_FORMS = ("house_assessment",)
log = logging.getLogger(__name__)  # one line per envelope: taken / duplicate / refused (ids and codes, never answers)


@dataclass(frozen=True)
class Receipt:
    """What the phone is told about a stored submission."""

    id: int
    instance_id: str
    review_status: str
    house_uuid: str | None
    missing_attachments: list[str]

    @classmethod
    def of(cls, sub: Submission) -> Receipt:
        return cls(sub.id, sub.instance_id, sub.review_status, sub.house.uuid if sub.house else None,
                   sub.missing_attachments())


def existing(session: Session, instance_id: str) -> Submission | None:
    return session.scalar(sa.select(Submission).where(Submission.instance_id == instance_id))


def replay(sub: Submission, envelope: dict, actor: User) -> str:
    """'duplicate' or raise 409 for an instance_id that is already stored."""
    if classify(sub.envelope_hash, envelope_hash(envelope)) != "duplicate" or sub.user_id != actor.id:
        _refused(envelope, actor, "conflict")
        raise DomainError("conflict")
    log.info("submission duplicate: survey=%s form=%s by=%s", sub.instance_id, sub.form_id, actor.username)
    return "duplicate"


def _refused(envelope: dict, actor: User, code: str) -> None:
    log.info("submission refused: survey=%s form=%s by=%s code=%s", envelope.get("instance_id"),
             envelope.get("form_id"), actor.username, code)


def ingest(session: Session, actor: User, envelope: dict, storage: Storage, lang: str = "vi",
           device_id: str | None = None, limits: UploadLimits | None = None,
           thresholds: signals.Thresholds = signals.DEFAULT, home: OrgUnit | None = None) -> tuple[str, Receipt]:
    """Returns ('new' | 'duplicate', receipt). Raises DomainError (404/409/422/403); a second
    insert of the same instance_id at the same moment raises IntegrityError (the caller replays).

    ``envelope["attachments"]`` None (an OpenRosa instance, server.services.surveys.openrosa): the photos
    are those the judged answers name, their bytes (hash, size) known only when they arrive. ``home``:
    the unit of a survey that names no commune and no house (default: the actor's own unit)."""
    if not access.allowed(actor, "submit"):
        _refused(envelope, actor, "forbidden")
        raise DomainError("forbidden")
    # the form and whether this survey is here already, in one round trip
    seen = sa.select(Submission.id).where(Submission.instance_id == envelope["instance_id"]).scalar_subquery()
    form_row, seen_id = forms_service.get_beside(session, envelope["form_id"], envelope["form_version"], seen)
    if seen_id is not None or form_row is None:
        sub = existing(session, envelope["instance_id"])
        if sub is not None:
            return replay(sub, envelope, actor), Receipt.of(sub)
    try:
        if form_row is None:
            raise DomainError("unknown_form")
        receipt = _take(session, actor, envelope, form_row, storage, lang, device_id, limits, thresholds, home)
    except DomainError as err:
        _refused(envelope, actor, err.code)
        raise
    log.info("submission taken: survey=%s form=%s/%s by=%s photos_missing=%d", receipt.instance_id,
             envelope["form_id"], envelope["form_version"], actor.username, len(receipt.missing_attachments))
    return "new", receipt


def _take(session: Session, actor: User, envelope: dict, form_row: Form, storage: Storage, lang: str,
          device_id: str | None, limits: UploadLimits | None, thresholds: signals.Thresholds,
          home: OrgUnit | None = None) -> Receipt:
    """Judge and write a submission seen for the first time."""
    declared = envelope["attachments"]
    check_declared(declared or [], limits or UploadLimits())
    form = forms_service.engine_form(form_row)
    result = validate(form, envelope["answers"], lang=lang,
                      meta={"username": actor.username, "deviceid": device_id or ""})
    if not result.ok:
        raise DomainError("invalid_answers", fields=result.error_dicts())
    answers = result.answers
    problems = funding_service.answer_problems(form, answers, lang)
    if problems:
        raise DomainError("invalid_answers", fields=problems)
    if declared is None:  # named by the answers, bytes to come
        declared = [{"name": name, "sha256": "", "size": 0} for name in form.image_files(answers)]
    _check_attachments(form, answers, declared, lang)

    house = _house_for(session, actor, envelope, form, answers)
    unit = _unit_for(session, actor, form, answers, house, home)
    lat, lon, acc = facts.location(form, answers) or (None, None, None)
    now = dt.datetime.now(dt.UTC)
    events = []
    duplicate_of = None
    if form_row.form_id in ASSESSMENT_FORMS and house is None:
        duplicate_of = duplicates.match(session, actor, form, answers, unit)
        if duplicate_of is None:  # a household not seen before: its house, with the survey's facts
            house = _new_house(session, actor, unit, form, answers, now)
            events.append({"house_id": house.id, "kind": "assessed", "from_status": None, "to_status": "assessed",
                           "actor_id": actor.id, "reason": None, "created_at": now})
    created_at = envelope.get("created_at")
    attachments = [{"name": a["name"], "sha256": a["sha256"], "size": a["size"],
                    "content_type": a.get("content_type"), "received": storage.holds(a["sha256"], a["size"])}
                   for a in declared]
    for a in attachments:  # a photo already stored (sent before, maybe for another house): its hash now
        a["phash"] = storage.thumb_phash(a["sha256"]) if a["received"] else None
    missing = sorted(a["name"] for a in attachments if not a["received"])
    conn = session.connection()
    row = {
        "instance_id": envelope["instance_id"], "form_id": form_row.form_id, "form_version": form_row.version,
        "org_unit_id": unit.id, "user_id": actor.id, "device_id": device_id, "answers": answers,
        "house_id": house.id if house else None, "envelope_hash": envelope_hash(envelope),
        "created_at": created_at if isinstance(created_at, dt.datetime) else None, "received_at": now,
        "lat": lat, "lon": lon, "accuracy": acc, "review_status": "received", "complete": not missing,
        "duplicate_of_house_id": duplicate_of.id if duplicate_of is not None else None,
        "duplicate_state": "open" if duplicate_of is not None else None,
        "search_text": facts.search_words(form, answers, actor.full_name, actor.username) or None,
    }
    sub_id = conn.execute(sa.insert(Submission.__table__).returning(Submission.__table__.c.id), row).scalar_one()
    if house is not None:
        events.append({"house_id": house.id, "kind": "submission", "from_status": house.status,
                       "to_status": house.status, "actor_id": actor.id, "reason": form_row.form_id,
                       "submission_id": sub_id, "created_at": now})
        conn.execute(sa.insert(HouseEvent.__table__),
                     [{"submission_id": None, **e} for e in events])
    if attachments:
        conn.execute(sa.insert(Attachment.__table__),
                     [{**a, "submission_id": sub_id, "received_at": now if a["received"] else None}
                      for a in attachments])
    # judged once and stored, from what was just written (a detached copy: not read back, never flushed)
    written = Submission(id=sub_id, **row, attachments=[Attachment(**a) for a in attachments])
    signals.refresh(session, written, storage, thresholds, form=form, new=True,
                    new_house=isinstance(house, _NewHouse))
    return Receipt(sub_id, envelope["instance_id"], "received", house.uuid if house else None, missing)


def _check_attachments(form, answers: dict, declared: list[dict], lang: str) -> None:
    wanted = set(form.image_files(answers))
    names = [a["name"] for a in declared]
    problems = []
    if len(names) != len(set(names)):
        problems.append({"field": "attachments", "code": "type", "message": "duplicate attachment names"})
    for name in sorted(wanted - set(names)):
        problems.append({"field": "attachments", "code": "required",
                         "message": f"photo {name} is answered but not declared"})
    for name in sorted(set(names) - wanted):
        problems.append({"field": "attachments", "code": "choice",
                         "message": f"photo {name} is declared but no answer uses it"})
    if problems:
        raise DomainError("invalid_answers", fields=problems)


def _house_for(session: Session, actor: User, envelope: dict, form, answers: dict) -> House | None:
    ref = envelope.get("house_id") or facts.answer(form, "house_ref", answers)
    if not ref:
        return None
    house = session.scalar(sa.select(House).where(House.uuid == str(ref)))
    if house is None:
        raise DomainError("invalid_answers", fields=[{"field": facts.field_name(form, "house_ref"), "code": "choice",
                                                      "message": "unknown house"}])
    if not access.can(actor, "submit", house):
        raise DomainError("outside_unit")
    return house


def _unit_for(session: Session, actor: User, form, answers: dict, house: House | None,
              home: OrgUnit | None = None) -> OrgUnit:
    code = facts.answer(form, "commune", answers)
    if code:
        village = facts.answer(form, "village", answers)
        found = unit_history.by_codes(session, [str(code)] + ([str(village)] if village else []))
        unit = found.get(str(code))  # today's; an old code: the unit it was
        if unit is None:
            raise DomainError("invalid_answers", fields=[{"field": facts.field_name(form, "commune"), "code": "choice",
                                                          "message": "unknown commune code"}])
        if not access.can(actor, "submit", unit):
            raise DomainError("outside_unit")
        vunit = found.get(str(village)) if village else None
        if access.contains(unit, vunit):
            return vunit
        return unit
    if house is not None:
        return session.get(OrgUnit, house.org_unit_id)
    return home or access.home(session, actor)


@dataclass(frozen=True)
class _NewHouse:
    id: int
    uuid: str
    status: str = "assessed"


def _new_house(session, actor, unit, form, answers, now) -> _NewHouse:
    """A new household's house, with the facts its first survey gives (an existing house's facts change
    only when an assessment of it is approved: server.services.surveys.review)."""
    uuid = new_uuid()
    row = {"uuid": uuid, "org_unit_id": unit.id, "status": "assessed", **facts.house_facts(form, answers),
           "created_by_id": actor.id, "created_at": now, "updated_at": now}
    new_id = session.connection().execute(
        sa.insert(House.__table__).returning(House.__table__.c.id), row).scalar_one()
    return _NewHouse(new_id, uuid)
