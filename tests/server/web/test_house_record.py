"""The household record to print (/houses/<id>/record): the household, the answers of its assessment under
their labels, the photos (a placeholder for one not sent), a small map, the history with who / when / why in
Vietnam time, and the signature lines of the commune and the association; scoped like the house page."""

import datetime as dt
import hashlib
import re

from server.extensions import db
from server.models import Attachment, HouseEvent
from server.services.files.storage import Storage
from tests.server.world import (
    UNITS,
    jpeg,
    make_form,
    make_house,
    make_submission,
    make_units,
    make_user,
    sign_in,
)


def _world(app):
    make_units(UNITS)
    make_form()
    vol = make_user("volunteer", "volunteer", "20968")
    make_user("reviewer", "reviewer", "517")
    make_user("other", "reviewer", "502")
    house = make_house("2096802", name="Phạm Thị Dung", lat=15.4512, lon=108.6231)
    house.id_number, house.birth_year, house.accuracy = "049123456789", 1950, 8.0
    sub = make_submission(vol, house, {"commune_code": "20968", "house_photo": "front.jpg",
                                       "support_type": "repair"})
    sub.review_status, sub.reviewed_at = "approved", dt.datetime(2026, 11, 2, 3, 0, tzinfo=dt.UTC)
    data = jpeg(3)
    Storage(app.config["MEDIA_ROOT"]).put_bytes(hashlib.sha256(data).hexdigest(), data)
    db.session.add(Attachment(submission_id=sub.id, name="front.jpg", sha256=hashlib.sha256(data).hexdigest(),
                              size=len(data), content_type="image/jpeg", received=True))
    db.session.add(HouseEvent(house_id=house.id, kind="status", from_status="assessed", to_status="approved",
                              actor_id=vol.id, reason="Đủ điều kiện theo QĐ 55",
                              created_at=dt.datetime(2026, 11, 2, 20, 15, tzinfo=dt.UTC)))
    db.session.commit()
    return house, sub


def test_the_record_holds_everything_the_dossier_needs(app):
    house, sub = _world(app)
    c = sign_in(app.test_client(), "reviewer")
    r = c.get(f"/houses/{house.id}/record")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert 'class="paper record-sheet"' in html and "data-print" in html
    assert "Phạm Thị Dung" in html and "049123456789" in html and "1950" in html
    assert "<td>Thôn 2</td>" in html and "<td>Xã Tam Xuân I</td>" in html
    assert "<tr><th>Hình thức hỗ trợ</th><td>Sửa chữa</td></tr>" in html  # answers under labels, choices in words
    assert "Xã Tam Xuân I (20968)" in html  # the commune's name for its code
    assert f"/photos/{sub.instance_id}/front.jpg?thumb=1" in html and "<figcaption>Ảnh nhà</figcaption>" in html
    assert "<svg" in html and "15.451200, 108.623100" in html  # the small map
    assert "03/11/2026 03:15</td><td>Volunteer</td>" in html and "Đủ điều kiện theo QĐ 55" in html  # when (Vietnam), who, why
    assert "XÁC NHẬN CỦA UBND XÃ" in html and "XÁC NHẬN CỦA HỘI CỰU CHIẾN BINH" in html
    assert f'href="/houses/{house.id}/record"' in c.get(f"/houses/{house.id}").get_data(as_text=True)


def test_a_photo_not_received_is_a_placeholder_on_the_record(app):
    house, sub = _world(app)
    db.session.query(Attachment).update({"received": False})
    db.session.commit()
    html = sign_in(app.test_client(), "reviewer").get(f"/houses/{house.id}/record").get_data(as_text=True)
    assert 'class="thumb missing"' in html and "front.jpg?thumb" not in html


def test_the_record_is_scoped_like_the_house(app):
    house, _ = _world(app)
    assert sign_in(app.test_client(), "other").get(f"/houses/{house.id}/record").status_code == 404
    assert sign_in(app.test_client(), "volunteer").get(f"/houses/{house.id}/record").status_code == 200
    bare = make_house("20971", name="Chưa khảo sát", lat=None, lon=None)
    db.session.commit()
    html = sign_in(app.test_client(), "reviewer").get(f"/houses/{bare.id}/record").get_data(as_text=True)
    assert "Chưa có phiếu khảo sát nào của hộ này." in html and "Không có toạ độ GPS." in html
    assert not re.search(r"<svg[^>]*role=\"img\"", html)
