"""District review of submissions: decisions and their effect on houses (the queue and what each row shows:
server.services.surveys.review_queue).

A decision sets ``Submission.review_status`` / ``review_comment`` (what the phone's sync feed reads),
writes a HouseEvent (append-only, same transaction) and moves the house through the lifecycle:
an approved assessment moves it to approved; an approved construction-progress survey moves it to
the stage it reports (started / completed / handed_over); a rejected assessment rejects the house; a
progress report's rejection (or changes requested) never changes the house.

A survey is decided ONCE: the decision is ``UPDATE submissions ... WHERE review_status = 'received'``
with its row count checked, so of two reviewers deciding at the same moment one wins and the other gets
``already_decided`` (409) naming who decided what and when; the house is then locked (house_writes.lock) and
moved by conditional writes. Each decision is logged on the ``maiam.audit`` logger.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from forms.text import Catalogue
from server.errors import DomainError
from server.models import House, OrgUnit, Submission, User
from server.params import MAX_COMMENT, too_long
from server.services.accounts import access
from server.services.houses import funding as funding_service
from server.services.houses import writes as house_writes
from server.services.houses.lifecycle import DEFAULT, Lifecycle, illegal_transition, status_label
from server.services.reports.formatting import vn_time
from server.services.surveys import signals
from server.services.surveys import survey_facts as facts

AUDIT = logging.getLogger("maiam.audit")
ASSESSMENT_FORMS = ("house_assessment",)  # the forms whose decision decides the household's eligibility

ACTIONS = {"approve": "approved", "reject": "rejected", "request_changes": "changes_requested"}
REVIEW_LABELS = Catalogue({
    "received": {"vi": "Chờ duyệt", "en": "Awaiting review"},
    "approved": {"vi": "Đã duyệt", "en": "Approved"},
    "rejected": {"vi": "Không duyệt", "en": "Rejected"},
    "changes_requested": {"vi": "Yêu cầu sửa", "en": "Changes requested"},
})
FLAGS = signals.FLAGS  # computed at ingest and stored, like every signal
PAGE_SIZE = 100


def not_found() -> DomainError:
    return DomainError("not_found")


def review_label(status: str, lang: str = "vi") -> str:
    return REVIEW_LABELS.text(status, lang)


# ---- scope (the rule itself lives in server.services.accounts.access) ------------------------------------------
def scoped_submissions(session: Session, actor: User, within: OrgUnit | None = None):
    """A select of the submissions the actor may see (joined to OrgUnit)."""
    return access.visible_submissions(session, actor, within)


def find(session: Session, instance_id: str) -> Submission | None:
    return session.scalar(sa.select(Submission).where(Submission.instance_id == str(instance_id)))


def get_in_scope(session: Session, actor: User, instance_id: str) -> Submission:
    """The submission, or not_found (404) when it does not exist OR the actor may not see it."""
    sub = find(session, instance_id)
    if not access.can(actor, "view", sub):
        raise not_found()
    return sub


# ---- what an approval must not overlook ----------------------------------------------------------------
BLOCKERS = Catalogue({  # the form's own verdict, or a household that may already exist
    "not_eligible": {"vi": "theo phiếu, hộ không đủ điều kiện hỗ trợ", "en": "by the form, the household is not eligible"},
    "land_invalid": {"vi": "theo phiếu, đất ở không hợp lệ", "en": "by the form, the land is not valid"},
    "duplicate": {"vi": "có thể trùng với một hộ đã có, chưa xác định cùng hộ hay khác hộ",
                  "en": "it may duplicate an existing household (same or different household not chosen)"},
})
DUPLICATE_CHOICES = ("same", "different")


def approval_blockers(session: Session, sub: Submission, form=None) -> list[str]:
    """Why approving this survey needs an explicit override (codes of BLOCKERS), in that order."""
    form = form if form is not None else facts.form_of(session, sub)
    out = []
    if facts.says_no(form, "eligibility", sub.answers):
        out.append("not_eligible")
    if facts.says_no(form, "land_status", sub.answers):
        out.append("land_invalid")
    if sub.duplicate_state == "open":
        out.append("duplicate")
    return out


def _duplicate_resolution(sub: Submission, action: str, duplicate: str | None, override: bool) -> str | None:
    """The duplicate state this decision writes: the reviewer's choice on approval; an override that
    does not choose keeps the survey a household of its own ("different")."""
    if action != "approve" or sub.duplicate_state != "open":
        return None
    return duplicate or ("different" if override else None)


def _check_blockers(session, sub, action, comment, override, resolution) -> list[str]:
    """The blockers this approval overrides ([] when none); 409 without an override, 422 without a reason."""
    if action != "approve":
        return []
    blockers = [b for b in approval_blockers(session, sub) if not (b == "duplicate" and resolution)]
    if not blockers:
        return []
    if not override:
        raise DomainError("needs_override", field="override", params={
            "why": {lg: "; ".join(BLOCKERS.text(b, lg) for b in blockers) for lg in ("vi", "en")}})
    if not comment:
        raise DomainError("override_reason_required", field="comment")
    return blockers


def override_note(blockers: list[str], comment: str | None) -> str:
    """What the house history keeps of an override: the warnings overlooked and the reviewer's reason."""
    return f"Duyệt vượt cảnh báo ({'; '.join(BLOCKERS.text(b, 'vi') for b in blockers)}). Lý do: {comment}"


