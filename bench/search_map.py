"""Search and map benchmark at province scale in PostgreSQL (run by hand; prints numbers, asserts nothing).

    python bench/search_map.py [--houses 500000] [--db maiam_bench_map] [--reuse] [--browser] [--shot PNG]

Creates (or re-creates) its own database (never ``test``): Quảng Nam's 260 units (server/data), 500,000 houses
in ONE province with Vietnamese names (accented), CCCD numbers and villages, and 200,000 surveys awaiting
review, their search columns folded as ingest folds them (forms.search). Then, median of ``--runs``:

- search: the houses list (a page of 100, the match count, capped) and the review queue, for a rare full
  name typed without accents, a common family name, a CCCD, the end of a CCCD, a village, no query sorted
  by name, at province and district level;
- map: the unit's extent, one view of the whole province (the server's grid clusters), of a district and
  of a commune (points), and the alternative: every house of the province as points (query + JSON size);
- with ``--browser`` (headless Chromium, Playwright): time to first render of the dashboard's map at the
  province (the server clusters), and of the same 500,000 points handed to Leaflet.markercluster in the
  browser (the client-side alternative); ``--shot`` saves the dashboard map.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402

from forms.search import search_text  # noqa: E402

FAMILY = [("Nguyễn", 38), ("Trần", 11), ("Lê", 9), ("Phạm", 7), ("Huỳnh", 5), ("Hoàng", 3), ("Phan", 4), ("Võ", 4),
          ("Vũ", 2), ("Đặng", 2), ("Bùi", 2), ("Đỗ", 2), ("Hồ", 2), ("Ngô", 2), ("Dương", 1), ("Lý", 1), ("Đoàn", 1)]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quốc", "Xuân", "Công", "Thị Kim", "Văn Bá"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Em", "Hoa", "Hùng", "Lan", "Minh", "Nam", "Phúc", "Quang", "Sơn", "Tâm",
         "Thảo", "Trung", "Tuấn", "Vy", "Xuân", "Yến", "Đức", "Hạnh", "Khánh", "Long", "Mai", "Nga", "Oanh", "Phượng",
         "Quý", "Sáu", "Tư", "Út", "Vinh", "Ánh", "Bảy", "Chiến", "Diệu", "Giang", "Hiếu", "Kiên"]
PASSWORD = "bench-password-2026"
CLIENT_LIMIT_S = 300  # the client-side alternative is given this long to cluster every point


def _admin(db: str):
    with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db}"')
        conn.execute(f'CREATE DATABASE "{db}"')
        conn.execute(f'ALTER DATABASE "{db}" SET random_page_cost = 1.1')


def _name(rnd) -> str:
    family = rnd.choices([f for f, _ in FAMILY], [w for _, w in FAMILY])[0]
    return f"{family} {rnd.choice(MIDDLE)} {rnd.choice(GIVEN)}"


def load(conn, n_houses: int, n_subs: int, form_version: str, seed: int = 11) -> dict:
    from werkzeug.security import generate_password_hash

    rnd = random.Random(seed)
    t0 = time.perf_counter()
    rows = list(csv.DictReader((ROOT / "server" / "data" / "quang_nam_units.csv").open(encoding="utf-8")))
    units, ids = [], {}
    for i, r in enumerate(rows, start=1):
        parent = ids.get(r["parent_code"])
        path = (units[parent - 1][5] if parent else "/") + r["code"] + "/"
        ids[r["code"]] = i
        units.append((i, r["code"], r["name"], r["level"], parent, path, True))
    communes = [u for u in units if u[3] == "commune"]
    centre = {u[0]: (15.2 + rnd.random() * 0.75, 107.5 + rnd.random() * 1.1) for u in communes}
    now = dt.datetime(2026, 11, 30, tzinfo=dt.UTC)
    with conn.cursor() as cur:
        with cur.copy("COPY org_units (id, code, name, level, parent_id, path, active) FROM STDIN") as cp:
            for u in units:
                cp.write_row(u)
        users = [(1, "bench_manager", "Quản lý thử", "manager", ids["49"]),
                 (2, "bench_reviewer", "Duyệt thử", "reviewer", ids["517"])]
        users += [(3 + k, f"tnv{k}", _name(rnd), "volunteer", communes[k % len(communes)][0]) for k in range(300)]
        hashed = generate_password_hash(PASSWORD)
        with cur.copy("COPY users (id, username, full_name, role, org_unit_id, password_hash, is_active, created_at) "
                      "FROM STDIN") as cp:
            for u in users:
                cp.write_row((*u, hashed, True, now))
        picked = {}
        with cur.copy("COPY houses (id, uuid, org_unit_id, status, head_name, id_number, village, lat, lon, "
                      "search_text, created_at, updated_at) FROM STDIN") as cp:
            for h in range(1, n_houses + 1):
                c = communes[rnd.randrange(len(communes))][0]
                name, cccd, village = _name(rnd), f"049{rnd.randrange(10**9):09d}", f"Thôn {rnd.randint(1, 12)}"
                lat, lon = centre[c][0] + rnd.gauss(0, 0.02), centre[c][1] + rnd.gauss(0, 0.02)
                status = rnd.choice(["assessed", "approved", "started", "completed", "handed_over"])
                cp.write_row((h, str(uuid.UUID(int=rnd.getrandbits(128), version=4)), c, status, name, cccd, village,
                              lat, lon, search_text(name, cccd, village), now - dt.timedelta(minutes=h), now))
                if h == n_houses // 2:
                    picked = {"name": name, "cccd": cccd}
        with cur.copy("COPY submissions (instance_id, form_id, form_version, org_unit_id, user_id, house_id, answers, "
                      "review_status, received_at, complete, search_text) FROM STDIN") as cp:
            for i in range(n_subs):
                user = users[2 + rnd.randrange(300)]
                name, cccd, village = _name(rnd), f"049{rnd.randrange(10**9):09d}", f"Thôn {rnd.randint(1, 12)}"
                cp.write_row((str(uuid.UUID(int=rnd.getrandbits(128), version=4)), "house_assessment", form_version,
                              communes[rnd.randrange(len(communes))][0], user[0], None,
                              json.dumps({"head_name": name, "head_cccd": cccd}, ensure_ascii=False), "received",
                              now - dt.timedelta(seconds=i), True, search_text(name, cccd, village, user[2], user[1])))
        for table in ("org_units", "users", "houses"):
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}','id'), (SELECT max(id) FROM {table}))")
    conn.commit()
    t1 = time.perf_counter()
    with conn.cursor() as cur:  # the indexes the models and migration 0007 make, built once after the load
        cur.execute("REINDEX TABLE houses")
        cur.execute("REINDEX TABLE submissions")
        cur.execute("ANALYZE")
    conn.commit()
    return {"houses": n_houses, "surveys": n_subs, "load_s": round(t1 - t0, 1),
            "index_s": round(time.perf_counter() - t1, 1), **{f"sample_{k}": v for k, v in picked.items()}}


def _median_ms(fn, runs: int) -> float:
    fn()  # warm
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return round(statistics.median(times), 1)


def searches(s, info: dict, runs: int) -> dict:
    import sqlalchemy as sa

    from server.models import OrgUnit, User
    from server.services.houses import reading
    from server.services.surveys import review_queue

    manager = s.scalar(s.query(User).filter_by(username="bench_manager").statement)
    reviewer = s.scalar(s.query(User).filter_by(username="bench_reviewer").statement)
    prov = s.scalar(s.query(OrgUnit).filter_by(code="49").statement)
    dist = s.scalar(s.query(OrgUnit).filter_by(code="517").statement)
    rare = search_text(info["sample_name"])  # the name without accents, as typed
    out = {}
    cases = {"rare_name": rare, "family_nguyen": "nguyen", "cccd": info["sample_cccd"],
             "cccd_end": info["sample_cccd"][-6:], "village": "thon 7", "two_words": "tran thi"}
    for label, q in cases.items():
        out[f"houses_{label}_ms"] = _median_ms(lambda q=q: reading.list_houses(s, manager, prov, q=q), runs)
    out["houses_sorted_by_name_ms"] = _median_ms(lambda: reading.list_houses(s, manager, prov, sort="name"), runs)
    out["houses_sorted_by_name_page_50_ms"] = _median_ms(
        lambda: reading.list_houses(s, manager, prov, page=50, sort="name"), runs)
    out["houses_district_family_ms"] = _median_ms(lambda: reading.list_houses(s, manager, dist, q="nguyen"), runs)
    items, total, _ = reading.list_houses(s, manager, prov, q=rare)
    out["houses_rare_name_hits"] = total
    volunteer = search_text(s.scalar(sa.select(User.full_name).where(User.username == "tnv17")))
    for label, q in {"rare_name": rare, "family_nguyen": "nguyen", "volunteer_name": volunteer,
                     "volunteer_username": "tnv17", "none": None}.items():
        out[f"queue_{label}_ms"] = _median_ms(lambda q=q: review_queue.queue(s, reviewer, q=q), runs)  # a district's
    return out


def maps(s, runs: int) -> dict:
    from server.models import OrgUnit, User
    from server.services.houses import map as map_service

    manager = s.scalar(s.query(User).filter_by(username="bench_manager").statement)
    prov = s.scalar(s.query(OrgUnit).filter_by(code="49").statement)
    dist = s.scalar(s.query(OrgUnit).filter_by(code="517").statement)
    ext = map_service.extent(s, manager, prov)
    dext = map_service.extent(s, manager, dist)
    out = {"extent_province_ms": _median_ms(lambda: map_service.extent(s, manager, prov), runs)}
    out["view_province_zoom9_ms"] = _median_ms(lambda: map_service.view(s, manager, prov, ext, 9), runs)
    v = map_service.view(s, manager, prov, ext, 9)
    out["view_province_clusters"] = len(v.get("clusters", []))
    out["view_province_json_kib"] = round(len(json.dumps(v)) / 1024, 1)
    out["view_district_zoom11_ms"] = _median_ms(lambda: map_service.view(s, manager, dist, dext, 11), runs)
    mid = ((dext[0] + dext[2]) / 2, (dext[1] + dext[3]) / 2)
    small = (mid[0] - 0.01, mid[1] - 0.01, mid[0] + 0.01, mid[1] + 0.01)
    out["view_commune_zoom15_ms"] = _median_ms(lambda: map_service.view(s, manager, dist, small, 15), runs)
    out["view_commune_points"] = len(map_service.view(s, manager, dist, small, 15).get("points", []))
    t = time.perf_counter()
    every = map_service.view(s, manager, prov, ext, 9, limit=10**7)
    text = json.dumps(every["points"])
    out["all_points_query_and_json_ms"] = round((time.perf_counter() - t) * 1000)
    out["all_points_json_mib"] = round(len(text) / 2**20, 1)
    return out, text


def _server(url: str, port: int, instance: str):
    env = dict(os.environ, DATABASE_URL=url, MAIAM_INSTANCE=instance, MAIAM_MAP_TILE_URL="", PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, "-m", "server", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import requests

    for _ in range(300):
        try:
            if requests.get(f"http://127.0.0.1:{port}/sign-in", timeout=1).status_code == 200:
                return proc
        except requests.ConnectionError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("server did not start")


def browser(url: str, points_json: str, shot: str | None) -> dict:
    import socket

    from playwright.sync_api import sync_playwright

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    out = {}
    with tempfile.TemporaryDirectory() as instance:
        proc = _server(url, port, instance)
        try:
            with sync_playwright() as p:
                b = p.chromium.launch(executable_path=os.environ.get("MAIAM_CHROMIUM", "/usr/bin/chromium"),
                                      args=["--no-sandbox", "--disable-gpu"])
                page = b.new_page(viewport={"width": 1280, "height": 1000})
                page.goto(base + "/sign-in")
                page.fill("input[name=username]", "bench_manager")
                page.fill("input[name=password]", PASSWORD)
                page.click("button[type=submit]")
                page.wait_for_load_state()
                for attempt in range(3):  # the first warms the server's caches
                    t = time.perf_counter()
                    page.goto(base + "/dashboard?unit=49")
                    page.wait_for_selector("[data-map][data-ready]", timeout=120_000)
                    out[f"dashboard_map_first_render_s_{attempt}"] = round(time.perf_counter() - t, 2)
                out["dashboard_map_mode"] = page.get_attribute("[data-map]", "data-mode")
                out["dashboard_map_total"] = int(page.get_attribute("[data-map]", "data-total"))
                print("browser (server clusters):", out, flush=True)
                if shot:
                    page.locator("section.card", has=page.locator("[data-map]")).screenshot(path=shot)
                static = base + "/static/web/vendor/"
                page.set_content(
                    f'<link rel="stylesheet" href="{static}leaflet/leaflet.css">'
                    f'<link rel="stylesheet" href="{static}leaflet.markercluster/MarkerCluster.css">'
                    f'<link rel="stylesheet" href="{static}leaflet.markercluster/MarkerCluster.Default.css">'
                    f'<div id="m" style="height:480px"></div><script src="{static}leaflet/leaflet.js"></script>'
                    f'<script src="{static}leaflet.markercluster/leaflet.markercluster.js"></script>')
                t = time.perf_counter()
                got = page.evaluate("""([text, limit]) => new Promise(done => {
                    const t0 = performance.now();
                    const pts = JSON.parse(text);
                    const parsed = performance.now() - t0;
                    let first = null;
                    const map = L.map('m', {maxZoom: 19}).fitBounds([[15.1, 107.4], [16.0, 108.8]]);
                    const g = L.markerClusterGroup({chunkedLoading: true, chunkProgress: (n, all) => {
                        if (first === null) { first = performance.now() - t0; }
                        if (n === all) { requestAnimationFrame(() => done({parsed, first, all: performance.now() - t0})); }
                    }});
                    setTimeout(() => done({parsed, first, all: null}), limit);
                    g.addLayers(pts.map(p => L.circleMarker([p[1], p[2]], {radius: 5})));
                    map.addLayer(g);
                })""", [points_json, CLIENT_LIMIT_S * 1000])
                out["client_markercluster_json_parse_s"] = round(got["parsed"] / 1000, 2)
                out["client_markercluster_first_chunk_s"] = round(got["first"] / 1000, 2) if got["first"] else None
                out["client_markercluster_all_points_s"] = (round(got["all"] / 1000, 1) if got["all"]
                                                            else f"> {CLIENT_LIMIT_S} (not finished)")
                out["client_markercluster_wall_s"] = round(time.perf_counter() - t, 1)
                b.close()
        finally:
            proc.terminate()
            proc.wait(timeout=20)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--houses", type=int, default=500_000)
    ap.add_argument("--surveys", type=int, default=200_000)
    ap.add_argument("--db", default="maiam_bench_map")
    ap.add_argument("--runs", type=int, default=11)
    ap.add_argument("--reuse", action="store_true", help="skip loading; reuse the existing database")
    ap.add_argument("--browser", action="store_true", help="also time the maps in headless Chromium")
    ap.add_argument("--shot", help="save the province dashboard map here (PNG)")
    args = ap.parse_args(argv)
    if args.db == "test":
        ap.error("use a separate database, not 'test'")
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{args.db}"
    if not args.reuse:
        _admin(args.db)
    from flask_migrate import stamp

    from server import create_app
    from server.extensions import db
    from server.services.programme import forms as forms_service

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    info_path = Path(tempfile.gettempdir()) / f"{args.db}.json"
    with app.app_context():
        if not args.reuse:
            db.create_all()
            stamp()
            form, _ = forms_service.publish_file(db.session, ROOT / "forms" / "library" / "house_assessment.xlsx")
            db.session.commit()
            raw = db.engine.raw_connection()
            try:
                info = load(raw.driver_connection, args.houses, args.surveys, form.version)
            finally:
                raw.close()
            info_path.write_text(json.dumps(info, ensure_ascii=False))
        info = json.loads(info_path.read_text())
        print("loaded:", info)
        s = db.session
        print("search:", searches(s, info, args.runs), flush=True)
        found, points_json = maps(s, args.runs)
        print("map:", found, flush=True)
    if args.browser:
        print("browser:", browser(url, points_json, args.shot))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
