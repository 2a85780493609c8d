"""The house page: status changes with a reason (illegal jumps refused in the user's language), funding
per source, and the append-only audit trail showing who, when and why."""

from server.extensions import db
from server.models import HouseEvent
from server.models.funding import HouseFunding
from tests.server.world import make_house, make_units, make_user, sign_in


def _setup():
    make_units()
    make_user("manager", "manager", "49")
    make_user("reviewer_b", "reviewer", "502")
    h = make_house("20968", "approved", name="Phạm Thị D")
    db.session.commit()
    return h


def _token(c, house):
    from tests.server.world import csrf_of

    return csrf_of(c.get(f"/houses/{house.id}").get_data(as_text=True))


def test_status_changes_and_audit(app):
    h = _setup()
    c = sign_in(app.test_client(), "manager")
    r = c.post(f"/houses/{h.id}/status", data={"to": "handed_over", "reason": "nhảy", "csrf_token": _token(c, h)},
               follow_redirects=True)
    assert "không thể chuyển" in r.get_data(as_text=True)
    c.get("/lang/en")
    r = c.post(f"/houses/{h.id}/status", data={"to": "completed", "reason": "skip", "csrf_token": _token(c, h)},
               follow_redirects=True)
    assert "cannot go from" in r.get_data(as_text=True)
    c.get("/lang/vi")
    r = c.post(f"/houses/{h.id}/status", data={"to": "started", "reason": "Khởi công 01/03", "csrf_token": _token(c, h)},
               follow_redirects=True)
    page = r.get_data(as_text=True)
    assert "Khởi công 01/03" in page and "Manager" in page
    db.session.expire_all()
    assert h.status == "started"
    assert db.session.scalar(db.select(db.func.count(HouseEvent.id)).where(HouseEvent.house_id == h.id)) == 1


def test_funding_by_source(app):
    h = _setup()
    c = sign_in(app.test_client(), "manager")
    r = c.post(f"/houses/{h.id}/funding", data={"source": "veterans_association", "planned": "20000000",
                                                 "disbursed": "5000000", "workdays": "12", "csrf_token": _token(c, h)},
               follow_redirects=True)
    assert "Cập nhật kinh phí" in r.get_data(as_text=True)
    row = db.session.scalar(db.select(HouseFunding).where(HouseFunding.house_id == h.id))
    assert (row.source, row.planned, row.disbursed, row.workdays) == ("veterans_association", 20_000_000, 5_000_000, 12)
    r = c.post(f"/houses/{h.id}/funding", data={"source": "casino", "planned": "1", "csrf_token": _token(c, h)},
               follow_redirects=True)
    assert "nguồn kinh phí" in r.get_data(as_text=True)
    r = c.post(f"/houses/{h.id}/funding", data={"source": "loan", "planned": "-5", "csrf_token": _token(c, h)},
               follow_redirects=True)
    assert "số nguyên không âm" in r.get_data(as_text=True)
    other = sign_in(app.test_client(), "reviewer_b")
    assert other.get(f"/houses/{h.id}").status_code == 404


def test_poor_district_flag_changes_the_support(app):
    from server.services.houses import funding
    from server.services.surveys import review
    from tests.server.world import csrf_of, make_form, make_submission, unit

    h = _setup()
    make_form()
    vol = make_user("volunteer", "volunteer", "20968")
    rev = make_user("reviewer", "reviewer", "517")
    db.session.commit()
    c = sign_in(app.test_client(), "manager")
    token = csrf_of(c.get("/targets").get_data(as_text=True))
    assert c.post("/targets/poor-district/517", data={"flag": "1", "csrf_token": token}).status_code == 302
    assert funding.is_poor_district(db.session, unit("20968").id)
    h2 = make_house("20968")
    s = make_submission(vol, h2, {"beneficiary_group": "poor", "recommendation": "new_build"})
    review.decide(db.session, rev, s.instance_id, "approve")
    assert db.session.scalar(db.select(HouseFunding.planned).where(HouseFunding.house_id == h2.id)) == 14_000_000
    assert h.status == "approved"


def test_vietnamese_by_default_english_on_request(app):
    _setup()
    c = sign_in(app.test_client(), "manager")
    assert "Tiến độ xoá nhà tạm" in c.get("/dashboard").get_data(as_text=True)
    assert c.get("/lang/en?next=/dashboard").location.endswith("/dashboard")
    assert c.get("/lang/en?next=//evil.example/x").location.endswith("/")  # no open redirect
    page = c.get("/dashboard").get_data(as_text=True)
    assert "Progress: Tỉnh Quảng Nam" in page and 'lang="en"' in page
    from tests.server.world import csrf_of

    r = c.post("/sign-out", data={"csrf_token": csrf_of(page)})
    assert r.status_code == 302 and c.get("/dashboard").status_code == 302  # signed out, language kept
    assert "Sign in" in c.get("/sign-in").get_data(as_text=True)