def _house_of_decision(session: Session, actor: User, sub: Submission, resolution: str | None, now) -> House | None:
    """The house this decision moves: the survey's own; for a resolved possible duplicate, the matched
    house ("same") or a new one ("different"); none while a duplicate stays unresolved."""
    if resolution == "same":
        sub.house_id = sub.duplicate_of_house_id
    elif resolution == "different":
        form = facts.form_of(session, sub)
        house = House(org_unit_id=sub.org_unit_id, status="assessed", created_by_id=sub.user_id,
                      created_at=now, updated_at=now, **facts.house_facts(form, sub.answers))
        session.add(house)
        session.flush()
        house_writes.record(session, house, actor_id=actor.id, kind="assessed", reason=None)
        sub.house_id = house.id
    session.flush()
    return session.get(House, sub.house_id) if sub.house_id else None


# ---- decisions ---------------------------------------------------------------------------------------
def decide(session: Session, actor: User, instance_id: str, action: str, comment: str | None = None, *,
           override: bool = False, duplicate: str | None = None,
           lc: Lifecycle = DEFAULT, programme=funding_service.DEFAULT_PROGRAMME) -> Submission:
    """Record one decision; the caller commits. The access gate first (DomainError: 403 for a role that
    never decides or for one's own survey, 404 outside what the actor may see). Approving a survey the
    form itself does not support (``approval_blockers``) needs ``override`` and a reason in ``comment``;
    ``duplicate`` ("same" | "different") resolves a possible duplicate household."""
    sub = access.require(actor, "decide", find(session, instance_id))
    if action not in ACTIONS:
        raise DomainError("bad_action", field="action")
    comment = (comment or "").strip() or None
    if action != "approve" and not comment:
        raise DomainError("comment_required", field="comment")
    if too_long(comment):
        raise DomainError("comment_too_long", field="comment", params={"n": MAX_COMMENT})
    if duplicate not in (None, "", *DUPLICATE_CHOICES):
        raise DomainError("bad_duplicate_choice", field="duplicate")
    resolution = _duplicate_resolution(sub, action, duplicate or None, override)
    overridden = _check_blockers(session, sub, action, comment, override, resolution)
    now = dt.datetime.now(dt.UTC)
    t = Submission.__table__
    won = session.execute(
        sa.update(t).where(t.c.id == sub.id, t.c.review_status == "received")
        .values(review_status=ACTIONS[action], review_comment=comment, reviewed_by_id=actor.id, reviewed_at=now,
                **({"duplicate_state": resolution} if resolution else {})))
    if won.rowcount != 1:
        session.refresh(sub)
        AUDIT.info("review conflict: actor=%s survey=%s action=%s already=%s", actor.username, sub.instance_id,
                   action, sub.review_status)
        raise already_decided(session, sub)
    session.refresh(sub)
    if overridden:
        AUDIT.info("review override: actor=%s survey=%s flags=%s reason=%r", actor.username, sub.instance_id,
                   ",".join(overridden), comment)
        comment = override_note(overridden, comment)
    house = _house_of_decision(session, actor, sub, resolution, now)
    if house is not None:
        house_writes.lock(session, house)
        try:
            _apply_to_house(session, actor, sub, house, action, comment, lc, programme)
        except DomainError as err:
            if err.code != "illegal_transition":
                raise
            raise house_closed(house, action) from None
    session.flush()
    AUDIT.info("review decision: actor=%s survey=%s decision=%s house=%s", actor.username, sub.instance_id,
               ACTIONS[action], sub.house_id)
    return sub


_DECIDED = {  # review_status -> the verb phrase of the already_decided / house_closed messages
    "approved": {"vi": "duyệt", "en": "approved"},
    "rejected": {"vi": "quyết định không duyệt", "en": "rejected"},
    "changes_requested": {"vi": "yêu cầu sửa", "en": "sent back for changes"},
}


