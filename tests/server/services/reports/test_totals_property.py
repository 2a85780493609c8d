"""Property: random sequences of submissions, reviews, progress reports, withdrawals and funding changes,
driven through the services, keep every level's roll-up equal to the plain-Python recount from the raw
rows, and the figures of a closed period (an instant in the past) never change after further events."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forms import clock
from server.errors import DomainError
from server.extensions import db
from server.models import House, OrgUnit, Submission, User
from server.services.files.storage import Storage
from server.services.houses import funding
from server.services.houses import writes as house_writes
from server.services.reports import progress, recount
from server.services.surveys import ingest, review
from tests.server.world import UNITS, envelope, publish

COMMUNES = ("20968", "20335")
REVIEWER_OF = {"20968": "rev517", "20335": "rev502"}
OPS = st.one_of(
    st.tuples(st.just("assess"), st.sampled_from(COMMUNES), st.integers(1, 500)),
    st.tuples(st.just("decide"), st.integers(0, 50), st.sampled_from(["approve", "approve", "reject",
                                                                      "request_changes"])),
    st.tuples(st.just("progress"), st.integers(0, 50), st.sampled_from(["started", "completed", "handed_over"]),
              st.integers(0, 80) .map(lambda n: n * 1_000_000)),
    st.tuples(st.just("withdraw"), st.integers(0, 50)),
    st.tuples(st.just("fund"), st.integers(0, 50), st.sampled_from(["provincial_budget", "sponsor", "household"]),
              st.integers(0, 90).map(lambda n: n * 1_000_000), st.integers(0, 90).map(lambda n: n * 1_000_000)),
    st.tuples(st.just("close")),
)


def _world(app):
    """Units, accounts and the two library forms once per test; each example starts without houses."""
    if "forms" in app.extensions.setdefault("totals_property", {}):
        from server.models import Attachment, HouseEvent, SubmissionSignal
        from server.models.funding import HouseFunding, HouseFundingEvent

        for model in (SubmissionSignal, HouseFundingEvent, HouseFunding, HouseEvent, Attachment, Submission, House):
            db.session.execute(db.delete(model))
        db.session.commit()
        return app.extensions["totals_property"]["forms"]
    made = {}
    for level, code, name, parent in UNITS:
        p = made.get(parent)
        made[code] = OrgUnit(code=code, name=name, level=level, parent_id=p.id if p else None,
                             path=(p.path if p else "/") + code + "/")
        db.session.add(made[code])
        db.session.flush()
    for username, role, code in [("vol20968", "volunteer", "20968"), ("vol20335", "volunteer", "20335"),
                                 ("rev517", "reviewer", "517"), ("rev502", "reviewer", "502")]:
        db.session.add(User(username=username, role=role, org_unit_id=made[code].id, password="demo"))
    db.session.commit()
    forms = app.extensions["totals_property"]["forms"] = (publish("house_assessment"), publish("construction_progress"))
    return forms


def _user(name):
    return db.session.scalar(db.select(User).where(User.username == name))


def _pick(model, i):
    rows = db.session.scalars(db.select(model).order_by(model.id)).all()
    return rows[i % len(rows)] if rows else None


def _commune_of(house):
    return db.session.get(OrgUnit, house.org_unit_id).code[:5]


def _apply(op, forms, storage):
    kind = op[0]
    if kind == "assess":
        env, _ = envelope(forms[0], seed=op[2], preset={"commune_code": op[1]})  # a survey of that commune
        ingest.ingest(db.session, _user("vol" + op[1]), env, storage)
    elif kind == "decide":
        sub = db.session.scalars(db.select(Submission).where(Submission.review_status == "received")
                                 .order_by(Submission.id)).all()
        if not sub:
            return
        s = sub[op[1] % len(sub)]
        commune = db.session.get(OrgUnit, s.org_unit_id).code[:5]
        review.decide(db.session, _user(REVIEWER_OF[commune]), s.instance_id, op[2],
                      None if op[2] == "approve" else "không đạt")
    elif kind == "progress":
        h = _pick(House, op[1])
        if h is None:
            return
        amounts = {"rec_provincial_budget": op[3], "rec_sponsor": op[3] // 2}
        env, _ = envelope(forms[1], seed=op[1] + 7, preset={"house_id": h.uuid, "stage": op[2], **amounts},
                          house_id=h.uuid)
        commune = _commune_of(h)
        ingest.ingest(db.session, _user("vol" + commune), env, storage)
        review.decide(db.session, _user(REVIEWER_OF[commune]), env["instance_id"], "approve")
    elif kind == "withdraw":
        h = _pick(House, op[1])
        if h is not None:
            house_writes.transition(db.session, h, "withdrawn", actor_id=None, reason="hộ xin rút")
    elif kind == "fund":
        h = _pick(House, op[1])
        if h is not None:
            funding.set_funding(db.session, h, op[2], planned=op[3], disbursed=op[4])


def _snapshot(at):
    return {u.code: progress.rollup(db.session, u, at=at).as_dict()
            for u in db.session.scalars(db.select(OrgUnit).order_by(OrgUnit.code))}


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
@settings(derandomize=True, max_examples=6, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=st.lists(OPS, min_size=4, max_size=10))
def test_every_level_equals_the_recount_and_closed_periods_never_change(app, tmp_path, ops):
    forms = _world(app)
    storage = Storage(str(tmp_path / "media"))
    units = list(db.session.scalars(db.select(OrgUnit)))
    closed: list[tuple[dt.datetime, dict]] = []
    done: list[str] = []
    for op in ops:
        try:
            _apply(op, forms, storage)
            db.session.commit()
        except DomainError:
            db.session.rollback()  # refused: nothing of it is written
        else:
            done.append(op[0])
        if op[0] == "close":
            at = clock.now()
            closed.append((at, _snapshot(at)))
        moments = {"today": None, **{f"closed {i}": at for i, (at, _) in enumerate(closed)}}
        assert [str(m) for m in recount.compare(db.session, units, moments=moments)] == []
        for at, snap in closed:
            assert _snapshot(at) == snap
    STATS.append((len(done), db.session.scalar(db.select(db.func.count()).select_from(House))))


STATS: list[tuple[int, int]] = []


def test_the_sequences_did_something():
    """Runs after the property (file order): the random sequences reached houses, not only refusals."""
    if STATS:
        assert sum(n for n, _ in STATS) > len(STATS) and max(h for _, h in STATS) >= 1, STATS
