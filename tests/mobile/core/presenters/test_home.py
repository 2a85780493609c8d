"""Home: forms kept for offline use, drafts, my houses with the server's status, counts, sync progress."""

from mobile.core.presenters.home import HomePresenter
from mobile.core.store import LAST_SYNC_AT, USER, USERNAME
from mobile.core.sync_results import SyncEvent

DEFINITION = {
    "schema_version": 1,
    "form_id": "house_assessment",
    "version": "2026112801",
    "title": {"vi": "Khảo sát nhà tạm", "en": "House assessment"},
    "questions": [],
}


def test_empty_home_says_what_to_do(store):
    view = HomePresenter(store).view()
    assert view.forms == []
    assert "Đồng bộ" in view.no_forms
    assert view.counts == [("Đang làm", 0), ("Chờ gửi", 0), ("Đã gửi", 0)]
    assert view.sync == "Đồng bộ"
    assert view.sync_status == "Chưa đồng bộ lần nào"
    assert view.no_houses


def test_the_greeting_uses_the_full_name_the_server_sent_at_sign_in(store):
    store.set_setting(USERNAME, "volunteer")
    assert HomePresenter(store).view().hello == "Xin chào, volunteer"  # an older sign-in without a name
    store.set_setting(USER, {"username": "volunteer", "full_name": "Nguyễn Văn Cựu", "role": "volunteer"})
    assert HomePresenter(store).view().hello == "Xin chào, Nguyễn Văn Cựu"


def test_forms_drafts_and_houses(store):
    store.set_setting(USERNAME, "volunteer")
    store.save_form(DEFINITION, "h1")
    p = HomePresenter(store)
    draft_id = p.new_draft("house_assessment")
    store.save_answers(draft_id, {"head_name": "Nguyễn Văn Ba"})
    with store.tx() as c:
        store.upsert_house(
            c,
            {
                "house_id": "H1",
                "head_name": "Trần Thị Bốn",
                "status": "changes_requested",
                "comment": "Thiếu ảnh mái nhà",
            },
        )
        store.upsert_house(c, {"house_id": "H2", "head_name": "Lê Văn Năm", "status": "approved"})
    view = p.view()
    assert view.hello == "Xin chào, volunteer"
    assert [f.text for f in view.forms] == ["Khảo sát mới: Khảo sát nhà tạm"]
    assert view.drafts[0].draft_id == draft_id and "Nguyễn Văn Ba" in view.drafts[0].text
    assert ("Đang làm", 1) in view.counts
    houses = {h.title: h for h in view.houses}
    assert houses["Trần Thị Bốn"].status == "Cần sửa"
    assert houses["Trần Thị Bốn"].attention
    assert houses["Trần Thị Bốn"].comment == "Ý kiến người duyệt: Thiếu ảnh mái nhà"
    assert houses["Lê Văn Năm"].status == "Đã duyệt" and not houses["Lê Văn Năm"].attention
    p.lang = "en"
    assert p.view().forms[0].text == "New survey: House assessment"


def test_sync_progress_follows_the_events(store):
    p = HomePresenter(store)
    p.on_sync_event(SyncEvent("started", message="Đang đồng bộ…"))
    assert p.view().syncing and p.view().sync == "Đang đồng bộ…"
    p.on_sync_event(SyncEvent("item", done=1, total=4))
    assert p.view().progress == 0.25
    store.set_setting(LAST_SYNC_AT, "2026-11-28T09:15:00+07:00")
    p.on_sync_event(SyncEvent("finished", message="Đồng bộ xong lúc 09:15 28/11/2026"))
    view = p.view()
    assert not view.syncing and view.progress == 1.0
    assert view.sync_status == "Đồng bộ xong lúc 09:15 28/11/2026"
    p.sync_message = ""
    assert p.view().sync_status == "Đồng bộ lần cuối: 09:15 28/11/2026"
