"""Lifecycle against the database: every transition writes an append-only event; illegal jumps write nothing."""

import pytest

from server.errors import DomainError
from server.extensions import db
from server.models import HouseEvent
from server.services.houses import reading as houses
from server.services.houses import writes as house_writes
from tests.server.world import make_house, make_units, make_user


def _events(house):
    return db.session.scalars(db.select(HouseEvent).where(HouseEvent.house_id == house.id).order_by(HouseEvent.id)).all()


def test_the_whole_path_writes_one_event_per_step(app):
    make_units()
    actor = make_user("reviewer", "reviewer", "517")
    h = make_house("20968")
    before = len(_events(h))
    for step in ["approved", "started", "completed", "handed_over"]:
        house_writes.transition(db.session, h, step, actor_id=actor.id, reason=f"lý do {step}")
    db.session.commit()
    evs = _events(h)[before:]
    assert [(e.from_status, e.to_status) for e in evs] == [("assessed", "approved"), ("approved", "started"),
                                                           ("started", "completed"), ("completed", "handed_over")]
    assert all(e.actor_id == actor.id and e.reason.startswith("lý do") and e.created_at for e in evs)
    trail = houses.history(db.session, h.id, "vi")
    assert trail[-1]["why"] == "lý do handed_over" and trail[-1]["who"] == "Reviewer"


def test_illegal_jump_changes_nothing(app):
    make_units()
    actor = make_user("reviewer", "reviewer", "517")
    h = make_house("20968")
    db.session.commit()
    before = len(_events(h))
    with pytest.raises(DomainError) as err:
        house_writes.transition(db.session, h, "completed", actor_id=actor.id, reason="nhảy cóc")
    assert err.value.code == "illegal_transition" and err.value.status == 409
    assert "Đã khảo sát" in err.value.message("vi") and "Hoàn thành" in err.value.message("vi")
    db.session.rollback()
    assert h.status == "assessed" and len(_events(h)) == before
