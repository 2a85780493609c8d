"""Real headless Chromium against the live demo server (issue 13): the maps with a base layer from a tile
server on loopback (MAIAM_MAP_TILE_URL), the grid when the tiles cannot be had, the clustered dashboard map
with unit boundaries loaded by an admin, an accent-insensitive search, and the dashboard's charts.

Screenshots go to the test's tmp dir, or to MAIAM_SCREENSHOTS (``MAIAM_SCREENSHOTS=docs/screenshots``
refreshes the README's pictures)."""

from __future__ import annotations

import hashlib
import io
import json
import os
import random
import sqlite3
import uuid
from pathlib import Path

import pytest
import requests
from PIL import Image

from forms.example import generate
from forms.search import search_text
from tests.conftest import PHOTOS
from tests.e2e.conftest import phone_form, start_server, stop_server
from tests.e2e.test_browser_review import ARGS, CHROMIUM, _sign_in
from tests.e2e.tiles import TileServer

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

HOUSE = (15.4210, 108.5120)  # the surveyed house
PHOTO_AT = (15.4236, 108.5139)  # where its photo says it was taken: about 350 m away
AREA = (15.30, 108.40, 15.55, 108.70)  # the demo houses' area (forms/example.py), Núi Thành


@pytest.fixture(scope="module")
def tiles():
    with TileServer() as server:
        yield server


