"""The sync feed: what changed for this user since a cursor (review outcomes, houses to follow up).

The cursor is the (writing transaction, id) of the last HouseEvent seen, and the feed hands out only
events of transactions that have ended (``visible_tx_horizon``). An id is taken at INSERT, not at
COMMIT, so "id > last id" alone skips an event whose transaction commits after a later one has been
read; no transaction still running can own a (tx, id) below the horizon, so this cursor never passes
an event that is yet to appear. See docs/architecture.md, "The sync feed cursor".
Scoped by the access gate (``access.visible_house_ids``): a volunteer sees the houses they surveyed,
other roles their subtree.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from forms.sync import decode_cursor_pair, encode_cursor
from server.errors import DomainError
from server.models import House, HouseEvent, OrgUnit, Submission, User
from server.models.houses import visible_tx_horizon
from server.services.accounts import access

PAGE = 500
FOLLOW_UP = ("approved", "funded", "started", "stage_checked", "completed")


def feed(session: Session, actor: User, cursor: str | None) -> dict:
    try:
        since_tx, since = decode_cursor_pair(cursor)
    except ValueError:
        raise DomainError("bad_cursor") from None
    q = (sa.select(HouseEvent)
         .where(sa.tuple_(HouseEvent.tx, HouseEvent.id) > sa.tuple_(sa.literal(since_tx), sa.literal(since)),
                HouseEvent.tx < visible_tx_horizon())
         .order_by(HouseEvent.tx, HouseEvent.id).limit(PAGE))
    q = q.where(HouseEvent.house_id.in_(access.visible_house_ids(session, actor)))
    events = session.scalars(q).all()
    last = (events[-1].tx, events[-1].id) if events else (since_tx, since)
    house_ids = {e.house_id for e in events}
    sub_ids = {e.submission_id for e in events if e.submission_id}
    houses = session.scalars(sa.select(House).where(House.id.in_(house_ids))).all() if house_ids else []
    subs = session.scalars(sa.select(Submission).where(Submission.id.in_(sub_ids))).all() if sub_ids else []
    subs = [s for s in subs if access.can(actor, "view", s)]
    house_uuid = {h.id: h.uuid for h in houses}
    units = {h.org_unit_id: session.get(OrgUnit, h.org_unit_id) for h in houses}
    return {
        "cursor": encode_cursor(last[1], last[0]),
        "more": len(events) == PAGE,
        "submissions": [
            {"instance_id": s.instance_id, "form_id": s.form_id, "form_version": s.form_version,
             "house_id": house_uuid.get(s.house_id), "review_status": s.review_status,
             "review_comment": s.review_comment,
             "reviewed_at": s.reviewed_at.isoformat() if s.reviewed_at else None,
             "answers": s.answers if s.review_status == "changes_requested" else None}
            for s in sorted(subs, key=lambda s: s.id) if s.review_status != "received"
        ],
        "houses": [
            {"house_id": h.uuid, "head_name": h.head_name, "status": h.status,
             "follow_up": h.status in FOLLOW_UP,
             # the house's unit and its ancestors (province first): a follow-up form's commune comes from it
             "org_unit": units[h.org_unit_id].code, "units": units[h.org_unit_id].ancestor_codes,
             "village": h.village}
            for h in sorted(houses, key=lambda h: h.id)
        ],
        "events": [
            {"id": e.id, "house_id": house_uuid.get(e.house_id), "kind": e.kind, "from_status": e.from_status,
             "to_status": e.to_status, "reason": e.reason, "at": e.created_at.isoformat()}
            for e in events
        ],
    }
