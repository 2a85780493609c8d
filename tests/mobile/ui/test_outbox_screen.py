"""The outbox through the real widgets while a survey with three photos goes up a slow link (a
throttling proxy on loopback in front of the live server): «Gửi ngay», then the card shows the
bytes sent of the total on a progress bar and the time left, until «Đã gửi»."""

from urllib.parse import urlparse

import pytest

from forms.compile import compile_file, media_files
from mobile.core.example import fill_survey
from mobile.core.outbox import Outbox
from mobile.core.store import SERVER_URL, TOKEN, USERNAME, Store
from tests.conftest import PHOTOS
from tests.mobile.throttle import ThrottlingProxy
from tests.mobile.ui.test_survey_flow import LIBRARY_FORM

pytestmark = pytest.mark.ui


def test_the_outbox_shows_progress_during_a_throttled_upload(run_driver, live_server, tmp_path):
    target = urlparse(live_server.url)
    proxy = ThrottlingProxy(target.hostname, target.port, bits_per_second=1_000_000)
    try:
        store = Store(tmp_path / "phone")
        store.save_form(compile_file(LIBRARY_FORM), "local", media=media_files(LIBRARY_FORM))
        store.set_setting(SERVER_URL, proxy.url)
        store.set_setting(USERNAME, "volunteer")
        store.set_setting(TOKEN, live_server.token("volunteer"))
        photos = [PHOTOS / n for n in ("DSCN0010.jpg", "DSCN0021.jpg", "DSCN0040.jpg")]
        item = fill_survey(store, Outbox(store), "house_assessment", seed=5, photo_files=photos)
        photo_bytes = sum(a.size for a in Outbox(store).attachments(item.instance_id))
        store.close()
        r = run_driver("outbox_progress", tmp_path / "phone", {"timeout": 120}, timeout=300)
    finally:
        proxy.close()
    assert r["before"] == "Chờ gửi" and r["send_now"] == ["Gửi ngay", False]
    moving = [s for s in r["samples"] if s["bar"] is not None and 0 < s["bar"] < 1]
    assert len(moving) >= 3, r["samples"]
    bars = [s["bar"] for s in moving]
    assert bars == sorted(bars) and bars[-1] > bars[0]  # the bar only moves forward
    assert all(s["bytes"].startswith("Đã gửi ") and " / " in s["bytes"] for s in moving)
    assert any("Còn khoảng" in s["bytes"] for s in moving)  # the time left, from the measured rate
    assert r["after"] == "Đã gửi"
    assert proxy.forwarded_up > photo_bytes > 200_000  # the photos really went through the slow link
