"""The one test world for the server tests: units, users, forms, houses, surveys, photos, envelopes and
signed-in clients. Fixtures in `tests/server/conftest.py` and the access world build on these."""

from __future__ import annotations

import hashlib
import io
import re
import uuid
from datetime import UTC, datetime
from pathlib import Path

from PIL import Image

from forms.envelope import make_envelope
from forms.example import generate
from forms.search import search_text
from server.extensions import db
from server.models import Form, House, OrgUnit, Submission, User
from server.services.programme import forms as forms_service
from server.services.programme import unit_history
from server.services.surveys import signals

COMMUNE_TREE = [  # level, code, name, parent
    ("province", "49", "Tỉnh Quảng Nam", None),
    ("district", "517", "Huyện Núi Thành", "49"),
    ("district", "502", "Thành phố Tam Kỳ", "49"),
    ("commune", "20968", "Xã Tam Xuân I", "517"),
    ("commune", "20971", "Xã Tam Xuân II", "517"),
    ("commune", "20335", "Phường Tân Thạnh", "502"),
]
VILLAGES = [("village", f"209680{i}", f"Thôn {i}", "20968") for i in (1, 2, 3)]
UNITS = COMMUNE_TREE + VILLAGES
ANOTHER_PROVINCE = [
    ("province", "48", "Thành phố Đà Nẵng", None),
    ("district", "490", "Quận Liên Chiểu", "48"),
    ("commune", "20194", "Phường Hòa Minh", "490"),
]

def _q(name, type_, role=None, **more):
    return {"name": name, "type": type_, "label": {"vi": name, "en": name}, **({"role": role} if role else {}), **more}


_FUNDS = ["central_budget", "provincial_budget", "local_budget", "fund_for_the_poor", "gratitude_fund", "sponsor",
          "veterans_association"]
FORM = {
    "schema_version": 1, "form_id": "house_assessment", "version": "1",
    "title": {"vi": "Khảo sát nhà tạm", "en": "House assessment"},
    "questions": [
        {"name": "household", "type": "group", "label": {"vi": "Hộ gia đình", "en": "Household"}, "children": [
            {"name": "head_name", "type": "text", "label": {"vi": "Họ tên chủ hộ", "en": "Head of household"},
             "role": "head_name"}]},
        {"name": "location", "type": "geopoint", "label": {"vi": "Vị trí nhà", "en": "House location"},
         "role": "house_location"},
        {"name": "support_type", "type": "select_one", "list_name": "kind", "role": "support_kind",
         "label": {"vi": "Hình thức hỗ trợ", "en": "Support"}},
        {"name": "house_photo", "type": "image", "label": {"vi": "Ảnh nhà", "en": "House photo"}},
        _q("commune_code", "text", "commune"),
        {"name": "beneficiary_group", "type": "calculate", "role": "support_group", "calculation": "'other'"},
        {"name": "eligible", "type": "calculate", "role": "eligibility", "calculation": "'yes'"},
        *(_q(f"req_{src}", "integer", f"funds_{src}") for src in _FUNDS),
        _q("household_contribution", "integer", "funds_household"),
        _q("pledged_workdays", "integer", "workdays"),
    ],
    "choices": {"kind": [{"name": "new", "label": {"vi": "Xây mới", "en": "New build"}},
                         {"name": "repair", "label": {"vi": "Sửa chữa", "en": "Repair"}}]},
}
PROGRESS_FORM = {
    "schema_version": 1, "form_id": "construction_progress", "version": "1",
    "title": {"vi": "Theo dõi tiến độ", "en": "Progress"},
    "questions": [
        _q("stage", "select_one", "construction_stage", list_name="stage"),
        *(_q(f"rec_{src}", "integer", f"funds_{src}") for src in _FUNDS),
        _q("workdays_contributed", "integer", "workdays"),
    ],
    "choices": {"stage": [{"name": n, "label": {"vi": n, "en": n}}
                          for n in ("started", "stage_checked", "completed", "handed_over")]},
}


def unit(code: str, day=None) -> OrgUnit:
    """The unit with ``code`` in force on ``day`` (default today)."""
    return unit_history.by_code(db.session, code, day)


def make_units(rows=COMMUNE_TREE) -> dict[str, OrgUnit]:
    """The units of ``rows`` (level, code, name, parent code), flushed; keyed by code."""
    out: dict[str, OrgUnit] = {}
    for level, code, name, parent in rows:
        p = out.get(parent)
        u = OrgUnit(code=code, name=name, level=level, parent_id=p.id if p else None,
                    path=(p.path if p else "/") + code + "/")
        db.session.add(u)
        db.session.flush()
        out[code] = u
    return out


def make_user(username: str, role: str = "volunteer", code: str = "20968", password: str = "demo") -> User:
    u = User(username=username, role=role, org_unit_id=unit(code).id, password=password, full_name=username.title())
    db.session.add(u)
    db.session.flush()
    return u


