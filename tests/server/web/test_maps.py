"""Maps (issue 13, item 1): every house of a view (points, or the server's clusters above the limit, whose
counts add up to every house), the review page's photo positions and neighbours, unit boundaries loaded
from GeoJSON, and the CSP that lets in the configured tile host only."""

from __future__ import annotations

import hashlib
import io
import json
import uuid

import pytest
import sqlalchemy as sa

from forms.envelope import make_envelope
from forms.example import generate
from server import create_app
from server.extensions import db
from server.models import UnitBoundary
from server.security import csp, tile_origin
from server.services.files import photo_facts
from server.services.houses import map as map_service
from server.services.programme import forms as forms_service
from tests.conftest import PHOTOS
from tests.server.world import make_house, publish, sign_in, token_of, unit

GLOBE = "-90,-180,90,180"


@pytest.fixture
def houses(app, make_user):
    make_user("manager", "manager", "49")
    make_user("reviewer", "reviewer", "517")
    made = [make_house("20968", name=f"Hộ {i}", lat=15.40 + (i % 6) * 0.01, lon=108.60 + (i // 6) * 0.01)
            for i in range(36)]
    db.session.commit()
    return made


def test_a_view_with_few_houses_gets_points_and_with_many_the_servers_clusters_counting_every_house(houses):
    from server.models import User

    manager = db.session.scalar(sa.select(User).where(User.username == "manager"))
    province = unit("49")
    few = map_service.view(db.session, manager, province, (-90, -180, 90, 180), 10)
    assert few["total"] == 36 and len(few["points"]) == 36 and "clusters" not in few
    many = map_service.view(db.session, manager, province, (-90, -180, 90, 180), 10, limit=10)
    assert "points" not in many and many["total"] == 36
    assert sum(c[2] for c in many["clusters"]) == 36 and 1 < len(many["clusters"]) < 36
    inside = map_service.view(db.session, manager, province, (15.395, 108.595, 15.405, 108.605), 16)
    assert [p[4] for p in inside["points"]] == ["Hộ 0"]
    assert map_service.extent(db.session, manager, province) == pytest.approx((15.40, 108.60, 15.45, 108.65))


def test_the_map_endpoint_answers_json_and_refuses_a_bad_view(client, houses):
    sign_in(client, "manager")
    r = client.get(f"/map/houses?unit=49&bbox={GLOBE}&zoom=8")
    assert r.status_code == 200 and r.get_json()["total"] == 36
    for bad in ("bbox=1,2,3&zoom=8", "bbox=10,0,5,1&zoom=8", "bbox=nan,0,1,1&zoom=8", f"bbox={GLOBE}&zoom=99",
                f"bbox={GLOBE}&zoom=x"):
        assert client.get("/map/houses?unit=49&" + bad).status_code == 400, bad


def test_the_dashboard_map_asks_for_every_house_and_has_no_cap(client, houses):
    sign_in(client, "manager")
    page = client.get("/dashboard").get_data(as_text=True)
    cfg = json.loads(page.split('class="map-data">', 1)[1].split("</script>", 1)[0])
    assert cfg["src"].startswith("/map/houses?unit=49") and cfg["extent"] == pytest.approx([15.40, 108.60, 15.45, 108.65])
    assert cfg["tiles"]["url"].startswith("https://tile.openstreetmap.org/")
    assert "points" in cfg and cfg["points"] == []  # the houses come view by view, none left out


# ---- the review page: the house, its photos' positions, its neighbours ------------------------------------
def _send_with_photo(client, header, form_row, point: tuple[float, float], photo: bytes) -> str:
    form = forms_service.engine_form(form_row)  # with its media (villages.csv)
    answers = generate(form, seed=3, preset={"gps": f"{point[0]} {point[1]} 0 5", "commune_code": "20968"})
    names = form.image_files(answers)
    atts = [{"name": n, "sha256": hashlib.sha256(photo).hexdigest(), "size": len(photo), "content_type": "image/jpeg"}
            for n in names]
    env = make_envelope(form, str(uuid.uuid4()), answers, atts, "2026-11-28T10:00:00+07:00", form_version=form_row.version)
    r = client.post("/api/v1/submissions", json=env, headers=header)
    assert r.status_code == 201, r.get_json()
    for n in r.get_json()["missing_attachments"]:
        assert client.put(f"/api/v1/submissions/{env['instance_id']}/attachments/{n}", data=photo,
                          headers=header).status_code == 200
    return env["instance_id"]


def test_the_review_page_shows_each_photos_position_and_distance_and_the_neighbours(client, app, make_user, auth_header):
    make_user("vol_a", "volunteer", "20968")
    make_user("reviewer", "reviewer", "517")
    photo = (PHOTOS / "DSCN0010.jpg").read_bytes()
    taken = photo_facts.exif(PHOTOS / "DSCN0010.jpg")
    house_at = (taken["lat"] + 600 / 111_195, taken["lon"])  # the house 600 m north of where the photo was taken
    make_house("20968", name="Hàng Xóm Gần", lat=house_at[0] + 0.001, lon=house_at[1])  # ~111 m away
    make_house("20968", name="Hàng Xóm Xa", lat=house_at[0] + 0.05, lon=house_at[1])  # ~5.5 km: not a neighbour
    db.session.commit()
    instance_id = _send_with_photo(client, auth_header("vol_a"), publish(), house_at, photo)
    sign_in(client, "reviewer")
    page = client.get(f"/review/{instance_id}").get_data(as_text=True)
    assert "cách nhà 600 m" in page  # each photo's EXIF position, with its distance
    assert "Hàng Xóm Gần" in page and "Hàng Xóm Xa" not in page
    cfg = json.loads(page.split('class="map-data">', 1)[1].split("</script>", 1)[0])
    kinds = sorted({p["kind"] for p in cfg["points"]})
    assert kinds == ["house", "neighbour", "photo"] and cfg["lines"]


# ---- boundaries ----------------------------------------------------------------------------------------
def _square(code, lat, lon, d=0.05, n=4):
    ring = [[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d]]
    ring = [p for a, b in zip(ring, ring[1:] + ring[:1], strict=True)
            for p in ([a] + [[a[0] + (b[0] - a[0]) * k / n, a[1] + (b[1] - a[1]) * k / n] for k in range(1, n)])]
    return {"type": "Feature", "properties": {"code": code, "ten": "x"},
            "geometry": {"type": "Polygon", "coordinates": [ring + [ring[0]]]}}


def _upload(client, doc, prop="code"):
    data = doc if isinstance(doc, bytes) else json.dumps(doc).encode()
    return client.post("/boundaries", data={"csrf_token": token_of(client, "/boundaries"), "property": prop,
                                            "file": (io.BytesIO(data), "units.geojson")},
                       content_type="multipart/form-data", follow_redirects=True)


@pytest.fixture
def admin(client, app, make_user):
    make_user("admin", "admin", "49")
    make_user("manager", "manager", "49")
    return sign_in(client, "admin")


def test_an_admin_loads_boundaries_matched_by_unit_code_and_the_dashboard_draws_them(admin, client):
    doc = {"type": "FeatureCollection", "features": [_square("517", 15.3, 108.5, n=800), _square("99999", 10, 100)]}
    page = _upload(client, doc).get_data(as_text=True)
    assert "Đã lưu ranh giới của 1 đơn vị" in page and "99999" in page  # the unmatched code is named
    row = db.session.scalar(sa.select(UnitBoundary))
    assert row.points < 3201 and row.geometry["type"] == "MultiPolygon"  # straight edges simplified away
    page = client.get("/dashboard?unit=49").get_data(as_text=True)
    cfg = json.loads(page.split('class="map-data">', 1)[1].split("</script>", 1)[0])
    assert [b["code"] for b in cfg["boundaries"]] == ["517"]


@pytest.mark.parametrize("doc, why", [
    (b"not json", "không phải JSON"),
    ({"type": "Feature"}, "FeatureCollection"),
    ({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"code": "517"},
                                                 "geometry": {"type": "Point", "coordinates": [108, 15]}}]},
     "Polygon"),
    ({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"code": "517"},
                                                 "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [0, 0]]]}}]},
     "ít nhất 4 điểm"),
    ({"type": "FeatureCollection", "features": [_square("517", 95, 108)]}, "ngoài trái đất"),
    ({"type": "FeatureCollection", "features": [_square("517", 15, 108)]}, "ma_xa"),
])
def test_a_bad_boundaries_file_is_refused_with_the_reason(admin, client, doc, why):
    prop = "ma_xa" if why == "ma_xa" else "code"
    r = _upload(client, doc, prop)
    assert r.status_code == 422 and why in r.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(UnitBoundary)) == 0


