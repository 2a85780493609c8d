"""Labelled exports (like KoboToolbox's "labels" export): one column per question under its Vietnamese label
(English, or the codes, on request), choice labels, the household members on their own sheet / file linked
by house id and survey id, Vietnam times, filters; the XLSX opens in openpyxl with a frozen bold header,
column widths, A4 landscape."""

import csv
import datetime as dt
import io
import uuid
import zipfile

from openpyxl import load_workbook

from forms.example import generate
from server.extensions import db
from server.models import Submission
from server.services.programme import forms as forms_service
from tests.server.world import make_house, make_units, make_user, publish, sign_in, unit

N = 7


def _world():
    make_units()
    make_user("manager", "manager", "49")
    vol = make_user("volunteer", "volunteer", "20968")
    form = forms_service.engine_form(publish())  # with its villages.csv
    members = 0
    for i in range(N):
        code = "20968" if i < 5 else "20335"
        answers = generate(form, seed=i)
        members += len(answers.get("members") or []) if code == "20968" else 0
        house = make_house(code, name=answers["head_name"])
        db.session.add(Submission(
            instance_id=str(uuid.uuid4()), form_id="house_assessment", form_version=form.version,
            org_unit_id=unit(code).id, user_id=vol.id, house_id=house.id, answers=answers,
            review_status="approved" if i % 2 else "received",
            received_at=dt.datetime(2026, 11, 1 + i, 20, 30, tzinfo=dt.UTC)))  # 03:30 the next day in Vietnam
    db.session.commit()
    return form, members


def _book(client, query=""):
    r = client.get(f"/exports/submissions.xlsx?unit=517{query}")
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    return load_workbook(io.BytesIO(r.data))


def test_the_xlsx_has_a_labelled_column_per_question_and_the_members_on_their_own_sheet(app):
    form, members = _world()
    c = sign_in(app.test_client(), "manager")
    wb = _book(c)
    main, rep = wb.worksheets
    assert main.title == "Khảo sát nhà tạm, nhà dột nát" and rep.title == "Thành viên khác trong hộ"
    head = [cell.value for cell in main[1]]
    assert head[:3] == ["Mã nhà", "Mã khảo sát", "Phiên bản biểu mẫu"]
    for label in ("Họ và tên chủ hộ", "Giới tính", "Hộ thuộc diện nào?", "Vị trí GPS của ngôi nhà — vĩ độ"):
        assert label in head, label
    assert main.max_row == 1 + 5  # the five surveys of Huyện Núi Thành (two are in Tam Kỳ)
    assert rep.max_row == 1 + members
    rows = [dict(zip(head, r, strict=True)) for r in main.iter_rows(min_row=2, values_only=True)]
    assert {r["Giới tính"] for r in rows} <= {"Nam", "Nữ"}  # choice labels, not codes
    assert {r["Mã xã"] for r in rows} == {"Xã Tam Xuân I"}  # the commune's name for its code
    assert rows[0]["Thời điểm nhận (giờ Việt Nam)"] == "2026-11-02T03:30:00+07:00"
    assert {r["Kết quả duyệt"] for r in rows} == {"Đã duyệt", "Chờ duyệt"}
    # the members' rows point back at their survey and house
    ids = {(r["Mã nhà"], r["Mã khảo sát"]) for r in rows}
    rep_head = [cell.value for cell in rep[1]]
    assert rep_head[:4] == ["Mã nhà", "Mã khảo sát", "Thứ tự", "Họ và tên"]
    assert {(r[0], r[1]) for r in rep.iter_rows(min_row=2, values_only=True)} <= ids
    # paper and screen: frozen bold header, widths, A4 landscape, the header on every printed page
    assert main.freeze_panes == "A2" and main["A1"].font.b
    assert main.column_dimensions["B"].width == 38
    assert str(main.page_setup.paperSize) == "9" and main.page_setup.orientation == "landscape"
    assert main.print_title_rows == "$1:$1"


def test_english_headers_and_the_codes_variant(app):
    _world()
    c = sign_in(app.test_client(), "manager")
    en = _book(c, "&labels=en").worksheets[0]
    head = [cell.value for cell in en[1]]
    assert en.title.startswith("Temporary")  # a sheet name holds no «/» and 31 characters at most
    assert head[:2] == ["House id", "Survey id"] and "Name of the household head" in head
    codes = _book(c, "&labels=codes").worksheets[0]
    head = [cell.value for cell in codes[1]]
    assert head[:2] == ["house_id", "instance_id"] and "head_gender" in head
    genders = {r[head.index("head_gender")] for r in codes.iter_rows(min_row=2, values_only=True)}
    assert genders <= {"male", "female"}


def test_filters_by_unit_status_and_days_in_vietnam(app):
    _world()
    c = sign_in(app.test_client(), "manager")
    assert _book(c, "&status=approved").worksheets[0].max_row == 1 + 2  # surveys 1 and 3 of Núi Thành
    # received 20:30 UTC on 1 Nov = 03:30 on 2 Nov in Vietnam: a day in Vietnam, not in UTC
    day = _book(c, "&date_from=02/11/2026&date_to=02/11/2026").worksheets[0]
    assert day.max_row == 1 + 1 and day["G2"].value == "2026-11-02T03:30:00+07:00"
    assert _book(c, "&date_from=2026-11-03").worksheets[0].max_row == 1 + 4
    assert _book(c, "&date_to=01/11/2026").worksheets[0].max_row == 1  # nothing received on 1 Nov in Vietnam
    r = c.get("/exports/submissions.xlsx?unit=20335")
    assert load_workbook(io.BytesIO(r.data)).worksheets[0].max_row == 1 + 2
    for query, status in (("labels=fr", 400), ("status=maybe", 422), ("date_from=31/02/2026", 400),
                          ("form=no_such_form", 404)):
        assert c.get(f"/exports/submissions.xlsx?{query}").status_code == status, query


def test_csv_is_a_zip_with_one_file_per_repeat(app):
    _, members = _world()
    c = sign_in(app.test_client(), "manager")
    r = c.get("/exports/submissions.csv?unit=517")
    assert r.status_code == 200 and r.mimetype == "application/zip"
    assert r.headers["Content-Disposition"].endswith('-csv.zip"')
    with zipfile.ZipFile(io.BytesIO(r.data)) as z:
        assert z.namelist() == ["house_assessment.csv", "house_assessment-members.csv"]
        main = list(csv.reader(io.StringIO(z.read("house_assessment.csv").decode("utf-8-sig"))))
        rep = list(csv.reader(io.StringIO(z.read("house_assessment-members.csv").decode("utf-8-sig"))))
    assert main[0][0] == "Mã nhà" and "Họ và tên chủ hộ" in main[0] and len(main) == 1 + 5
    assert rep[0][:3] == ["Mã nhà", "Mã khảo sát", "Thứ tự"] and len(rep) == 1 + members


def test_the_houses_xlsx_has_labelled_headers_widths_and_a4(app):
    _world()
    ws = load_workbook(io.BytesIO(sign_in(app.test_client(), "manager").get("/exports/houses.xlsx").data)).active
    assert [c.value for c in ws[1]][:4] == ["Mã nhà", "Mã đơn vị", "Đơn vị (xã, thôn)", "Trạng thái"]
    assert ws.max_row == 1 + N and ws.freeze_panes == "A2" and str(ws.page_setup.paperSize) == "9"
    assert ws.column_dimensions["E"].width == 24
