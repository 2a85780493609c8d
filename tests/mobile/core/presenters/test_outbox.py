"""The outbox screen's words: each finished survey, its state and why it failed, in plain Vietnamese."""

from mobile.core.example import fill_survey
from mobile.core.outbox import Outbox
from mobile.core.presenters.outbox import OutboxPresenter
from tests.conftest import PHOTOS
from tests.mobile.core.presenters.small_form import SMALL


def test_empty_outbox(store):
    view = OutboxPresenter(store).view()
    assert view.items == [] and view.empty == "Không có phiếu nào chờ gửi."


def test_items_show_state_photos_and_errors(store, outbox):
    store.save_form(SMALL, "h")
    item = fill_survey(store, outbox, "small", seed=2, photo_files=[PHOTOS / "DSCN0021.jpg"])
    view = OutboxPresenter(store).view()
    [entry] = view.items
    assert entry.state == "Chờ gửi"
    assert "Phiếu nhỏ" in entry.title
    assert entry.detail == "0/1 ảnh đã gửi"
    Outbox(store).move(item.instance_id, "sending")
    Outbox(store).retry_later(item.instance_id, "network")
    [entry] = OutboxPresenter(store).view().items
    assert entry.failed
    assert "Không kết nối được máy chủ" in entry.detail
    assert OutboxPresenter(store, "en").view().items[0].state == "Waiting to send"
