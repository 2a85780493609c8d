"""The forms page: an XLSForm with a mistake is refused with sheet / row / column in Vietnamese and nothing
stored; a good one is previewed page by page, then published as a new version that the phone's API
serves; a version already used is refused with a new one offered (ODK Central's rule); the versions list
counts surveys within the user's subtree; the XLSX of any version comes back byte for byte."""

from __future__ import annotations

import datetime as dt
import html
import io
import logging
import zipfile

import pytest

from forms.clock import VIETNAM
from server.extensions import db
from server.models import Form, FormDraft, Submission
from server.services.programme import form_drafts
from server.services.programme import forms as forms_service
from tests.server.world import LIBRARY, make_units, make_user, publish, sign_in, token_of, xlsform

NOW = dt.datetime(2026, 12, 5, 9, 30, tzinfo=VIETNAM)
BROKEN = {("survey", 11, "relevant"): "${khong_co_cau_nay} = 'yes'"}          # address_detail shown on a name that is not there
NEW_LABEL = {("survey", 11, "label::Tiếng Việt (vi)"): "Địa chỉ chi tiết (xóm, số nhà, ngõ)"}


@pytest.fixture
def world(app):
    app.config["CLOCK"] = lambda: NOW
    make_units()
    make_units([("province", "48", "Thành phố Đà Nẵng", None)])
    for username, role, code in (("admin", "admin", "49"), ("manager", "manager", "49"), ("reviewer", "reviewer", "517"),
                                 ("volunteer", "volunteer", "20968"), ("volunteer2", "volunteer", "20971"),
                                 ("danang", "manager", "48")):
        make_user(username, role, code)
    db.session.commit()
    return publish()  # house_assessment, version 2026120201, from the library XLSX


VILLAGES = LIBRARY / "house_assessment-media" / "villages.csv"   # the house assessment's select_one_from_file


def upload(client, data: bytes, name: str = "house_assessment.xlsx", media: dict | None = None):
    """Post the XLSForm with its media files (default: the library's villages.csv), as the page's form does."""
    media = {VILLAGES.name: VILLAGES.read_bytes()} if media is None else media
    fields = {"csrf_token": token_of(client, "/forms"), "xlsform": (io.BytesIO(data), name),
              "media": [(io.BytesIO(body), filename) for filename, body in media.items()]}
    r = client.post("/forms/upload", data=fields, content_type="multipart/form-data")
    r.request.environ["wsgi.input"].close()  # the test client's encoded body (a temporary file when large)
    return r


def page(resp) -> str:
    return html.unescape(resp.get_data(as_text=True))


def test_a_mistake_is_named_by_sheet_row_and_column_in_vietnamese_and_nothing_is_kept(app, world):
    c = sign_in(app.test_client(), "admin")
    r = upload(c, xlsform(version="2026120501", cells=BROKEN))
    text = page(r)
    assert r.status_code == 422
    assert "Biểu mẫu có 1 lỗi" in text
    row = text[text.index('class="list problems"'):]
    assert "survey" in row and ">11<" in row and "relevant" in row and "(J)" in row
    assert "Cột 'relevant' dùng ${khong_co_cau_nay}, nhưng không có câu hỏi nào tên «khong_co_cau_nay»" in row
    assert db.session.query(FormDraft).count() == 0 and db.session.query(Form).count() == 1


def test_preview_shows_every_page_as_the_phone_then_publish_makes_the_new_version(app, world, caplog):
    c = sign_in(app.test_client(), "manager")
    data = xlsform(version="2026120501", cells=NEW_LABEL)
    r = upload(c, data)
    assert r.status_code == 302 and "/forms/drafts/" in r.headers["Location"]
    text = page(c.get(r.headers["Location"]))
    assert "Địa chỉ chi tiết (xóm, số nhà, ngõ)" in text                 # the changed label
    assert "Trang 1/13" in text and "Trang 13/13" in text                  # every page, also conditional ones
    assert "Chỉ hiện khi «Thôn / tổ dân phố» là «Thôn khác (ghi tên bên dưới)»." in text
    assert "Chỉ hiện khi «Hộ đã từng được hỗ trợ nhà ở chưa?» là «Có»." in text
    assert "Nếu sai, máy báo: «Số CCCD gồm đúng 12 chữ số.»" in text       # a constraint's message
    assert "Gồm 12 chữ số, in trên thẻ căn cước." in text                   # a hint
    assert "Thành viên khác trong hộ [1]" in text                          # a repeat shows one item
    assert "Số mục: «Số người trong hộ (kể cả chủ hộ)» - 1." in text        # and how many it will have
    assert "Phát hành phiên bản «2026120501»" in text
    api = app.test_client()
    token = api.post("/api/v1/auth/token", json={"username": "volunteer", "password": "demo"}).get_json()["token"]
    listed = api.get("/api/v1/forms", headers={"Authorization": f"Bearer {token}"}).get_json()
    assert {f["form_id"]: f["version"] for f in listed}["house_assessment"] == "2026120201"  # a draft is not served
    draft_url = r.headers["Location"]
    with caplog.at_level(logging.INFO, logger="maiam.audit"):
        r = c.post(draft_url + "/publish", data={"csrf_token": token_of(c, draft_url)})
    assert r.status_code == 302
    assert "Đã phát hành biểu mẫu house_assessment, phiên bản «2026120501»" in page(c.get("/forms"))
    assert any("form_published" in m and '"2026120501"' in m and '"manager"' in m for m in caplog.messages)
    listed = api.get("/api/v1/forms", headers={"Authorization": f"Bearer {token}"}).get_json()
    assert {f["form_id"]: f["version"] for f in listed}["house_assessment"] == "2026120501"
    served = api.get("/api/v1/forms/house_assessment", headers={"Authorization": f"Bearer {token}"}).get_json()
    assert served["version"] == "2026120501"
    row = db.session.query(Form).filter_by(form_id="house_assessment", version="2026120501").one()
    assert row.source == data and row.published_at.astimezone(VIETNAM) == NOW
    assert db.session.query(FormDraft).count() == 0  # published: the draft is gone
    assert c.get(draft_url).status_code == 404


