"""Ingest tells the log what happened to each envelope: taken, duplicate, refused with its code;
ids and codes only, never an answer."""

import copy
import logging

import pytest

from tests.server.world import envelope, publish

LOGGER = "server.services.surveys.ingest"


@pytest.fixture
def volunteer(make_user, auth_header):
    make_user("volunteer", "volunteer", "20968")
    return auth_header("volunteer")


def _lines(caplog):
    return [r.getMessage() for r in caplog.records if r.name == LOGGER and r.levelno == logging.INFO]


def test_taken_duplicate_and_refused_are_one_line_each_without_answers(client, volunteer, caplog):
    form_row = publish()
    env, _ = envelope(form_row)
    caplog.set_level(logging.INFO, logger=LOGGER)
    iid = env["instance_id"]
    assert client.post("/api/v1/submissions", json=env, headers=volunteer).status_code == 201
    assert client.post("/api/v1/submissions", json=env, headers=volunteer).status_code == 200
    changed = copy.deepcopy(env)
    changed["answers"]["head_name"] = "Người Khác"
    assert client.post("/api/v1/submissions", json=changed, headers=volunteer).status_code == 409
    invalid, _ = envelope(form_row, seed=5)
    invalid["answers"]["household_size"] = "many"
    assert client.post("/api/v1/submissions", json=invalid, headers=volunteer).status_code == 422

    lines = _lines(caplog)
    assert len(lines) == 4, lines
    taken, duplicate, conflict, refused = lines
    assert taken.startswith("submission taken:") and iid in taken and "by=volunteer" in taken
    assert duplicate.startswith("submission duplicate:") and iid in duplicate
    assert conflict.startswith("submission refused:") and iid in conflict and "code=conflict" in conflict
    assert refused.startswith("submission refused:") and invalid["instance_id"] in refused
    assert "code=invalid_answers" in refused
    text = "\n".join(lines)
    for value in (env["answers"]["head_name"], "Người Khác", env["answers"]["head_cccd"], "many"):
        assert str(value) not in text
