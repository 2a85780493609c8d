"""Real headless Chromium against the live demo server: a reviewer approves a survey that came in
through the app's API and sees the dashboard change; a manager downloads the half-year report and its
totals add up. Screenshots of each page go to the test's tmp dir."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from forms import clock
from tests.conftest import CHROMIUM

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


def _sign_in(page, base, username):
    page.goto(base + "/sign-in")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "demo")
    page.click("button[type=submit]")
    page.wait_for_load_state()


def _num(text: str) -> int:
    return int(text.strip().replace(".", "").replace(",", "") or 0)


def _shot(page, tmp_path, name):
    page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)


def test_reviewer_approves_and_dashboard_counts_it(browser, live_server, tmp_path):
    base = live_server.url if hasattr(live_server, "url") else str(live_server)
    instance_id = submit_from_app(base)
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(base) else None)
    _sign_in(page, base, "reviewer")
    page.goto(base + "/dashboard")
    before = _num(page.inner_text("#kpi-approved"))
    _shot(page, tmp_path, "dashboard-before")
    page.goto(base + "/review")
    _shot(page, tmp_path, "queue")
    page.click(f"a[href='/review/{instance_id}']")
    page.wait_for_selector("button[value=approve]")
    _shot(page, tmp_path, "survey")
    page.click("button[value=approve]")
    page.wait_for_selector(".flash")
    assert instance_id not in page.content()
    page.goto(base + "/dashboard")
    _shot(page, tmp_path, "dashboard-after")
    assert _num(page.inner_text("#kpi-approved")) == before + 1
    assert outside == []  # no CDN, no tiles: nothing leaves the server
    ctx.close()


def test_manager_downloads_half_year_report(browser, live_server, tmp_path):
    base = live_server.url if hasattr(live_server, "url") else str(live_server)
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = ctx.new_page()
    _sign_in(page, base, "manager")
    page.goto(base + "/dashboard")
    approved = _num(page.inner_text("#kpi-approved"))
    target = _num(page.inner_text("#kpi-target"))
    page.goto(base + "/reports")
    _shot(page, tmp_path, "reports")
    page.fill("input[name=year]", str(clock.today().year))  # the live server's demo data is made now
    page.select_option("select[name=figures]", "today")  # the dashboard shows today's figures too
    with page.expect_download() as info:
        page.click("#download-report")
    ws = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes())).active
    rows = list(ws.iter_rows(min_row=10, values_only=True))
    total = next(r for r in rows if r[1] == "Tổng cộng")
    body = [r for r in rows[: rows.index(total)] if r[1]]
    assert len(body) >= 2
    for col in range(2, 8):  # target, assessed, approved, started, completed, handed over
        assert total[col] == sum(r[col] or 0 for r in body)
    assert total[2] == target == 15735
    assert total[4] == approved
    assert any("CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM" == c.value for row in ws.iter_rows(max_row=3) for c in row)
    ctx.close()


def submit_from_app(base: str) -> str:
    """What the phone does: token, form, a valid example survey, the envelope, then each photo."""
    import hashlib
    import uuid

    import requests

    from forms.definition import load
    from forms.example import generate
    from server.services.surveys.survey_facts import says_no
    from tests.conftest import PHOTOS

    s = requests.Session()
    tok = s.post(base + "/api/v1/auth/token", json={"username": "volunteer", "password": "demo"}, timeout=10)
    assert tok.status_code == 201, tok.text
    s.headers["Authorization"] = "Bearer " + tok.json()["token"]
    forms = s.get(base + "/api/v1/forms", timeout=10).json()
    meta = next((f for f in forms if f["form_id"] == "house_assessment"), forms[0])
    definition = s.get(base + f"/api/v1/forms/{meta['form_id']}", timeout=10).json()
    form = load(definition, lambda name: s.get(base + f"/api/v1/forms/{meta['form_id']}/media/{name}",
                                               timeout=10).content)
    answers = next(a for a in (generate(form, seed=seed) for seed in range(11, 200))  # one click approves it:
                   if not any(says_no(form, role, a) for role in ("eligibility", "land_status")))  # no override
    photo = (PHOTOS / "DSCN0010.jpg").read_bytes()
    names = sorted({v for v in _walk(answers) if isinstance(v, str) and v.endswith(".jpg")})
    digest = hashlib.sha256(photo).hexdigest()
    envelope = {"instance_id": str(uuid.uuid4()), "form_id": definition["form_id"],
                "form_version": definition["version"], "created_at": dt.datetime.now(dt.UTC).isoformat(),
                "answers": answers,
                "attachments": [{"name": n, "sha256": digest, "size": len(photo), "content_type": "image/jpeg"}
                                for n in names]}
    r = s.post(base + "/api/v1/submissions", json=envelope, timeout=10)
    assert r.status_code == 201, r.text
    for n in names:
        put = s.put(base + f"/api/v1/submissions/{envelope['instance_id']}/attachments/{n}", data=photo,
                    headers={"Content-Type": "image/jpeg"}, timeout=10)
        assert put.status_code in (200, 201, 204), put.text
    return envelope["instance_id"]


def _walk(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from _walk(v)
    elif isinstance(value, list):
        for v in value:
            yield from _walk(v)
    else:
        yield value


def test_pages_run_under_the_content_security_policy(browser, live_server, tmp_path):
    """The CSP blocks nothing the pages need: app.js runs, the Leaflet map draws its markers, and the
    browser reports no CSP violation."""
    base = live_server.url
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    _sign_in(page, base, "admin")
    for path in ("/dashboard", "/houses", "/review", "/targets", "/reports", "/devices"):
        response = page.goto(base + path)
        assert "script-src 'self'" in response.headers["content-security-policy"], path
        page.wait_for_load_state("networkidle")
    page.goto(base + "/dashboard")
    page.wait_for_selector(".leaflet-container path.leaflet-interactive")  # markers drawn by app.js
    assert page.locator(".leaflet-container path.leaflet-interactive").count() > 0
    _shot(page, tmp_path, "dashboard-map-under-csp")
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems
    ctx.close()
