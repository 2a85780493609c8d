"""A survey never changes a house before it is approved; approvals respect the form (issue 10, items 1-2).

Real API over the test database (SQLite, and PostgreSQL with TEST_DATABASE_URL): volunteers send surveys
built by the form engine's example generator, reviewers decide through POST .../review.
"""

from __future__ import annotations

import logging

import pytest
import sqlalchemy as sa

from server.extensions import db
from server.models import House, HouseEvent, Submission
from tests.server.world import envelope, publish

ELIGIBLE = {"residential_land": "yes", "land_dispute": "no", "household_size": 1, "floor_area": 10}
NOT_ELIGIBLE = {"residential_land": "no"}  # the form says: land not valid, so not eligible
NO_MONEY = {"req_central_budget": 0, "req_provincial_budget": 0, "req_local_budget": 0,
            "req_fund_for_the_poor": 0, "req_gratitude_fund": 0, "req_sponsor": 0,
            "req_veterans_association": 0, "loan_amount": 0, "household_contribution": 10_000_000}


@pytest.fixture
def world(app, make_user, auth_header):
    make_user("vol_a", "volunteer", "20968")
    make_user("vol_b", "volunteer", "20968")
    make_user("reviewer", "reviewer", "517")
    return {"form": publish(), "a": auth_header("vol_a"), "b": auth_header("vol_b"),
            "reviewer": auth_header("reviewer")}


def send(client, world, who: str, seed: int, eligible: bool = True, **preset) -> dict:
    env, _ = envelope(world["form"], seed=seed, preset={**NO_MONEY, **(ELIGIBLE if eligible else NOT_ELIGIBLE),
                                                        **preset})
    r = client.post("/api/v1/submissions", json=env, headers=world[who])
    assert r.status_code == 201, r.get_json()
    return {"instance_id": env["instance_id"], **r.get_json()}


def review(client, world, instance_id: str, **body):
    return client.post(f"/api/v1/submissions/{instance_id}/review", json=body,
                       headers={**world["reviewer"], "Accept-Language": "en"})


def sub_of(instance_id: str) -> Submission:
    db.session.expire_all()
    return db.session.scalar(sa.select(Submission).where(Submission.instance_id == instance_id))


def test_a_second_survey_with_the_same_cccd_changes_no_approved_house(client, world):
    first = send(client, world, "a", 1, head_cccd="049201000111", head_name="Nguyễn Văn Một",
                 gps="15.40 108.60 0 5")
    assert review(client, world, first["instance_id"], action="approve").status_code == 200
    house = db.session.scalar(sa.select(House))
    before = (house.head_name, house.lat, house.lon, house.status)

    second = send(client, world, "b", 2, head_cccd="049201000111", head_name="Trần Văn Khác",
                  gps="15.50 108.70 0 5")
    db.session.expire_all()
    house = db.session.get(House, house.id)
    assert (house.head_name, house.lat, house.lon, house.status) == before  # untouched
    dup = sub_of(second["instance_id"])
    assert dup.duplicate_of_house_id == house.id and dup.duplicate_state == "open" and dup.house_id is None
    assert second["house_id"] is None  # the volunteer is not handed the other house
    assert db.session.scalar(sa.select(sa.func.count(House.id))) == 1

    # volunteer B's sync feed never carries volunteer A's house
    feed = client.get("/api/v1/sync", headers=world["b"]).get_json()
    assert feed["houses"] == [] and all(e["house_id"] != house.uuid for e in feed["events"])


def test_same_household_applies_the_survey_on_approval(client, world):
    first = send(client, world, "a", 1, head_cccd="049201000222", gps="15.40 108.60 0 5")
    review(client, world, first["instance_id"], action="approve")
    second = send(client, world, "b", 1, head_cccd="049201000222", head_name="Tên Đã Sửa",
                  gps="15.41 108.61 0 5")
    r = review(client, world, second["instance_id"], action="approve")
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "needs_override"
    assert "duplicate" in r.get_json()["error"]["message"]
    r = review(client, world, second["instance_id"], action="approve", duplicate="same")
    assert r.status_code == 200, r.get_json()
    house = db.session.scalar(sa.select(House))
    assert (house.head_name, house.lat, house.lon) == ("Tên Đã Sửa", 15.41, 108.61)
    assert sub_of(second["instance_id"]).house_id == house.id
    assert db.session.scalar(sa.select(sa.func.count(House.id))) == 1


def test_different_household_makes_a_new_house_on_approval(client, world):
    first = send(client, world, "a", 1, head_name="Lê Thị Hoa", head_birth_year=1960, head_cccd="049201000333")
    second = send(client, world, "b", 2, head_name="  lê thị  HOA ", head_birth_year=1960,
                  head_cccd="049201000334")
    dup = sub_of(second["instance_id"])
    assert dup.duplicate_of_house_id == sub_of(first["instance_id"]).house_id  # name + birth year, same commune
    r = review(client, world, second["instance_id"], action="approve", duplicate="different")
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["duplicate_state"] == "different"
    assert db.session.scalar(sa.select(sa.func.count(House.id))) == 2


def test_approving_a_not_eligible_survey_needs_an_override_with_a_reason(client, world, caplog):
    sent = send(client, world, "a", 1, eligible=False)
    r = review(client, world, sent["instance_id"], action="approve")
    assert r.status_code == 409
    err = r.get_json()["error"]
    assert err["code"] == "needs_override" and "not eligible" in err["message"]
    assert sub_of(sent["instance_id"]).review_status == "received"
    r = review(client, world, sent["instance_id"], action="approve", override=True)
    assert r.status_code == 422 and r.get_json()["error"]["code"] == "override_reason_required"
    with caplog.at_level(logging.INFO, logger="maiam.audit"):
        r = review(client, world, sent["instance_id"], action="approve", override=True,
                   comment="Hộ neo đơn, UBND xã xác nhận")
    assert r.status_code == 200, r.get_json()
    assert any("review override" in m and "not_eligible" in m for m in caplog.messages)
    reasons = db.session.scalars(sa.select(HouseEvent.reason).where(HouseEvent.kind == "review_approve")).all()
    assert any("Duyệt vượt cảnh báo" in (x or "") and "UBND xã xác nhận" in x for x in reasons)


def test_bulk_approve_leaves_flagged_surveys_and_counts_them(client, world):
    good = send(client, world, "a", 1)
    bad = send(client, world, "a", 1, eligible=False)
    r = client.post("/api/v1/review/bulk", json={"instance_ids": [good["instance_id"], bad["instance_id"]]},
                    headers=world["reviewer"])
    assert r.status_code == 200, r.get_json()
    assert r.get_json() == {"approved": 1, "skipped": 1, "skipped_ids": [bad["instance_id"]]}
    assert sub_of(good["instance_id"]).review_status == "approved"
    assert sub_of(bad["instance_id"]).review_status == "received"