def make_form() -> Form:
    """The test assessment form (and a construction-progress form), their questions declaring roles."""
    f = Form(form_id=FORM["form_id"], version=FORM["version"], definition=FORM)
    db.session.add_all([f, Form(form_id=PROGRESS_FORM["form_id"], version="1", definition=PROGRESS_FORM)])
    db.session.flush()
    return f


def make_house(code: str, status: str = "assessed", name: str = "Nguyễn Văn A", lat=15.45, lon=108.62) -> House:
    h = House(org_unit_id=unit(code).id, status=status, head_name=name, lat=lat, lon=lon,
              search_text=search_text(name) or None)  # as ingest writes it (survey_facts.house_facts)
    db.session.add(h)
    db.session.flush()
    return h


def make_submission(user: User, house: House, answers: dict | None = None, form_id="house_assessment") -> Submission:
    a = {"head_name": house.head_name, "location": f"{house.lat} {house.lon} 12 8", "support_type": "new"}
    a.update(answers or {})
    s = Submission(instance_id=str(uuid.uuid4()), form_id=form_id, form_version="1", org_unit_id=house.org_unit_id,
                   user_id=user.id, house_id=house.id, answers=a,
                   search_text=search_text(a.get("head_name"), a.get("id_number"), user.full_name, user.username))
    db.session.add(s)
    db.session.flush()
    signals.refresh(db.session, s)  # as ingest does: flags and signals are stored with the survey
    return s


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def sign_in(client, username: str, password: str = "demo"):
    token = csrf_of(client.get("/sign-in").get_data(as_text=True))
    r = client.post("/sign-in", data={"username": username, "password": password, "csrf_token": token})
    assert r.status_code == 302, r.get_data(as_text=True)[:500]
    return client


def token_of(client, path: str = "/review") -> str:
    return csrf_of(client.get(path).get_data(as_text=True))




# ---- the sync API: the library forms, valid envelopes, real JPEG bytes ----
LIBRARY = Path(__file__).resolve().parents[2] / "forms" / "library"


def publish(name: str = "house_assessment"):
    form, _ = forms_service.publish_file(db.session, LIBRARY / f"{name}.xlsx")
    db.session.commit()
    return form


def jpeg(seed: int = 0, size=(40, 30)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (seed * 40 % 255, 90, 160)).save(buf, "JPEG")
    return buf.getvalue()


def envelope(form_row, seed: int = 1, preset: dict | None = None, **overrides):
    form = forms_service.engine_form(form_row)
    answers = generate(form, seed=seed, preset=preset)
    blobs = {}
    attachments = []
    for i, name in enumerate(form.image_files(answers)):
        data = jpeg(seed * 10 + i)
        blobs[name] = data
        attachments.append({"name": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data),
                            "content_type": "image/jpeg"})
    env = make_envelope(form, str(uuid.uuid4()), answers, attachments, datetime.now(UTC).isoformat(),
                        form_version=form_row.version)
    env.update(overrides)
    return env, blobs


def xlsform(name: str = "house_assessment", version: str | None = None, cells: dict | None = None) -> bytes:
    """A library XLSForm changed as a form author would in Excel: ``version`` on the settings sheet,
    ``cells`` {(sheet, row, column header): value} (row as Excel numbers it, header = row 1)."""
    from openpyxl import load_workbook

    book = load_workbook(LIBRARY / f"{name}.xlsx")
    changes = dict(cells or {})
    if version is not None:
        changes[("settings", 2, "version")] = version
    for (sheet, row, header), value in changes.items():
        ws = book[sheet]
        col = next(c.column for c in ws[1] if c.value == header)
        ws.cell(row=row, column=col).value = value
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


# ---- photo storage, whatever the backend (file or S3) ------------------------------------------------------

def storage():
    """The running app's photo storage (server/app_storage.py): the local disk or the test's bucket."""
    from server import app_storage

    return app_storage.current()


def stored(sha256: str) -> bytes:
    """The bytes stored for a photo (small test photos only)."""
    with storage().open(sha256) as fh:
        return fh.read()


def age_upload(instance_id: str, name: str, hours: float) -> None:
    """Make an unfinished upload look untouched for `hours` (its file's mtime, or its database rows)."""
    import os
    import time

    import sqlalchemy as sa

    from server.models import UploadPart

    partials = storage().partials
    then = time.time() - hours * 3600
    if partials.kind == "file":
        os.utime(partials.partial(instance_id, name), (then, then))
        return
    db.session.execute(sa.update(UploadPart).where(UploadPart.instance_id == instance_id, UploadPart.name == name)
                       .values(touched_at=datetime.fromtimestamp(then, UTC)))
    db.session.commit()
