"""Decisions and house moves happen once, under real concurrency.

A real threaded server (werkzeug ``make_server``) on 127.0.0.1 over the test database (an SQLite file, or
PostgreSQL); two clients held at a barrier so that both requests land together; ten trials each.
Exactly one request wins, the other gets 409 naming who decided what; survey and house agree after.
"""

from __future__ import annotations

import re
import threading
from functools import partial

import pytest
import requests
from werkzeug.serving import make_server

from server.extensions import db
from server.models import House, HouseEvent, Submission, User
from server.models.funding import HouseFunding
from tests.server.world import make_form, make_house, make_submission, make_units, make_user

TRIALS = 10


@pytest.fixture
def world(app):
    make_units()
    make_form()
    for name, role, code in [("volunteer", "volunteer", "20968"), ("reviewer", "reviewer", "517"),
                             ("reviewer_b", "reviewer", "517")]:
        make_user(name, role, code)
    db.session.commit()
    return app


@pytest.fixture
def live(world):
    server = make_server("127.0.0.1", 0, world, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(10)


def _fresh_case(status: str = "assessed") -> tuple[int, int, str]:
    volunteer = db.session.scalar(db.select(User).where(User.username == "volunteer"))
    house = make_house("20968", status=status)
    sub = make_submission(volunteer, house)
    db.session.commit()
    return house.id, sub.id, sub.instance_id


def _together(calls) -> list:
    """Run the calls in threads released by one barrier; their results in order."""
    barrier = threading.Barrier(len(calls))
    out: list = [None] * len(calls)

    def run(i, call):
        barrier.wait()
        out[i] = call()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return out


def _check_agreement(house_id: int, sub_id: int) -> str:
    """The survey's decision, after checking that its house agrees and that it was decided once."""
    db.session.rollback()
    db.session.expire_all()
    sub, house = db.session.get(Submission, sub_id), db.session.get(House, house_id)
    expected_house = {"approved": "approved", "rejected": "rejected"}[sub.review_status]
    assert house.status == expected_house, (sub.review_status, house.status)
    decisions = db.session.scalars(db.select(HouseEvent).where(HouseEvent.submission_id == sub_id,
                                                              HouseEvent.kind.like("review_%"))).all()
    assert {e.kind for e in decisions} == {"review_approve" if sub.review_status == "approved" else "review_reject"}
    return sub.review_status


def _loser_names_winner(text: str, winner: str, decision: str) -> None:
    verb = {"approved": "duyệt", "rejected": "quyết định không duyệt"}[decision]
    assert re.search(rf"Khảo sát này đã được {winner} {verb} lúc \d\d:\d\d \d\d/\d\d/\d{{4}}", text), text[:3000]


def test_two_reviewers_deciding_at_once_over_the_api(live):
    tokens = {}
    for name in ("reviewer", "reviewer_b"):
        r = requests.post(f"{live}/api/v1/auth/token", json={"username": name, "password": "demo",
                                                             "device_id": name}, timeout=30)
        assert r.status_code == 201, r.text
        tokens[name] = {"Authorization": f"Bearer {r.json()['token']}", "Accept-Language": "vi"}
    for _ in range(TRIALS):
        house_id, sub_id, iid = _fresh_case()
        url = f"{live}/api/v1/submissions/{iid}/review"
        a, b = _together([
            partial(requests.post, url, json={"action": "approve"}, headers=tokens["reviewer"], timeout=60),
            partial(requests.post, url, json={"action": "reject", "comment": "Không đủ điều kiện"},
                                  headers=tokens["reviewer_b"], timeout=60)])
        assert sorted([a.status_code, b.status_code]) == [200, 409], (a.text, b.text)
        decision = _check_agreement(house_id, sub_id)
        winner, loser = (a, b) if a.status_code == 200 else (b, a)
        assert winner.json()["review_status"] == decision
        assert loser.json()["error"]["code"] == "already_decided"
        _loser_names_winner(loser.json()["error"]["message"], "Reviewer" if winner is a else "Reviewer_B", decision)


def _signed_in(live: str, username: str) -> tuple[requests.Session, str]:
    s = requests.Session()
    token = re.search(r'name="csrf_token" value="([^"]+)"', s.get(f"{live}/sign-in", timeout=30).text).group(1)
    r = s.post(f"{live}/sign-in", data={"username": username, "password": "demo", "csrf_token": token},
               allow_redirects=False, timeout=30)
    assert r.status_code == 302, r.text[:500]
    page = s.get(f"{live}/review", timeout=30).text
    return s, re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_two_reviewers_deciding_at_once_on_the_web(live):
    (sa_, ta), (sb, tb) = _signed_in(live, "reviewer"), _signed_in(live, "reviewer_b")
    for _ in range(TRIALS):
        house_id, sub_id, iid = _fresh_case()
        url = f"{live}/review/{iid}"
        a, b = _together([
            partial(sa_.post, url, data={"action": "approve", "csrf_token": ta}, allow_redirects=False, timeout=60),
            partial(sb.post, url, data={"action": "reject", "comment": "Không đủ điều kiện", "csrf_token": tb},
                            allow_redirects=False, timeout=60)])
        # the winner is redirected on (Post/Redirect/Get); the loser sees the page again with a 409
        assert sorted([a.status_code, b.status_code]) == [302, 409], (a.status_code, b.status_code)
        decision = _check_agreement(house_id, sub_id)
        winner, loser = (a, b) if a.status_code == 302 else (b, a)
        _loser_names_winner(loser.text, "Reviewer" if winner is a else "Reviewer_B", decision)


def test_two_people_moving_one_house_at_once(live):
    (sa_, ta), (sb, tb) = _signed_in(live, "reviewer"), _signed_in(live, "reviewer_b")
    for _ in range(TRIALS):
        house_id, _, _ = _fresh_case(status="approved")
        url = f"{live}/houses/{house_id}/status"
        a, b = _together([
            partial(sa_.post, url, data={"from": "approved", "to": "started", "reason": "Khởi công", "csrf_token": ta},
                             allow_redirects=False, timeout=60),
            partial(sb.post, url, data={"from": "approved", "to": "withdrawn", "reason": "Hộ xin rút",
                                       "csrf_token": tb}, allow_redirects=False, timeout=60)])
        assert sorted([a.status_code, b.status_code]) == [302, 409], (a.status_code, b.status_code)
        db.session.rollback()
        db.session.expire_all()
        status = db.session.get(House, house_id).status
        assert status == ("started" if a.status_code == 302 else "withdrawn")
        moves = db.session.scalars(db.select(HouseEvent).where(HouseEvent.house_id == house_id,
                                                              HouseEvent.kind == "status")).all()
        assert [(e.from_status, e.to_status) for e in moves] == [("approved", status)]
        loser = b if a.status_code == 302 else a
        assert "Nhà này đã được chuyển sang" in loser.text


def test_two_first_funding_entries_of_one_source_at_once(live):
    (sa_, ta), (sb, tb) = _signed_in(live, "reviewer"), _signed_in(live, "reviewer_b")
    for _ in range(TRIALS):
        house_id, _, _ = _fresh_case(status="approved")
        url = f"{live}/houses/{house_id}/funding"
        a, b = _together([
            partial(sa_.post, url, data={"source": "sponsor", "planned": "5000000", "csrf_token": ta},
                             allow_redirects=False, timeout=60),
            partial(sb.post, url, data={"source": "sponsor", "disbursed": "1000000", "csrf_token": tb},
                            allow_redirects=False, timeout=60)])
        assert (a.status_code, b.status_code) == (302, 302)
        db.session.rollback()
        rows = db.session.scalars(db.select(HouseFunding).where(HouseFunding.house_id == house_id)).all()
        assert [(r.planned, r.disbursed) for r in rows] == [(5_000_000, 1_000_000)]


def _api_token(client, username: str) -> dict:
    r = client.post("/api/v1/auth/token", json={"username": username, "password": "demo", "device_id": username})
    assert r.status_code == 201, r.get_json()
    return {"Authorization": f"Bearer {r.get_json()['token']}"}


def test_approving_a_survey_of_a_withdrawn_house_is_a_clear_409(world):
    client = world.test_client()
    house_id, sub_id, iid = _fresh_case(status="withdrawn")
    for lang, words in (("vi", "Đã rút"), ("en", "Withdrawn")):
        r = client.post(f"/api/v1/submissions/{iid}/review", json={"action": "approve"},
                        headers={**_api_token(client, "reviewer"), "Accept-Language": lang})
        assert r.status_code == 409, r.get_data(as_text=True)
        assert r.get_json()["error"]["code"] == "house_closed" and words in r.get_json()["error"]["message"]
    db.session.expire_all()
    assert db.session.get(Submission, sub_id).review_status == "received"  # nothing half-written
    assert db.session.get(House, house_id).status == "withdrawn"
    r = client.post(f"/api/v1/submissions/{iid}/review", json={"action": "reject", "comment": "Hộ đã rút"},
                    headers=_api_token(client, "reviewer"))
    assert r.status_code == 200 and r.get_json()["house_status"] == "withdrawn"


@pytest.mark.parametrize("stage", ["stage_checked", None])
def test_rejecting_a_progress_report_never_changes_the_assessment_outcome(world, stage):
    """A construction-progress report (a stage the programme does not track, or none) rejected or
    approved: the house stays where the assessment put it."""
    client = world.test_client()
    volunteer = db.session.scalar(db.select(User).where(User.username == "volunteer"))
    house = make_house("20968", status="approved")
    answers = {"stage": stage} if stage else {}
    reports = [make_submission(volunteer, house, answers, form_id="construction_progress") for _ in range(2)]
    db.session.commit()
    hid = house.id
    headers = _api_token(client, "reviewer")
    r = client.post(f"/api/v1/submissions/{reports[0].instance_id}/review",
                    json={"action": "reject", "comment": "Ảnh không rõ"}, headers=headers)
    assert r.status_code == 200 and r.get_json()["house_status"] == "approved"
    r = client.post(f"/api/v1/submissions/{reports[1].instance_id}/review", json={"action": "approve"},
                    headers=headers)
    assert r.status_code == 200 and r.get_json()["house_status"] == "approved"
    db.session.expire_all()
    assert db.session.get(House, hid).status == "approved"


def test_decisions_are_logged_for_audit(world, caplog):
    client = world.test_client()
    _, _, iid = _fresh_case()
    headers = _api_token(client, "reviewer")
    with caplog.at_level("INFO", logger="maiam.audit"):
        assert client.post(f"/api/v1/submissions/{iid}/review", json={"action": "approve"},
                           headers=headers).status_code == 200
    records = [r for r in caplog.records if r.name == "maiam.audit"]
    assert any("actor=reviewer" in r.getMessage() and iid in r.getMessage() and "decision=approved" in r.getMessage()
               for r in records)
    assert not any(headers["Authorization"].split()[1] in r.getMessage() or "demo" in r.getMessage() for r in records)
