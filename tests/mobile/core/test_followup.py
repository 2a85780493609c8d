"""Follow-up visits from a house: the progress form found by its roles, the house's facts filled in and
read-only, the next stage pre-selected; the home screen's houses by stage, with what a tap offers."""

from pathlib import Path

import pytest

from forms.compile import compile_file, media_files
from mobile.core import followup
from mobile.core.presenters.form import FormPresenter
from mobile.core.presenters.home import HomePresenter

LIBRARY = Path(__file__).resolve().parents[3] / "forms" / "library"
UNITS = ["49", "517", "20968", "2096801"]  # province, district, commune, village (what the feed sends)


@pytest.fixture(scope="module")
def definitions():
    return {name: compile_file(LIBRARY / f"{name}.xlsx") for name in ("house_assessment", "construction_progress")}


@pytest.fixture
def phone(store, definitions):
    for definition in definitions.values():
        store.save_form(definition, "h-" + definition["form_id"],  # with its media (villages.csv), as synced
                        media=media_files(LIBRARY / f"{definition['form_id']}.xlsx"))
    with store.tx() as c:
        for house_id, name, status in (("H-1", "Trần Thị Lý", "approved"), ("H-2", "Phạm Văn Đức", "started"),
                                       ("H-3", "Lê Văn Tám", "assessed"), ("H-4", "Võ Thị Năm", "completed")):
            store.upsert_house(c, {"house_id": house_id, "head_name": name, "status": status, "units": UNITS,
                                   "org_unit": UNITS[-1], "follow_up": status in ("approved", "started", "completed")})
    return store


def test_the_progress_form_is_the_one_with_house_and_stage_roles(phone):
    assert followup.progress_form_id(phone) == "construction_progress"


@pytest.mark.parametrize(("status", "stage"), [("approved", "started"), ("started", "stage_checked"),
                                               ("completed", "handed_over")])
def test_a_follow_up_has_the_house_facts_and_the_next_stage(phone, status, stage):
    house = {"H-1": "approved", "H-2": "started", "H-4": "completed"}
    house_id = next(h for h, s in house.items() if s == status)
    draft = phone.get_draft(followup.new_follow_up(phone, house_id))
    assert draft.form_id == "construction_progress" and draft.house_id == house_id
    assert draft.answers["house_id"] == house_id
    assert draft.answers["commune_code"] == "20968"  # the village's code is not a 5-digit commune code
    assert draft.answers["stage"] == stage


def test_the_house_facts_are_read_only_in_the_form(phone):
    presenter = FormPresenter(phone, followup.new_follow_up(phone, "H-2"), lang="vi")
    assert presenter.locked == {"house_id", "commune_code"}
    assert presenter.view("house_id").read_only and presenter.view("commune_code").read_only
    assert not presenter.view("stage").read_only and presenter.view("stage").value == "stage_checked"
    presenter.answer("house_id", "H-999")
    assert presenter.session.get("house_id") == "H-2"
    assert presenter.house_note() == "Nhà: Phạm Văn Đức · Đã khởi công"


def test_an_assessment_reopened_for_changes_keeps_its_commune_editable(phone, definitions):
    draft_id = phone.create_draft("house_assessment", "1", house_id="H-3", answers={"commune_code": "20968"},
                                  reviewer_comment="Chụp lại ảnh mái")
    presenter = FormPresenter(phone, draft_id, lang="vi")
    assert presenter.locked == set()  # no house_ref role: the survey is the house's, not a follow-up
    assert presenter.reviewer_note() == "Người duyệt yêu cầu sửa: Chụp lại ảnh mái"


def test_home_lists_houses_by_stage_and_a_tap_offers_what_fits(phone):
    draft_id = phone.create_draft("house_assessment", "1", house_id="H-3", answers={},
                                  reviewer_comment="Chụp lại ảnh mái")
    home = HomePresenter(phone)
    view = home.view()
    assert [f.text for f in view.house_filters] == ["Tất cả (4)", "Chờ duyệt (1)", "Đã duyệt (1)",
                                                    "Đã khởi công (1)", "Đã hoàn thành (1)"]
    assert [h.title for h in view.houses] == ["Lê Văn Tám", "Phạm Văn Đức", "Trần Thị Lý", "Võ Thị Năm"]
    offers = {h.title: [(a.key, a.text, a.draft_id) for a in h.actions] for h in view.houses}
    assert offers["Trần Thị Lý"] == [("follow_up", "Báo cáo tiến độ", None)]
    assert offers["Lê Văn Tám"] == [("draft", "Sửa phiếu", draft_id)]
    assert next(h for h in view.houses if h.title == "Lê Văn Tám").comment == "Ý kiến người duyệt: Chụp lại ảnh mái"
    home.house_list.choose_stage("started")
    assert [h.title for h in home.view().houses] == ["Phạm Văn Đức"]
    home.house_list.tap("H-2")
    assert home.view().houses[0].selected
    follow = phone.get_draft(home.follow_up("H-2"))
    assert "Phạm Văn Đức" in next(d.text for d in home.view().drafts if d.draft_id == follow.id)
