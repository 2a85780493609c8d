"""Taking in one submission envelope: exactly once, judged by the form engine, scoped, house upserted.

The API checked the envelope's shape; this service decides new (201) / same again (200) /
conflict (409) / invalid (422), writes the Submission, its Attachment rows and the House in the
caller's transaction, and returns what photos are still missing.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from forms.envelope import envelope_hash, image_answers
from forms.sync import classify
from forms.validate import validate
from server.errors import DomainError
from server.models import Attachment, House, HouseEvent, OrgUnit, Submission, User
from server.services import forms as forms_service
from server.services import scope
from server.services.storage import Storage

ASSESSMENT_FORMS = ("house_assessment",)


def existing(session: Session, instance_id: str) -> Submission | None:
    return session.scalar(sa.select(Submission).where(Submission.instance_id == instance_id))


def replay(sub: Submission, envelope: dict, actor: User) -> str:
    """'duplicate' or raise 409 for an instance_id that is already stored."""
    if classify(sub.envelope_hash, envelope_hash(envelope)) != "duplicate" or sub.user_id != actor.id:
        raise DomainError("conflict")
    return "duplicate"


def ingest(session: Session, actor: User, envelope: dict, storage: Storage, lang: str = "vi",
           device_id: str | None = None) -> tuple[str, Submission]:
    """Returns ('new' | 'duplicate', submission). Raises DomainError (404/409/422/403)."""
    scope.require_role(actor, "volunteer", "reviewer", "manager", "admin")
    sub = existing(session, envelope["instance_id"])
    if sub is not None:
        return replay(sub, envelope, actor), sub

    form_row = forms_service.get(session, envelope["form_id"], envelope["form_version"])
    form = forms_service.engine_form(form_row)
    result = validate(form, envelope["answers"], lang=lang,
                      meta={"username": actor.username, "deviceid": device_id or ""})
    if not result.ok:
        raise DomainError("invalid_answers", fields=result.error_dicts())
    answers = result.answers
    _check_attachments(form, answers, envelope["attachments"], lang)

    house = _house_for(session, actor, envelope, answers)
    unit = _unit_for(session, actor, answers, house)
    lat, lon, acc = _gps(answers)
    if form_row.form_id in ASSESSMENT_FORMS:  # before the submission is added: no early autoflush
        house = _upsert_house(session, actor, house, unit, answers, lat, lon, acc)
    created_at = envelope.get("created_at")
    now = dt.datetime.now(dt.UTC)
    sub = Submission(
        instance_id=envelope["instance_id"], form_id=form_row.form_id, form_version=form_row.version,
        org_unit_id=unit.id, user_id=actor.id, device_id=device_id, answers=answers, house=house,
        envelope_hash=envelope_hash(envelope), created_at=created_at if isinstance(created_at, dt.datetime) else None,
        lat=lat, lon=lon, accuracy=acc, review_status="received",
    )
    for att in envelope["attachments"]:
        stored = storage.exists(att["sha256"])
        sub.attachments.append(Attachment(name=att["name"], sha256=att["sha256"], size=att["size"],
                                          content_type=att.get("content_type"), received=stored,
                                          received_at=now if stored else None))
    sub.complete = not sub.missing_attachments()
    session.add(sub)
    if house is not None:
        session.add(HouseEvent(house=house, kind="submission", from_status=house.status, to_status=house.status,
                               actor_id=actor.id, submission=sub, reason=form_row.form_id))
    session.flush()  # one flush: house, submission, events and attachments, each table in one statement
    return "new", sub


def _check_attachments(form, answers: dict, declared: list[dict], lang: str) -> None:
    wanted = set(image_answers(form, answers))
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


def _house_for(session: Session, actor: User, envelope: dict, answers: dict) -> House | None:
    ref = envelope.get("house_id") or answers.get("house_id")
    if not ref:
        return None
    house = session.scalar(sa.select(House).where(House.uuid == str(ref)))
    if house is None:
        raise DomainError("invalid_answers", fields=[{"field": "house_id", "code": "choice",
                                                      "message": "unknown house"}])
    unit = session.get(OrgUnit, house.org_unit_id)
    if not unit.path.startswith(scope.home(session, actor).path):
        raise DomainError("outside_unit")
    return house


def _unit_for(session: Session, actor: User, answers: dict, house: House | None) -> OrgUnit:
    mine = scope.home(session, actor)
    code = answers.get("commune_code")
    if code:
        village = answers.get("village")
        codes = [str(code)] + ([str(village)] if village else [])
        found = {u.code: u for u in session.scalars(sa.select(OrgUnit).where(OrgUnit.code.in_(codes)))}
        unit = found.get(str(code))
        if unit is None:
            raise DomainError("invalid_answers", fields=[{"field": "commune_code", "code": "choice",
                                                          "message": "unknown commune code"}])
        if not unit.path.startswith(mine.path):
            raise DomainError("outside_unit")
        vunit = found.get(str(village)) if village else None
        if vunit is not None and vunit.path.startswith(unit.path):
            return vunit
        return unit
    if house is not None:
        return session.get(OrgUnit, house.org_unit_id)
    return mine


def _gps(answers: dict) -> tuple[float | None, float | None, float | None]:
    value = answers.get("gps") or next((v for k, v in answers.items() if k.endswith("gps")), None)
    try:
        parts = [float(p) for p in str(value).split()]
        return parts[0], parts[1], (parts[3] if len(parts) > 3 else None)
    except (ValueError, IndexError, TypeError):
        return None, None, None


def _upsert_house(session, actor, house, unit, answers, lat, lon, acc) -> House:
    cccd = answers.get("head_cccd")
    if house is None and cccd:  # the CCCD number is the household's key across strands
        house = session.scalar(sa.select(House).where(House.id_number == str(cccd))
                               .where(House.status.notin_(("rejected", "withdrawn"))))
        if house is not None and not session.get(OrgUnit, house.org_unit_id).path.startswith(
                scope.home(session, actor).path):
            house = None
    created = house is None
    if created:
        house = House(status="assessed", created_by_id=actor.id)
        session.add(house)
    house.org_unit_id = unit.id
    house.head_name = answers.get("head_name") or house.head_name
    house.id_number = str(cccd) if cccd else house.id_number
    house.village = answers.get("village") or house.village
    house.lat, house.lon, house.accuracy = lat, lon, acc
    house.support_kind = answers.get("recommendation") or house.support_kind
    house.beneficiary_group = answers.get("beneficiary_group") or house.beneficiary_group
    if created:
        session.add(HouseEvent(house=house, kind="assessed", from_status=None, to_status="assessed",
                               actor_id=actor.id, reason=None))
    return house
