"""Review through the pages: scoping (404 outside the subtree), XSS escaped, CSRF enforced, decisions."""

import pytest

from server.extensions import db
from server.models import HouseEvent, Submission
from server.models.funding import HouseFunding
from tests.server.world import (
    make_form,
    make_house,
    make_submission,
    make_units,
    make_user,
    sign_in,
    token_of,
)


@pytest.fixture
def world(app):
    make_units()
    make_form()
    users = {name: make_user(name, role, code) for name, role, code in [
        ("volunteer", "volunteer", "20968"), ("reviewer", "reviewer", "517"), ("reviewer_b", "reviewer", "502"),
        ("manager", "manager", "49")]}
    h_a = make_house("20968", name="Trần Thị B")
    h_b = make_house("20335", name="Lê Văn C")
    s_a = make_submission(users["volunteer"], h_a)
    s_b = make_submission(users["volunteer"], h_b)
    db.session.commit()
    return {"users": users, "a": s_a, "b": s_b, "house_a": h_a, "house_b": h_b}


def test_reviewer_sees_only_their_subtree(app, world):
    c = sign_in(app.test_client(), "reviewer")
    queue = c.get("/review").get_data(as_text=True)
    assert world["a"].instance_id in queue and world["b"].instance_id not in queue
    assert c.get(f"/review/{world['a'].instance_id}").status_code == 200
    assert c.get(f"/review/{world['b'].instance_id}").status_code == 404
    assert c.get(f"/houses/{world['house_b'].id}").status_code == 404
    assert c.get(f"/photos/{world['b'].instance_id}/x.jpg").status_code == 404
    assert c.get("/dashboard?unit=502").status_code == 404
    r = c.post(f"/review/{world['b'].instance_id}", data={"action": "approve", "csrf_token": token_of(c)})
    assert r.status_code == 404
    assert db.session.get(Submission, world["b"].id).review_status == "received"


def test_answers_are_escaped(app, world):
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    s = make_submission(world["users"]["volunteer"], world["house_a"], {"head_name": evil})
    db.session.commit()
    c = sign_in(app.test_client(), "reviewer")
    for page in (f"/review/{s.instance_id}", "/review"):
        html = c.get(page).get_data(as_text=True)
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;" in html


def test_csrf_is_enforced(app, world):
    c = sign_in(app.test_client(), "reviewer")
    r = c.post(f"/review/{world['a'].instance_id}", data={"action": "approve"})
    assert r.status_code == 400
    assert "hết hạn" in r.get_data(as_text=True)
    r = c.post(f"/review/{world['a'].instance_id}", data={"action": "approve", "csrf_token": "forged"})
    assert r.status_code == 400
    assert db.session.get(Submission, world["a"].id).review_status == "received"
    assert app.test_client().post("/sign-in", data={"username": "reviewer", "password": "demo"}).status_code == 400


