"""Finishing a draft: the form engine judges the answers, the envelope lists the photos with their
sha256 and size, and the draft becomes one outbox item in one step (twice = still one item)."""

from __future__ import annotations

import pytest

from mobile.core.outbox import FinishError
from mobile.core.photos import prepare_photo
from tests.conftest import PHOTOS

DEFINITION = {
    "schema_version": 1,
    "form_id": "mini_house",
    "version": "2026112801",
    "title": {"vi": "Nhà (thử)", "en": "House (test)"},
    "default_language": "vi",
    "languages": ["vi", "en"],
    "questions": [
        {
            "name": "head_name",
            "type": "text",
            "path": "/head_name",
            "row": 2,
            "label": {"vi": "Chủ hộ"},
            "required": True,
        },
        {
            "name": "members",
            "type": "integer",
            "path": "/members",
            "row": 3,
            "label": {"vi": "Số người"},
            "constraint": ". >= 1 and . <= 30",
        },
        {
            "name": "front_photo",
            "type": "image",
            "path": "/front_photo",
            "row": 4,
            "label": {"vi": "Ảnh nhà"},
            "required": True,
        },
        {
            "name": "rooms",
            "type": "repeat",
            "path": "/rooms",
            "row": 5,
            "label": {"vi": "Phòng"},
            "children": [
                {
                    "name": "room_photo",
                    "type": "image",
                    "path": "/rooms/room_photo",
                    "row": 6,
                    "label": {"vi": "Ảnh"},
                },
            ],
        },
    ],
    "choices": {},
}


@pytest.fixture
def form(store):
    store.save_form(DEFINITION, "hash-1")
    return DEFINITION


def test_finish_validates_and_lists_each_photo_once(store, outbox, form):
    front = prepare_photo(PHOTOS / "DSCN0010.jpg", store.photo_dir)
    room = prepare_photo(PHOTOS / "portrait_6.jpg", store.photo_dir)
    answers = {
        "head_name": "Nguyễn Văn An",
        "members": "4",
        "front_photo": store.add_photo(front),
        "rooms": [{"room_photo": store.add_photo(room)}, {"room_photo": front.name}],
    }
    draft_id = store.create_draft("mini_house", "2026112801", house_id="H1", answers=answers)
    item = outbox.finish(draft_id)
    env = item.envelope
    assert env["instance_id"] == store.get_draft(draft_id).instance_id
    assert (env["form_id"], env["form_version"], env["house_id"]) == ("mini_house", "2026112801", "H1")
    assert env["answers"]["members"] == 4  # normalised by the engine
    assert env["attachments"] == [
        {"name": front.name, "sha256": front.sha256, "size": front.size, "content_type": "image/jpeg"},
        {"name": room.name, "sha256": room.sha256, "size": room.size, "content_type": "image/jpeg"},
    ]
    from forms.envelope import envelope_hash

    assert item.envelope_hash == envelope_hash(env)
    assert outbox.finish(draft_id).instance_id == item.instance_id  # a double tap: still one item
    assert len(outbox.items()) == 1 and store.list_drafts() == []


def test_invalid_answers_stay_a_draft_with_the_engines_messages(store, outbox, form):
    draft_id = store.create_draft("mini_house", "2026112801", answers={"members": 99})
    with pytest.raises(FinishError) as err:
        outbox.finish(draft_id, lang="vi")
    fields = {i.field for i in err.value.issues}
    assert {"head_name", "members", "front_photo"} <= fields
    draft = store.get_draft(draft_id)
    assert draft.status == "editing" and {e["field"] for e in draft.errors} == fields
    assert outbox.items() == []


def test_an_image_answer_without_its_file_is_refused(store, outbox, form):
    draft_id = store.create_draft("mini_house", "1", answers={"head_name": "A", "front_photo": "gone.jpg"})
    with pytest.raises(FinishError) as err:
        outbox.finish(draft_id)
    assert err.value.code == "photo_missing" and store.get_draft(draft_id).errors[0]["field"] == "front_photo"
