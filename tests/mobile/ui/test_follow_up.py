"""A follow-up visit from a house through the real widgets: the first sync lists my houses, a house
being built offers «Báo cáo tiến độ», the progress report opens with the house's facts filled in and
read-only and the next stage chosen, and reaches the live server as a report OF that house."""

import sqlite3

import pytest

from tests.conftest import PHOTOS

pytestmark = pytest.mark.ui


def test_a_progress_report_started_from_an_approved_house_reaches_the_server(run_driver, live_server, tmp_path):
    r = run_driver("follow_up", tmp_path / "phone", {
        "server": live_server.url, "photos": [str(PHOTOS / "DSCN0010.jpg"), str(PHOTOS / "DSCN0040.jpg")]},
        timeout=300)
    assert r["hello"] == "Xin chào, Nguyễn Văn Cựu"  # the full name the server sent at sign-in
    assert "stage:approved" in r["filters"] and "stage:started" in r["filters"]
    assert f"follow_up:{r['house_id']}" in r["offers"]
    assert r["prefilled"] == {"house_id": r["house_id"], "commune_code": "20968", "stage": "started"}
    assert {"house_id", "commune_code"} <= set(r["read_only"])
    assert r["house_note"].startswith("Nhà: ") and r["house_note"].endswith("Đã duyệt")
    assert r["screen_after_finish"] == "home"
    assert r["sent"]["state"] == "sent" and r["sent"]["house_id"] == r["house_id"]
    assert r["sent"]["form_id"] == "construction_progress"
    with sqlite3.connect(live_server.database_url.removeprefix("sqlite:///")) as db:
        row = db.execute("SELECT h.uuid, s.form_id FROM submissions s JOIN houses h ON h.id = s.house_id "
                         "WHERE s.instance_id = ?", (r["sent"]["instance_id"],)).fetchone()
    assert row == (r["house_id"], "construction_progress")
