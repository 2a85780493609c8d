"""Real headless Chromium against the live demo server (today's country: province 48 after 1/7/2025): an
admin uploads a reorganisation on the units page (two communes merged into a new one), previews what
changes, applies it, re-scopes the volunteer it left without a unit, and the dashboard lists the new
commune with every house counted once. Screenshots go to the test's tmp dir (MAIAM_SHOTS: a folder to
copy them to)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import CHROMIUM
from tests.e2e.test_browser_review import ARGS, _num, _shot, _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

NEW_UNITS = "level,code,name,parent_code\ncommune,99001,Xã Tam Xuân Mới,48\n"
MAPPING = "old_code,new_code\n20971,99001\n20984,99001\n"  # Xã Tam Xuân + Xã Tam Anh -> Xã Tam Xuân Mới


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


def test_admin_previews_and_applies_a_reorganisation(browser, live_server, tmp_path):
    base = live_server.url
    (tmp_path / "mapping.csv").write_text(MAPPING, encoding="utf-8")
    (tmp_path / "units.csv").write_text(NEW_UNITS, encoding="utf-8")
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    _sign_in(page, base, "manager")
    page.goto(base + "/dashboard")
    houses = _num(page.inner_text("#kpi-assessed"))
    rows = page.locator("#rollup tbody tr").count()
    assert rows == 94 and houses > 0
    _shot(page, tmp_path, "dashboard-48")
    page.goto(base + "/dashboard?as_of=2024-12-31")
    assert page.locator("#rollup tbody tr").count() == 18  # 2024's districts
    _shot(page, tmp_path, "dashboard-2024")

    admin = ctx.new_page()
    admin.context.clear_cookies()
    _sign_in(admin, base, "admin")
    admin.goto(base + "/units?q=Tam Xuân")
    assert admin.locator("#unit-tree tr[data-unit='20971']").count() == 1
    admin.set_input_files("#reorganise-form input[name=mapping]", str(tmp_path / "mapping.csv"))
    admin.set_input_files("#reorganise-form input[name=new_units]", str(tmp_path / "units.csv"))
    admin.fill("#reorganise-form input[name=effective]", "2026-01-01")
    admin.click("#reorganise-form button[type=submit]")
    admin.wait_for_selector("#preview")
    _shot(admin, tmp_path, "units-preview")
    assert admin.inner_text("#preview-counts td[data-key=new_units]") == "4"  # the commune and its 3 villages
    assert "volunteer" in admin.inner_text("#preview-counts td[data-key=users_flagged]")
    assert _num(admin.inner_text("#preview-counts td[data-key=houses]")) == houses
    admin.click("#apply-form button[type=submit]")
    admin.wait_for_load_state()
    assert admin.locator("#rescope").count() == 1, admin.inner_text("main")
    assert "volunteer" in admin.inner_text("#rescope") and "reviewer" in admin.inner_text("#rescope")
    admin.select_option("#rescope tr[data-user=volunteer] select", "99001")
    admin.click("#rescope tr[data-user=volunteer] button")
    admin.wait_for_load_state()
    assert admin.locator("#rescope tr[data-user=volunteer]").count() == 0
    admin.goto(base + "/units?q=99001")
    _shot(admin, tmp_path, "units-after")

    page.goto(base + "/dashboard")
    assert page.locator("#rollup tbody tr").count() == 93  # 94 - 2 + 1
    new = page.locator("#rollup tr[data-unit='99001'] .c-assessed").inner_text()
    assert _num(new) == houses == _num(page.inner_text("#kpi-assessed"))
    _shot(page, tmp_path, "dashboard-after")

    reviewer = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    _sign_in(reviewer, base, "reviewer")
    assert reviewer.locator("#needs-rescope").count() == 1  # told on sign-in: their commune is gone
    _shot(reviewer, tmp_path, "reviewer-needs-rescope")
    ctx.close()
    if os.environ.get("MAIAM_SHOTS"):
        for png in Path(tmp_path).glob("*.png"):
            shutil.copy(png, os.environ["MAIAM_SHOTS"])