def test_comment_required_then_decisions_are_events(app, world):
    c = sign_in(app.test_client(), "reviewer")
    iid = world["a"].instance_id
    r = c.post(f"/review/{iid}", data={"action": "request_changes", "comment": " ", "csrf_token": token_of(c)},
               follow_redirects=True)
    assert "Cần ghi ý kiến" in r.get_data(as_text=True)
    assert db.session.get(Submission, world["a"].id).review_status == "received"
    r = c.post(f"/review/{iid}", data={"action": "request_changes", "comment": "Thiếu ảnh mái nhà",
                                       "csrf_token": token_of(c)})
    assert r.status_code == 302
    db.session.expire_all()
    sub = db.session.get(Submission, world["a"].id)
    assert (sub.review_status, sub.review_comment) == ("changes_requested", "Thiếu ảnh mái nhà")
    ev = db.session.scalars(db.select(HouseEvent).where(HouseEvent.house_id == world["house_a"].id)
                            .order_by(HouseEvent.id.desc())).first()
    assert ev.kind == "review_request_changes" and ev.reason == "Thiếu ảnh mái nhà"
    # a corrected resubmission is approved: house approved, support committed (60 M new build, not a poor district)
    s2 = make_submission(world["users"]["volunteer"], world["house_a"])
    db.session.commit()
    assert c.post(f"/review/{s2.instance_id}", data={"action": "approve", "csrf_token": token_of(c)}).status_code == 302
    db.session.expire_all()
    assert world["house_a"].status == "approved"
    assert db.session.scalar(db.select(HouseFunding.planned).where(HouseFunding.house_id == world["house_a"].id)) \
        == 60_000_000
    page = c.get(f"/houses/{world['house_a'].id}").get_data(as_text=True)
    assert "Thiếu ảnh mái nhà" in page and "Đã duyệt" in page
    # deciding twice is refused
    r = c.post(f"/review/{s2.instance_id}", data={"action": "reject", "comment": "x", "csrf_token": token_of(c)},
               follow_redirects=True)
    assert r.status_code == 409
    assert "Khảo sát này đã được Reviewer duyệt lúc " in r.get_data(as_text=True)


def test_bulk_approve_and_roles(app, world):
    s3 = make_submission(world["users"]["volunteer"], make_house("20971"))
    db.session.commit()
    c = sign_in(app.test_client(), "reviewer")
    r = c.post("/review/bulk", data={"ids": [world["a"].instance_id, s3.instance_id], "csrf_token": token_of(c)},
               follow_redirects=True)
    assert "Đã duyệt 2 khảo sát" in r.get_data(as_text=True)
    m = sign_in(app.test_client(), "manager")
    assert m.get("/review").status_code == 403
    assert m.get("/dashboard").status_code == 200
    v = sign_in(app.test_client(), "volunteer")
    assert v.get("/dashboard").status_code == 403
    assert "Đã duyệt" in v.get("/mine").get_data(as_text=True)
    assert app.test_client().get("/review").status_code == 302  # not signed in -> sign-in page


def test_progress_survey_moves_the_house_and_records_money(app, world):
    from server.services.surveys import review

    vol, rev = world["users"]["volunteer"], world["users"]["reviewer"]
    house = world["house_a"]
    a = make_submission(vol, house, {"beneficiary_group": "poor", "recommendation": "repair",
                                     "req_provincial_budget": 30_000_000, "req_sponsor": 10_000_000,
                                     "household_contribution": 5_000_000, "pledged_workdays": 20})
    review.decide(db.session, rev, a.instance_id, "approve")
    p = make_submission(vol, house, {"stage": "completed", "rec_provincial_budget": 30_000_000, "rec_sponsor": 4_000_000,
                                     "workdays_contributed": 25}, form_id="construction_progress")
    review.decide(db.session, rev, p.instance_id, "approve")
    db.session.commit()
    assert house.status == "completed"
    money = {f.source: (f.planned, f.disbursed, f.workdays) for f in db.session.scalars(
        db.select(HouseFunding).where(HouseFunding.house_id == house.id))}
    assert money == {"provincial_budget": (30_000_000, 30_000_000, 0), "sponsor": (10_000_000, 4_000_000, 0),
                     "household": (5_000_000, 0, 25)}
    kinds = [e.to_status for e in db.session.scalars(db.select(HouseEvent).where(HouseEvent.house_id == house.id)
                                                    .where(HouseEvent.kind == "review_approve"))]
    assert kinds == ["approved", "started", "completed"]
    from server.services.reports import progress
    from tests.server.world import unit

    t = progress.rollup(db.session, unit("517")).totals
    assert (t.support_committed, t.support_disbursed, t.workdays, t.completed) == (40_000_000, 34_000_000, 25, 1)


