"""Half-year and year-end reports for a district and a commune as well as the province, for the reviewer or
manager of that unit: the XLSX on A4 landscape, and the same report as a printable page."""

import io
import re

from openpyxl import load_workbook

from server.extensions import db
from server.services.reports import periodic
from tests.server.web.test_reports_exports import _world
from tests.server.world import make_user, sign_in


def _sheet(r):
    assert r.status_code == 200, r.get_data(as_text=True)[:500]
    return load_workbook(io.BytesIO(r.data)).active


def _table(ws) -> dict:
    return {row[1]: row for row in ws.iter_rows(min_row=10, values_only=True) if row[1]}


def test_a_reviewer_reports_on_their_district_and_its_communes_not_beyond(app):
    _world()
    c = sign_in(app.test_client(), "reviewer")  # Huyện Núi Thành (517)
    ws = _sheet(c.get("/reports/download?kind=half_year&year=2026&figures=today"))  # their own unit by default
    heading = [v for row in ws.iter_rows(max_row=3, values_only=True) for v in row if v]
    assert "HUYỆN NÚI THÀNH" in heading and "Núi Thành, ngày" in " ".join(map(str, heading))
    table = _table(ws)
    total = table.pop("Tổng cộng")
    assert set(table) == {"Xã Tam Xuân I", "Xã Tam Xuân II"}
    assessed = 2 + [k for k, _ in periodic.COLUMNS].index("assessed")
    assert total[assessed] == 3  # two houses in Tam Xuân I, one in Tam Xuân II
    commune = _sheet(c.get("/reports/download?kind=year_end&year=2026&unit=20968&figures=today"))
    assert "XÃ TAM XUÂN I" in [v for row in commune.iter_rows(max_row=3, values_only=True) for v in row if v]
    assert _table(commune)["Tổng cộng"][assessed] == 2
    assert c.get("/reports/download?kind=half_year&year=2026&unit=502").status_code == 404  # another district
    assert c.get("/reports/view?kind=half_year&year=2026&unit=49").status_code == 404  # the province above
    make_user("volunteer", "volunteer", "20968")
    db.session.commit()
    assert sign_in(app.test_client(), "volunteer").get("/reports").status_code == 403


def test_the_xlsx_is_a4_landscape_fitted_to_the_width(app):
    _world()
    ws = _sheet(sign_in(app.test_client(), "manager").get("/reports/download?kind=half_year&year=2026&unit=517"))
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4 == "9" and ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1


def test_the_printable_page_shows_the_same_figures_on_a4_landscape(app):
    _world()
    c = sign_in(app.test_client(), "reviewer")
    html = c.get("/reports/view?kind=half_year&year=2026&unit=517&figures=today").get_data(as_text=True)
    assert "HUYỆN NÚI THÀNH" in html and "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM" in html
    assert 'class="paper report-sheet"' in html and "data-print" in html
    total = re.search(r'<tr class="total">(.*?)</tr>', html, re.S).group(1)
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", total)
    assert cells[1] == "Tổng cộng" and cells[2 + [k for k, _ in periodic.COLUMNS].index("assessed")] == "3"
    with c.get("/static/web/style.css") as r:
        css = r.get_data(as_text=True)
    assert "@page landscape { size: A4 landscape" in css and ".report-sheet { page: landscape; }" in css
    page = c.get("/reports?unit=517").get_data(as_text=True)
    assert 'href="/reports?unit=20968"' in page and "/exports/" not in page  # communes below; exports are managers'
    assert c.get("/reports/view?kind=weekly&year=2026").status_code == 400


def test_every_sheet_text_comes_from_the_catalogue_in_both_languages():
    assert periodic.TEXT.problems() == []
    per = periodic.period("half_year", 2026)
    assert per.title("vi") == "Kết quả thực hiện xoá nhà tạm, nhà dột nát 6 tháng đầu năm 2026"
    assert per.text("en") == "(Reporting period: 01/01/2026 to 31/05/2026)"
    assert periodic.place_of("Thành phố Tam Kỳ") == "Tam Kỳ" and periodic.place_of("Xã Tam Xuân I") == "Tam Xuân I"