def already_decided(session: Session, sub: Submission) -> DomainError:
    """409 for the reviewer who lost: who decided, what, when."""
    who = session.get(User, sub.reviewed_by_id) if sub.reviewed_by_id else None
    name = (getattr(who, "full_name", None) or who.username) if who is not None else None
    verb = _DECIDED.get(sub.review_status) or {lg: review_label(sub.review_status, lg).lower() for lg in ("vi", "en")}
    state = {lg: review_label(sub.review_status, lg) for lg in ("vi", "en")}
    return DomainError("already_decided", params={"who": name or house_writes.SOMEONE, "verb": verb,
                                                  "when": _clock(sub.reviewed_at) or "…", "state": state})


def house_closed(house: House, action: str) -> DomainError:
    """409: the survey's house is at a stage this decision cannot move it from (e.g. withdrawn)."""
    return DomainError("house_closed", params={
        "verb": _DECIDED.get(ACTIONS[action], _DECIDED["approved"]),
        "status": {lg: status_label(house.status, lg) for lg in ("vi", "en")}})


def _clock(value) -> str:
    """10:02 29/11/2026 (Vietnamese wall clock)."""
    return vn_time(value, "%H:%M %d/%m/%Y") if isinstance(value, dt.datetime) else ""


def _is_progress_report(sub: Submission, form) -> bool:
    """A construction-progress survey (any form but an assessment, or one that reports a stage)."""
    return sub.form_id not in ASSESSMENT_FORMS or bool(facts.answer(form, "construction_stage", sub.answers))


def _stage_of(sub: Submission, lc: Lifecycle, form) -> str | None:
    value = facts.answer(form, "construction_stage", sub.answers)
    return value if value in lc.steps and lc.rank(value) > lc.rank("approved") else None


def _apply_to_house(session, actor, sub, house, action, comment, lc, programme) -> None:
    """Called with the house locked (``house.status`` is the committed one)."""
    form = facts.form_of(session, sub)
    progress = _is_progress_report(sub, form)
    stage = _stage_of(sub, lc, form)
    why = comment or review_label(ACTIONS[action], "vi")
    steps: list[str] = []
    if action == "approve" and not (progress and stage is None):
        target = stage or "approved"
        if house.status == "rejected" or lc.rank(house.status) < lc.rank(target):
            steps = lc.path(house.status, target)
        elif house.status in lc.side:  # withdrawn: nothing this survey can approve
            raise illegal_transition(house.status, target, lc.allowed(house.status))
    elif action == "approve" and house.status in lc.side:
        raise illegal_transition(house.status, lc.steps[0], lc.allowed(house.status))
    elif action == "reject" and not progress and "rejected" in lc.allowed(house.status):
        steps = ["rejected"]  # only an assessment's rejection decides the household's eligibility
    if action == "approve" and not progress:  # the house's facts are those of its last approved assessment
        _apply_facts(house, sub, form)
    if not steps:  # the decision itself is still an event on the house
        house_writes.record(session, house, actor_id=actor.id, kind=f"review_{action}", reason=why,
                              submission_id=sub.id)
    for step in steps:
        house_writes.transition(session, house, step, actor_id=actor.id, reason=why, submission_id=sub.id,
                                  kind=f"review_{action}", lc=lc)
    if action != "approve":
        return
    try:
        if progress:
            if stage is not None:
                funding_service.record_received(session, house, form, sub.answers or {}, actor_id=actor.id)
        elif lc.rank(house.status) >= lc.rank("approved"):
            funding_service.commit_support(session, house, form, sub.answers or {}, actor_id=actor.id,
                                           programme=programme)
    except DomainError as err:  # amounts stored before ingest bounded them
        if err.code != "money_out_of_range":
            raise
        raise DomainError("amount_out_of_range", params=err.params) from None
    signals.refresh_money(session, house)  # the money signals follow the house's funding


def _apply_facts(house: House, sub: Submission, form) -> None:
    house.org_unit_id = sub.org_unit_id
    for column, value in facts.house_facts(form, sub.answers).items():
        if value is not None or column in ("lat", "lon", "accuracy"):
            setattr(house, column, value)


@dataclass(frozen=True)
class BulkResult:
    approved: int
    skipped: list[str]  # instance ids left for a decision one by one (approval_blockers)


def bulk_approve(session: Session, actor: User, instance_ids, *, lc: Lifecycle = DEFAULT) -> BulkResult:
    """Approve several surveys, leaving those that need an override; all or nothing (the caller commits
    or rolls back)."""
    n, skipped = 0, []
    for iid in dict.fromkeys(str(i) for i in instance_ids if i):
        sub = access.require(actor, "decide", find(session, iid))
        if approval_blockers(session, sub):
            skipped.append(iid)
            continue
        decide(session, actor, iid, "approve", None, lc=lc)
        n += 1
    return BulkResult(n, skipped)
