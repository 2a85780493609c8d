"""Answers read through the model: image answers, values at a field path, the envelope builder."""

from forms.definition import load
from forms.envelope import envelope_hash, make_envelope
from forms.model import set_value_at, value_at
from tests.forms.engine_helpers import definition, group, q, repeat


def _form():
    return load(definition(
        q("front", "image"),
        group("g", [q("roof", "image")]),
        repeat("rooms", [q("room_photo", "image"), repeat("walls", [q("wall_photo", "image")])]),
        q("head"),
    ))


ANSWERS = {
    "front": "a.jpg", "roof": "", "head": "x.jpg",
    "rooms": [{"room_photo": "b.jpg"}, {"room_photo": "a.jpg", "walls": [{"wall_photo": "c.jpg"}]}],
}


def test_image_answers_walk_groups_and_repeats_by_path():
    form = _form()
    assert form.image_answers(ANSWERS) == [
        ("front", "a.jpg"), ("rooms[1]/room_photo", "b.jpg"), ("rooms[2]/room_photo", "a.jpg"),
        ("rooms[2]/walls[1]/wall_photo", "c.jpg"),
    ]
    assert form.image_files(ANSWERS) == ["a.jpg", "b.jpg", "c.jpg"]  # each file once
    assert form.node_at("rooms[2]/walls[1]/wall_photo").name == "wall_photo"
    assert form.image_answers("not answers") == []


def test_value_at_and_set_value_at():
    answers = {"a": 1, "rep": [{"x": "one"}, {"x": "two", "inner": [{"y": 3}]}]}
    assert value_at(answers, "a") == 1
    assert value_at(answers, "rep[2]/x") == "two"
    assert value_at(answers, "rep[2]/inner[1]/y") == 3
    assert value_at(answers, "rep[5]/x") is None
    set_value_at(answers, "rep[2]/inner[1]/y", 4)
    set_value_at(answers, "rep[1]/x", None)
    assert answers == {"a": 1, "rep": [{}, {"x": "two", "inner": [{"y": 4}]}]}


def test_make_envelope_keeps_the_phone_fields_and_order():
    form = _form()
    atts = [{"name": "b.jpg", "sha256": "B", "size": 2}, {"name": "a.jpg", "sha256": "A", "size": 1}]
    env = make_envelope(form, "iid", {"head": "x"}, atts, "2026-11-28T07:00:00+07:00", house_id="H1",
                        form_version="0")
    assert env == {"instance_id": "iid", "form_id": "t", "form_version": "0", "house_id": "H1",
                   "created_at": "2026-11-28T07:00:00+07:00", "answers": {"head": "x"}, "attachments": atts}
    assert "house_id" not in make_envelope(form, "iid", {}, [], "x")
    assert make_envelope(form, "iid", {}, [], "x")["form_version"] == "1"
    # the identity does not depend on the order of the attachments
    assert envelope_hash(env) == envelope_hash(dict(env, attachments=list(reversed(atts))))