def test_media_files_go_with_the_draft_to_the_version_and_a_missing_one_is_named(app, world):
    c = sign_in(app.test_client(), "manager")
    r = upload(c, xlsform(version="2026120501"), media={})
    assert r.status_code == 422 and "villages.csv" in page(r)
    assert db.session.query(FormDraft).count() == 0
    changed = VILLAGES.read_bytes().replace(b"\n", b"\r\n")           # another villages.csv: a new version
    r = upload(c, xlsform(version="2026120501"), media={"villages.csv": changed})
    draft_url = r.headers["Location"]
    text = page(c.get(draft_url))                                    # the preview reads the villages
    assert "<li>Thôn 1</li><li>Thôn 2</li>" in text and "«Thôn khác (ghi tên bên dưới)»" in text
    assert c.post(draft_url + "/publish", data={"csrf_token": token_of(c, draft_url)}).status_code == 302
    row = db.session.query(Form).filter_by(version="2026120501").one()
    assert forms_service.media_file(db.session, row, "villages.csv") == changed
    assert "Trang 13/13" in page(c.get("/forms/house_assessment/versions/2026120501"))
    too_many = {f"list{i}.csv": b"name,label\na,A\n" for i in range(form_drafts.MAX_MEDIA_FILES + 1)}
    r = upload(c, xlsform(version="2026120502"), media=too_many)
    assert r.status_code == 413 and "tối đa 20 tệp" in page(r)


def test_a_used_version_is_refused_and_a_new_one_is_offered(app, world):
    c = sign_in(app.test_client(), "admin")
    r = upload(c, xlsform(cells=NEW_LABEL))  # changed, but the settings still say 2026120201
    draft_url = r.headers["Location"]
    text = page(c.get(draft_url))
    assert "Phiên bản «2026120201» của biểu mẫu house_assessment đã được phát hành ngày" in text
    assert 'value="2026120501"' in text  # today's first free yyyymmddNN
    r = c.post(draft_url + "/publish", data={"csrf_token": token_of(c, draft_url), "version": "2026120201"})
    assert r.status_code == 409 and "đã được phát hành" in page(r)
    r = c.post(draft_url + "/publish", data={"csrf_token": token_of(c, draft_url), "version": "bản mới!"})
    assert r.status_code == 422 and "Phiên bản chỉ gồm chữ, số" in page(r)
    r = c.post(draft_url + "/publish", data={"csrf_token": token_of(c, draft_url), "version": "2026120501"})
    assert r.status_code == 302
    row = db.session.query(Form).filter_by(version="2026120501").one()
    assert row.definition["version"] == "2026120501"


def test_the_same_file_again_is_nothing_new(app, world):
    c = sign_in(app.test_client(), "admin")
    r = upload(c, (LIBRARY / "house_assessment.xlsx").read_bytes())
    draft_url = r.headers["Location"]
    r = c.post(draft_url + "/publish", data={"csrf_token": token_of(c, draft_url)})
    assert r.status_code == 409 and "giống hệt phiên bản «2026120201»" in page(r)
    assert db.session.query(Form).filter_by(form_id="house_assessment").count() == 1


def _zip(parts: dict) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, body in parts.items():
            z.writestr(name, body)
    return buf.getvalue()


@pytest.mark.parametrize("data,name,status,words", [
    (b"type,name,label\ntext,a,A\n", "house_assessment.xlsx", 415, "không phải bảng tính Excel .xlsx"),
    (_zip({"word/document.xml": "<w/>"}), "letter.xlsx", 415, "không phải bảng tính Excel .xlsx"),
    (b"PK\x03\x04" + b"\0" * 100, "broken.xlsx", 415, "không phải bảng tính Excel .xlsx"),
    (b"x" * (form_drafts.MAX_XLSFORM_BYTES + 1), "big.xlsx", 413, "quá lớn (tối đa 5 MB)"),
    (b"", "empty.xlsx", 422, "Hãy chọn tệp XLSForm"),
])
def test_what_is_not_a_sane_xlsx_is_refused_by_its_content(app, world, data, name, status, words):
    c = sign_in(app.test_client(), "admin")
    r = upload(c, data, name)
    assert r.status_code == status and words in page(r)
    assert db.session.query(FormDraft).count() == 0


