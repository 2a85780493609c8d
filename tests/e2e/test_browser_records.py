"""Real headless Chromium against the live demo server: a district reviewer opens the district's half-year
report and prints it (A4 landscape PDF); the household record prints on one or two A4 portrait pages; the
exports download labelled; date fields read dd/mm/yyyy in an English-language browser; no page asks for a
missing file (favicon). Screenshots go to $MAIAM_SCREENSHOTS (docs/screenshots for the README) or tmp."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from forms import clock
from tests.conftest import CHROMIUM
from tests.e2e.test_browser_review import ARGS, _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.e2e]
A4_LANDSCAPE, A4_PORTRAIT = (842, 595), (595, 842)  # points, rounded


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


def _shots(tmp_path) -> Path:
    return Path(os.environ.get("MAIAM_SCREENSHOTS") or tmp_path)


def _pages(pdf: bytes) -> list[tuple[int, int]]:
    """Each page's size in points (Chromium writes one /MediaBox per page)."""
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    return [(round(float(w)), round(float(h))) for w, h in boxes]


def _watch(page, base):
    missing = []
    page.on("response", lambda r: missing.append(r.url) if r.url.startswith(base) and r.status == 404 else None)
    return missing


def test_a_manager_prints_the_report_of_todays_city(browser, live_server, tmp_path):
    """The demo is today's country (no districts since 1/7/2025): the manager of Thành phố Đà Nẵng prints its
    report, one row per commune-level unit, on A4 landscape."""
    base = live_server.url
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = ctx.new_page()
    missing = _watch(page, base)
    _sign_in(page, base, "manager")  # Thành phố Đà Nẵng (48)
    page.goto(base + "/reports")
    assert "Thành phố Đà Nẵng" in page.inner_text("h2")
    page.fill("input[name=year]", str(clock.today().year))
    page.select_option("select[name=figures]", "today")
    page.click("#view-report")
    page.wait_for_selector("#report-table")
    head = page.inner_text(".gov-head")
    assert "THÀNH PHỐ ĐÀ NẴNG" in head and "Đà Nẵng, ngày" in head
    names = page.locator("#report-table tbody td.name").all_inner_texts()
    assert names and all(n.startswith(("Xã", "Phường", "Đặc khu")) for n in names)  # one row per commune
    page.screenshot(path=str(_shots(tmp_path) / "district_report.png"), full_page=True)
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    sizes = _pages(pdf)
    assert sizes and set(sizes) == {A4_LANDSCAPE}, sizes
    with page.expect_download() as info:
        page.click("text=Tải về (XLSX)")
    ws = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes())).active
    assert str(ws.page_setup.paperSize) == "9" and ws.page_setup.orientation == "landscape"
    assert missing == [], missing
    ctx.close()


def test_the_household_record_prints_on_one_or_two_a4_pages(browser, live_server, tmp_path):
    base = live_server.url
    ctx = browser.new_context(viewport={"width": 900, "height": 1200})
    page = ctx.new_page()
    missing = _watch(page, base)
    _sign_in(page, base, "reviewer")
    page.goto(base + "/houses?status=approved")
    page.click("table.list tbody tr:first-child td:nth-child(2) a")
    page.click("#record-link")
    page.wait_for_selector(".record-sheet")
    page.wait_for_load_state("networkidle")
    assert page.locator(".small-map svg").count() == 1
    assert page.locator(".record-sheet table.ans th").count() > 10
    shown = page.locator(".record-sheet img.thumb")
    assert shown.count() > 0 and all(shown.nth(i).evaluate("i => i.complete && i.naturalWidth > 0")
                                     for i in range(shown.count()))  # no broken image
    assert "XÁC NHẬN CỦA UBND XÃ" in page.inner_text(".record-sign")
    page.screenshot(path=str(_shots(tmp_path) / "household_record.png"), full_page=True)
    sizes = _pages(page.pdf(prefer_css_page_size=True, print_background=True))
    assert 1 <= len(sizes) <= 2 and set(sizes) == {A4_PORTRAIT}, sizes
    assert missing == [], missing
    ctx.close()


def test_date_fields_read_day_month_year_in_an_english_browser(browser, live_server, tmp_path):
    base = live_server.url
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = ctx.new_page()
    missing = _watch(page, base)
    page.goto(base + "/")  # arriving signed out: the sign-in page, no error
    assert page.locator(".flash").count() == 0 and page.locator("input[name=password]").count() == 1
    _sign_in(page, base, "reviewer")
    page.goto(base + "/review")
    field = page.locator("input[name=date_from]")
    assert field.get_attribute("type") == "text" and field.get_attribute("placeholder") == "dd/mm/yyyy"
    field.fill("01/01/2020")
    page.fill("input[name=date_to]", "31/12/2099")
    page.locator("input[name=date_to]").press("Enter")
    page.wait_for_load_state()
    assert "date_from=01%2F01%2F2020" in page.url and page.locator(".flash.error").count() == 0
    assert page.locator("table.list tbody tr").count() > 0
    page.screenshot(path=str(tmp_path / "queue-dates.png"), full_page=True)
    assert missing == [], missing  # the favicon included
    ctx.close()
