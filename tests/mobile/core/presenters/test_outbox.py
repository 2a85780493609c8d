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
    assert entry.state == "Đang chờ có mạng" and not entry.failed  # no network is not a failure
    assert "Không kết nối được máy chủ" in entry.detail
    assert OutboxPresenter(store, "en").view().items[0].state == "Waiting for the network"


def test_bytes_sent_of_total_a_bar_and_the_time_left_from_the_measured_rate(store, outbox, clock):
    store.save_form(SMALL, "h")
    item = fill_survey(store, outbox, "small", seed=2, photo_files=[PHOTOS / "DSCN0021.jpg"])
    [photo] = outbox.attachments(item.instance_id)
    outbox.move(item.instance_id, "sending")
    outbox.move(item.instance_id, "waiting_photos", server_status="received")
    presenter = OutboxPresenter(store, clock=clock)
    [entry] = presenter.view().items
    assert entry.state == "Đang gửi ảnh (0/1)" and 0 < entry.progress < 0.1  # the envelope's bytes are sent
    assert entry.bytes_text.startswith("Đã gửi 1 KB / ") and entry.eta == ""  # no rate measured yet
    outbox.set_attachment(item.instance_id, photo.name, uploaded_bytes=photo.size // 2)
    clock.advance(10)
    [entry] = presenter.view().items
    assert 0.45 < entry.progress < 0.55
    rate = (photo.size // 2) / 10
    left = round((photo.size - photo.size // 2) / rate)
    assert entry.eta == f"Còn khoảng {left} giây"


def test_sent_returned_and_send_now(store, outbox):
    store.save_form(SMALL, "h")
    first = fill_survey(store, outbox, "small", seed=2)
    second = fill_survey(store, outbox, "small", seed=3)
    outbox.move(first.instance_id, "sending")
    outbox.move(first.instance_id, "sent", server_status="received")
    store.query("UPDATE outbox SET server_status = 'changes_requested' WHERE instance_id = ?", (first.instance_id,))
    outbox.move(second.instance_id, "sending")
    outbox.retry_later(second.instance_id, "network")
    presenter = OutboxPresenter(store)
    view = presenter.view()
    assert [e.state for e in view.items] == ["Người duyệt trả lại để sửa", "Đang chờ có mạng"]
    assert view.send_now == "Gửi ngay" and view.can_send_now
    assert outbox.get(second.instance_id).next_attempt_at > 0
    assert presenter.send_now() == 1
    assert [i.instance_id for i in outbox.due()] == [second.instance_id]