def test_queue_filters_and_flags(app, world):
    vol = world["users"]["volunteer"]
    far = make_submission(vol, make_house("20971", name="Hộ xa"), {"location": "15.45 108.62 12 80",
                                                                  "eligible": "no", "commune_code": "20999"})
    db.session.commit()
    c = sign_in(app.test_client(), "reviewer")
    page = c.get("/review?commune=20971").get_data(as_text=True)
    assert far.instance_id in page and world["a"].instance_id not in page
    page = c.get("/review?flag=gps_poor").get_data(as_text=True)
    assert far.instance_id in page and world["a"].instance_id not in page
    page = c.get("/review?flag=eligibility").get_data(as_text=True)
    assert far.instance_id in page and world["a"].instance_id not in page
    typed = make_submission(vol, make_house("20968", name="Hộ nhập tay"), {"location": "15.46 108.61"})
    db.session.commit()
    page = c.get("/review?flag=gps_manual").get_data(as_text=True)  # a point typed without accuracy
    assert typed.instance_id in page and far.instance_id not in page and world["a"].instance_id not in page
    assert "Vị trí nhập tay (không có sai số)" in page
    from server.services.surveys import signals
    from server.services.surveys import survey_facts as facts

    assert "gps_manual" not in signals.flags(db.session, far, facts.form_of(db.session, far))  # gps_poor, not typed
    assert c.get("/review?flag=bogus").status_code == 200  # a clear message, not a 500
    assert c.get("/review?date_from=hôm-qua").status_code == 200
    assert world["a"].instance_id in c.get("/review?form=house_assessment").get_data(as_text=True)


def test_the_queue_pages_through_every_waiting_survey_oldest_first(app, world):
    """A district with more surveys than a page: every one is reachable, none twice, counts true."""
    import datetime as dt

    from server.services.surveys import review

    vol = world["users"]["volunteer"]
    base = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    world["a"].received_at = base - dt.timedelta(days=1)
    made = [world["a"].instance_id]
    for i in range(review.PAGE_SIZE + 30):
        s = make_submission(vol, world["house_a"], {"head_name": f"Hộ {i:03d}"} | ({"location": "x"} if i % 10 == 0 else {}))
        s.received_at = base + dt.timedelta(minutes=i)
        made.append(s.instance_id)
    db.session.commit()
    c = sign_in(app.test_client(), "reviewer")
    first = c.get("/review").get_data(as_text=True)
    assert f"({len(made)})" in first and f"1–{review.PAGE_SIZE} trong {len(made)}" in first
    assert "Trang 1/2" in first and "page=2" in first
    second = c.get("/review?page=2").get_data(as_text=True)
    assert f"{review.PAGE_SIZE + 1}–{len(made)} trong {len(made)}" in second
    import re

    seen = re.findall(r'name="ids" value="([^"]+)"', first) + re.findall(r'name="ids" value="([^"]+)"', second)
    assert seen == made  # oldest first, each exactly once
    # a flag filter counts over every waiting survey, not just one page
    flagged = c.get("/review?flag=no_gps").get_data(as_text=True)
    assert "(13)" in flagged and len(re.findall(r'name="ids"', flagged)) == 13
    assert c.get("/review?page=abc").status_code == 200


def test_after_a_decision_the_next_waiting_survey_opens(app, world):
    import datetime as dt

    vol = world["users"]["volunteer"]
    later = make_submission(vol, world["house_a"], {"head_name": "Hộ sau"})
    world["a"].received_at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    later.received_at = dt.datetime(2026, 1, 2, tzinfo=dt.UTC)
    db.session.commit()
    c = sign_in(app.test_client(), "reviewer")
    r = c.post(f"/review/{world['a'].instance_id}", data={"action": "approve", "csrf_token": token_of(c)})
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/review/{later.instance_id}")
    assert "khảo sát tiếp theo" in c.get(r.headers["Location"]).get_data(as_text=True)
    r = c.post(f"/review/{later.instance_id}", data={"action": "approve", "csrf_token": token_of(c)})
    assert r.headers["Location"].endswith("/review")  # nothing left: back to the (empty) list