def test_a_zip_bomb_is_refused_before_it_is_opened(app, world):
    parts = {"[Content_Types].xml": "<x/>", "xl/workbook.xml": "<x/>"}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for n, body in parts.items():
            z.writestr(n, body)
        z.writestr("xl/worksheets/sheet1.xml", b"0" * (form_drafts.MAX_UNPACKED_BYTES + 1))
    assert len(buf.getvalue()) < form_drafts.MAX_XLSFORM_BYTES
    r = upload(sign_in(app.test_client(), "admin"), buf.getvalue())
    assert r.status_code == 415


def _survey(version: str, code: str, user, received: dt.datetime) -> None:
    from tests.server.world import unit

    db.session.add(Submission(instance_id=f"{version}-{code}-{received:%j%H%M%S%f}", form_id="house_assessment",
                              form_version=version, org_unit_id=unit(code).id, user_id=user.id, answers={},
                              received_at=received))


def test_versions_list_counts_surveys_in_the_subtree_and_names_versions_phones_still_send(app, world):
    from server.models import User

    c = sign_in(app.test_client(), "admin")
    upload_url = upload(c, xlsform(version="2026120501", cells=NEW_LABEL)).headers["Location"]
    c.post(upload_url + "/publish", data={"csrf_token": token_of(c, upload_url)})
    vol = db.session.query(User).filter_by(username="volunteer").one()
    for days in (40, 3, 1):  # the old version, still sent 1 day ago
        _survey("2026120201", "20968", vol, NOW - dt.timedelta(days=days))
    _survey("2026120501", "20968", vol, NOW - dt.timedelta(hours=2))
    db.session.commit()
    text = page(c.get("/forms"))
    old = text[text.index('data-version="2026120201"'):]
    new = text[text.index('data-version="2026120501"'):text.index('data-version="2026120201"')]
    assert 'class="surveys">3<' in old and "Máy vẫn gửi bản này" in old and "04/12/2026" in old
    assert 'class="surveys">1<' in new and "Đang phát hành: máy tải bản này" in new
    assert "2 phiên bản · 4 khảo sát" in text
    other = sign_in(app.test_client(), "danang")  # another province: the same versions, none of the surveys
    text = page(other.get("/forms"))
    assert 'data-version="2026120201"' in text and "2 phiên bản · 0 khảo sát" in text


def test_the_xlsx_of_any_version_comes_back_byte_for_byte(app, world):
    c = sign_in(app.test_client(), "manager")
    data = xlsform(version="2026120501", cells=NEW_LABEL)
    draft_url = upload(c, data).headers["Location"]
    c.post(draft_url + "/publish", data={"csrf_token": token_of(c, draft_url)})
    r = c.get("/forms/house_assessment/versions/2026120501/xlsx")
    assert r.status_code == 200 and r.data == data
    assert 'filename="house_assessment-2026120501.xlsx"' in r.headers["Content-Disposition"]
    old = c.get("/forms/house_assessment/versions/2026120201/xlsx")
    assert old.data == (LIBRARY / "house_assessment.xlsx").read_bytes()
    assert c.get("/forms/house_assessment/versions/nope/xlsx").status_code == 404
    text = page(c.get("/forms/house_assessment/versions/2026120201"))  # a published version's preview
    assert "Địa chỉ chi tiết (xóm, số nhà)" in text and "Trang 13/13" in text


def test_drafts_belong_to_the_uploaders_subtree_roles_and_csrf(app, world):
    c = sign_in(app.test_client(), "admin")
    draft_url = upload(c, xlsform(version="2026120501")).headers["Location"]
    assert sign_in(app.test_client(), "manager").get(draft_url).status_code == 200   # same province
    danang = sign_in(app.test_client(), "danang")
    assert danang.get(draft_url).status_code == 404                                   # another province
    r = danang.post(draft_url + "/publish", data={"csrf_token": token_of(danang, "/forms")})
    assert r.status_code == 404
    reviewer = sign_in(app.test_client(), "reviewer")
    assert reviewer.get("/forms").status_code == 403 and reviewer.get(draft_url).status_code == 403
    assert c.post(draft_url + "/publish", data={}).status_code == 400                 # no CSRF token
    r = c.post("/forms/upload", data={"xlsform": (io.BytesIO(b"x"), "a.xlsx")}, content_type="multipart/form-data")
    assert r.status_code == 400
    assert db.session.query(Form).count() == 1
    assert "Biểu mẫu" in page(c.get("/forms")) and 'href="/forms"' in page(c.get("/forms"))  # in the menu