@pytest.fixture(scope="module")
def server(tmp_path_factory, tiles):
    live = start_server(tmp_path_factory.mktemp("maps"), {"MAIAM_MAP_TILE_URL": tiles.template,
                                                          "MAIAM_MAP_TILE_ATTRIBUTION": "test tiles"})
    yield live
    stop_server(live)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def shots(tmp_path) -> Path:
    out = Path(os.environ.get("MAIAM_SCREENSHOTS") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    return out


def _photo_at(lat: float, lon: float) -> bytes:
    """A real camera photo (tests/fixtures/photos) with its EXIF position moved to (lat, lon)."""
    img = Image.open(PHOTOS / "DSCN0010.jpg")
    exif = img.getexif()
    gps = exif.get_ifd(0x8825)

    def dms(v):
        d, rest = int(v), (v - int(v)) * 60
        return (float(d), float(int(rest)), round((rest - int(rest)) * 60, 3))

    gps[2], gps[4] = dms(lat), dms(lon)
    buf = io.BytesIO()
    img.save(buf, "JPEG", exif=exif, quality=85)
    return buf.getvalue()


def _submit(base: str, preset: dict, photo: bytes, seed: int = 5) -> str:
    s = requests.Session()
    tok = s.post(base + "/api/v1/auth/token", json={"username": "volunteer", "password": "demo"}, timeout=10)
    s.headers["Authorization"] = "Bearer " + tok.json()["token"]
    definition, form = phone_form(base, dict(s.headers), timeout=10)
    answers = generate(form, seed=seed, preset=preset)
    names = form.image_files(answers)
    digest = hashlib.sha256(photo).hexdigest()
    envelope = {"instance_id": str(uuid.uuid4()), "form_id": "house_assessment", "form_version": definition["version"],
                "created_at": "2026-11-28T10:00:00+07:00", "answers": answers,
                "attachments": [{"name": n, "sha256": digest, "size": len(photo), "content_type": "image/jpeg"}
                                for n in names]}
    r = s.post(base + "/api/v1/submissions", json=envelope, timeout=10)
    assert r.status_code == 201, r.text
    for n in r.json()["missing_attachments"]:
        assert s.put(base + f"/api/v1/submissions/{envelope['instance_id']}/attachments/{n}", data=photo,
                     timeout=10).status_code in (200, 201)
    return envelope["instance_id"]


@pytest.fixture(scope="module")
def surveyed(server):
    """A survey whose photo was taken ~350 m from the house, and a neighbour 150 m away."""
    main = _submit(server.url, {"head_name": "Nguyễn Văn Minh", "gps": f"{HOUSE[0]} {HOUSE[1]} 0 4",
                                "commune_code": "20968"}, _photo_at(*PHOTO_AT))
    _submit(server.url, {"head_name": "Trần Thị Hoa", "gps": f"{HOUSE[0] + 0.0012} {HOUSE[1] + 0.0006} 0 4",
                         "commune_code": "20968"}, _photo_at(HOUSE[0] + 0.0012, HOUSE[1] + 0.0006), seed=6)
    return main


def _map_ready(page):
    page.wait_for_selector("[data-map][data-ready]")
    page.wait_for_load_state("networkidle")


def test_review_map_with_tiles_photo_positions_and_neighbours(browser, server, tiles, surveyed, shots):
    ctx = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = ctx.new_page()
    _sign_in(page, server.url, "reviewer")
    page.goto(f"{server.url}/review/{surveyed}")
    _map_ready(page)
    assert page.locator(".leaflet-tile-loaded").count() > 0 and tiles.requests  # the base layer, from loopback
    assert page.locator("[data-map-offline]").is_hidden()
    text = page.inner_text("#photo-places")
    assert "cách nhà 3" in text  # about 350 m
    assert "Trần Thị Hoa" in page.inner_text("ul.neighbours")
    assert page.locator(".leaflet-overlay-pane path.leaflet-interactive").count() >= 3  # house, photo, neighbour
    page.locator("section.card", has=page.locator("[data-map]")).screenshot(path=str(shots / "map-review.png"))
    ctx.close()


def test_review_map_without_network_shows_the_grid_and_says_so(browser, server, tiles, surveyed, shots):
    ctx = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = ctx.new_page()
    page.route(tiles.url + "/**", lambda route: route.abort("internetdisconnected"))  # no network for tiles
    _sign_in(page, server.url, "reviewer")
    page.goto(f"{server.url}/review/{surveyed}")
    _map_ready(page)
    page.wait_for_selector("[data-map-offline]:not([hidden])")
    assert page.locator(".leaflet-tile-loaded").count() == 0
    assert page.locator(".leaflet-grid-pane path").count() > 4  # the coordinate grid
    assert "không có mạng" in page.inner_text("[data-map-offline]")
    page.locator("section.card", has=page.locator("[data-map]")).screenshot(path=str(shots / "map-review-offline.png"))
    ctx.close()


def _communes(db: Path) -> list[tuple[int, str, str]]:
    with sqlite3.connect(db) as conn:
        # the demo is today's country: communes of Thành phố Đà Nẵng (48) in force today
        return conn.execute("SELECT id, code, name FROM org_units WHERE level = 'commune' AND path LIKE '/48/%' "
                            "AND valid_to IS NULL ORDER BY code LIMIT 17").fetchall()


def _cells(communes) -> dict[str, tuple[float, float, float, float]]:
    """Made-up commune shapes for the test (a grid over the demo area): (south, west, north, east)."""
    cols = 5
    rows = -(-len(communes) // cols)
    dlat, dlon = (AREA[2] - AREA[0]) / rows, (AREA[3] - AREA[1]) / cols
    return {code: (AREA[0] + (i // cols) * dlat, AREA[1] + (i % cols) * dlon, AREA[0] + (i // cols + 1) * dlat,
                   AREA[1] + (i % cols + 1) * dlon) for i, (_, code, _) in enumerate(communes)}


def _add_houses(db: Path, communes, cells, n: int) -> None:
    rnd = random.Random(13)
    stages = ["assessed", "approved", "started", "completed", "handed_over"]
    rows = []
    for i in range(n):
        uid, code, _ = communes[rnd.randrange(len(communes))]
        s, w, no, e = cells[code]
        name = f"Hộ thử {i}"
        rows.append((str(uuid.uuid4()), uid, rnd.choice(stages), name, s + rnd.random() * (no - s),
                     w + rnd.random() * (e - w), search_text(name)))
    with sqlite3.connect(db, timeout=30) as conn:
        conn.executemany("INSERT INTO houses (uuid, org_unit_id, status, head_name, lat, lon, search_text, created_at, "
                         "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)", rows)


def test_dashboard_map_clusters_every_house_inside_the_boundaries_an_admin_loaded(browser, server, surveyed, shots,
                                                                                   tmp_path):
    db = server.instance / "maiam.db"
    communes = _communes(db)
    cells = _cells(communes)
    _add_houses(db, communes, cells, 2500)
    geojson = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": code, "name": name},
         "geometry": {"type": "Polygon", "coordinates": [[[w, s], [e, s], [e, n], [w, n], [w, s]]]}}
        for _, code, name in communes for s, w, n, e in [cells[code]]]}
    path = tmp_path / "nui_thanh.geojson"
    path.write_text(json.dumps(geojson))
    ctx = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = ctx.new_page()
    _sign_in(page, server.url, "admin")
    page.goto(server.url + "/boundaries")
    page.set_input_files("input[name=file]", str(path))
    page.click("button.primary")
    page.wait_for_selector(".flash")
    assert f"Đã lưu ranh giới của {len(communes)} đơn vị" in page.inner_text("main")
    page.wait_for_selector("[data-map][data-ready]")
    page.screenshot(path=str(shots / "boundaries.png"), full_page=True)
    page.goto(server.url + "/dashboard?unit=48")
    _map_ready(page)
    el = page.locator("[data-map]")
    total = int(el.get_attribute("data-total"))
    assert total >= 2500 and el.get_attribute("data-mode") == "points"  # every house, no cap
    assert page.locator(".marker-cluster").count() > 3
    assert page.locator(".leaflet-overlay-pane path").count() >= len(communes)  # the boundaries
    page.locator("section.card", has=el).screenshot(path=str(shots / "map-dashboard.png"))
    page.locator("#charts").screenshot(path=str(shots / "charts.png"))
    assert page.locator("#charts svg").count() >= 3
    ctx.close()


def test_search_without_accents_finds_the_accented_name(browser, server, surveyed, shots):
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    page = ctx.new_page()
    _sign_in(page, server.url, "reviewer")
    page.goto(server.url + "/review")
    page.fill("input[name=q]", "nguyen van minh")  # typed without accents
    page.click("form[role=search] button[type=submit]")
    page.wait_for_load_state()
    assert "q=nguyen+van+minh" in page.url  # the search is in the URL
    rows = page.locator("table.list tbody tr")
    assert rows.count() == 1 and "Nguyễn Văn Minh" in rows.first.inner_text()
    page.screenshot(path=str(shots / "search.png"), full_page=True)
    page.goto(server.url + "/houses?q=tran+thi+hoa&sort=name")
    assert "Trần Thị Hoa" in page.inner_text("table.list")
    ctx.close()