def test_a_file_over_the_size_limit_is_refused(app, client, make_user):
    app.config["MAX_BOUNDARY_BYTES"] = 1000
    make_user("admin", "admin", "49")
    sign_in(client, "admin")
    doc = {"type": "FeatureCollection", "features": [_square("517", 15.3, 108.5, n=200)]}
    r = _upload(client, doc)
    assert r.status_code == 422 and "lớn hơn" in r.get_data(as_text=True)


def test_a_manager_may_not_load_boundaries(client, make_user):
    make_user("manager", "manager", "49")
    sign_in(client, "manager")
    assert client.get("/boundaries").status_code == 403


# ---- the CSP lets in the tile host, nothing more ------------------------------------------------------------
def test_the_csp_allows_the_configured_tile_host_only(tmp_path):
    assert tile_origin("https://{s}.tile.example.org/{z}/{x}/{y}.png") == "https://*.tile.example.org"
    assert tile_origin("http://127.0.0.1:8123/{z}/{x}/{y}.png") == "http://127.0.0.1:8123"
    assert tile_origin("javascript:alert(1)") is None and tile_origin("") is None
    assert tile_origin("https://a.org';script-src *;/{z}") is None
    assert "img-src 'self' data:;" in csp("")
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "INSTANCE_PATH": str(tmp_path),
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'c.db'}",
                      "MAP_TILE_URL": "http://127.0.0.1:8123/tiles/{z}/{x}/{y}.png"})
    header = app.test_client().get("/sign-in").headers["Content-Security-Policy"]
    assert "img-src 'self' data: http://127.0.0.1:8123;" in header and "script-src 'self';" in header
