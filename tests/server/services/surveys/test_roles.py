"""The server reads what a question IS from the role its form declares, never from its name: a copy of
the library assessment whose every question is renamed gives the same house facts, flags and funding;
a form without roles still ingests (it just lacks those features)."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from forms.compile.library import house_assessment, write_workbook
from forms.example import generate
from server.extensions import db
from server.models import House, Submission
from server.models.funding import HouseFunding
from server.services.programme import forms as forms_service
from server.services.surveys import review, review_queue
from tests.server.world import LIBRARY, envelope, publish

PRESET = {"commune_code": "20968", "village": "2096802"}
_REF = re.compile(r"\$\{(\w+)\}")


class _Renamed:
    """house_assessment with every name prefixed by `q_` (references rewritten): same roles."""

    SETTINGS = {**house_assessment.SETTINGS,
                "instance_name": _REF.sub(r"${q_\1}", house_assessment.SETTINGS["instance_name"])}
    SURVEY = [{k: (_REF.sub(r"${q_\1}", v) if isinstance(v, str) else v) for k, v in row.items()}
              | ({"name": "q_" + row["name"]} if row.get("name") else {}) for row in house_assessment.SURVEY]
    CHOICES = house_assessment.CHOICES


def _renamed(answers):
    if isinstance(answers, list):
        return [_renamed(a) for a in answers]
    if isinstance(answers, dict):
        return {"q_" + k: _renamed(v) for k, v in answers.items()}
    return answers


def _eligible_envelope(form_row):
    form = forms_service.engine_form(form_row)
    seed = next(s for s in range(1, 200) if generate(form, seed=s, preset=PRESET).get("eligible") == "yes")
    return envelope(form_row, seed=seed, preset=PRESET)[0]


@pytest.fixture
def people(make_user, auth_header):
    make_user("volunteer", "volunteer", "20968")
    return {"volunteer": auth_header("volunteer"), "reviewer": make_user("reviewer", "reviewer", "517")}


@pytest.mark.parametrize("variant", ["library", "renamed"])
def test_renamed_questions_with_the_same_roles_give_the_same_house_and_funding(client, people, tmp_path, variant):
    library = publish()
    env = _eligible_envelope(library)
    a = env["answers"]
    if variant == "renamed":
        path = tmp_path / "house_assessment.xlsx"
        write_workbook(_Renamed, path)
        row, _ = forms_service.publish_file(db.session, path, media=[LIBRARY / "house_assessment-media" / "villages.csv"])
        db.session.commit()
        assert "head_name" not in {n.name for n in forms_service.engine_form(row).walk()}
        env = dict(env, form_version=row.version, answers=_renamed(a))
    r = client.post("/api/v1/submissions", json=env, headers=people["volunteer"])
    assert r.status_code == 201, r.get_json()

    house = db.session.scalar(sa.select(House))
    lat, lon, _alt, acc = (float(x) for x in a["gps"].split())
    assert (house.head_name, house.id_number, house.village, house.lat, house.lon, house.accuracy) == (
        a["head_name"], a["head_cccd"], "2096802", lat, lon, acc)
    assert (house.support_kind, house.beneficiary_group) == (a["recommendation"], a["beneficiary_group"])
    assert house.org_unit_id == db.session.scalar(sa.text("SELECT id FROM org_units WHERE code = '2096802'"))

    sub = db.session.scalar(sa.select(Submission))
    item = review_queue.item_of(db.session, sub, "vi")
    assert item["household"] == a["head_name"]
    assert "no_gps" not in item["flags"] and "outside_commune" not in item["flags"]
    assert ("eligibility" in item["flags"]) == (a["helped_before"] == "yes" or a["land_ok"] == "no")

    review.decide(db.session, people["reviewer"], sub.instance_id, "approve")
    db.session.commit()
    planned = {f.source: (f.planned, f.workdays) for f in db.session.scalars(sa.select(HouseFunding))}
    requested = {"central_budget": a["req_central_budget"], "provincial_budget": a["req_provincial_budget"],
                 "local_budget": a["req_local_budget"], "fund_for_the_poor": a["req_fund_for_the_poor"],
                 "gratitude_fund": a["req_gratitude_fund"], "sponsor": a["req_sponsor"],
                 "veterans_association": a["req_veterans_association"], "household": a["household_contribution"],
                 "loan": a["loan_amount"]}
    expected = {src: (amount, a["pledged_workdays"] if src == "household" else 0)
                for src, amount in requested.items() if amount}
    if not any(src not in ("household", "loan") for src in expected):  # nothing requested: the rule amount
        expected = {"provincial_budget": (planned["provincial_budget"][0], 0), **expected}
    if a["pledged_workdays"] and "household" not in expected:
        expected["household"] = (0, a["pledged_workdays"])
    assert planned == expected and planned


def test_the_names_alone_mean_nothing_and_a_form_without_roles_still_ingests(client, people):
    """A form whose questions carry the library's names but declare no role: accepted, and the server
    reads no GPS, commune or household name from it."""
    definition = {"schema_version": 1, "form_id": "plain_visit", "version": "1", "title": {"vi": "Thăm hộ"},
                  "questions": [{"name": "head_name", "type": "text"}, {"name": "gps", "type": "geopoint"},
                                {"name": "commune_code", "type": "text"}], "choices": {}}
    row, _ = forms_service.publish_definition(db.session, definition)
    db.session.commit()
    env = {"instance_id": "6f1c1d38-2f5e-4c55-9b5c-0a4f4a0e9d11", "form_id": "plain_visit", "form_version": "1",
           "answers": {"head_name": "Lê Văn C", "gps": "15.5 108.4 0 5", "commune_code": "99999"},
           "attachments": [], "created_at": "2026-11-28T08:00:00+07:00"}
    r = client.post("/api/v1/submissions", json=env, headers=people["volunteer"])
    assert r.status_code == 201, r.get_json()  # commune 99999 would be refused if it were read
    sub = db.session.scalar(sa.select(Submission))
    assert (sub.lat, sub.lon) == (None, None)
    item = review_queue.item_of(db.session, sub, "vi")
    assert item["household"] != "Lê Văn C" and "no_gps" in item["flags"]
