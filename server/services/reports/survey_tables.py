"""Surveys of one form as labelled tables (KoboToolbox's "labels" export): one column per question under its
label (Vietnamese, English, or the question names: ``labels``), choice labels, each repeat on its own sheet
(XLSX) or file (CSV in a zip) linked by house id and survey id, times in Vietnam with their offset.

The columns come from the form's newest version (``forms.tables.Flattener``); an older version's answers fill
the columns of the questions it shares by name. Rows are read with ``yield_per`` and leave as they come.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import sqlalchemy as sa

from forms.tables import LABELS, Flattener
from forms.text import Catalogue
from server.errors import DomainError
from server.models import OrgUnit, Submission, User
from server.services.accounts.access import in_subtree
from server.services.programme import forms as forms_service
from server.services.programme import unit_history
from server.services.reports.book import Sheet
from server.services.reports.formatting import vn_iso
from server.services.surveys.review import REVIEW_LABELS

HEADERS = Catalogue({  # the columns every survey row starts with (codes: the key itself)
    "house_id": {"vi": "Mã nhà", "en": "House id"},
    "instance_id": {"vi": "Mã khảo sát", "en": "Survey id"},
    "form_version": {"vi": "Phiên bản biểu mẫu", "en": "Form version"},
    "unit_code": {"vi": "Mã đơn vị", "en": "Unit code"},
    "unit_name": {"vi": "Đơn vị (xã, thôn)", "en": "Unit (commune, village)"},
    "volunteer": {"vi": "Người khảo sát", "en": "Surveyed by"},
    "received_at": {"vi": "Thời điểm nhận (giờ Việt Nam)", "en": "Received (Vietnam time)"},
    "review_status": {"vi": "Kết quả duyệt", "en": "Review"},
    "lat": {"vi": "Vĩ độ", "en": "Latitude"},
    "lon": {"vi": "Kinh độ", "en": "Longitude"},
    "position": {"vi": "Thứ tự", "en": "Item"},
})
META = ("house_id", "instance_id", "form_version", "unit_code", "unit_name", "volunteer", "received_at",
        "review_status", "lat", "lon")
META_WIDTHS = (9, 38, 12, 10, 22, 18, 26, 14, 11, 11)
LINK = ("house_id", "instance_id", "position")
LINK_WIDTHS = (9, 38, 8)
REVIEW_STATUSES = tuple(REVIEW_LABELS)
YIELD = 500  # surveys per round trip: a survey's answers are a few KB


def header(key: str, labels: str) -> str:
    return key if labels == "codes" else HEADERS.text(key, labels)


class SurveyTables:
    """The sheets of one form's surveys and the rows that fill them, for one label language."""

    def __init__(self, session, form_id: str, labels: str = "vi") -> None:
        if labels not in LABELS:
            raise DomainError("bad_labels", params={"labels": repr(labels)})
        self.form_row = forms_service.latest_one(session, form_id)  # unknown_form: 404
        form = forms_service.engine_form(self.form_row)
        communes = dict(session.execute(sa.select(OrgUnit.code, OrgUnit.name)).all()) if form.node_for("commune") \
            else {}
        self.flat = Flattener(form, labels, role_texts={"commune": communes})
        self.labels = labels
        main, *repeats = self.flat.tables
        self.sheets = [Sheet(main.title, [header(k, labels) for k in META] + [c.header for c in main.columns],
                             list(META_WIDTHS) + [c.width for c in main.columns])]
        self.sheets += [Sheet(t.title, [header(k, labels) for k in LINK] + [c.header for c in t.columns],
                              list(LINK_WIDTHS) + [c.width for c in t.columns]) for t in repeats]
        self.files = [f"{form_id}.csv"] + [f"{form_id}-{t.name}.csv" for t in repeats]

    def rows(self, session, unit, *, status: str | None = None, start: dt.datetime | None = None,
             end: dt.datetime | None = None, day: dt.date | None = None) -> Iterator[tuple[int, list]]:
        """(sheet index, cells): a survey's row, then one row per repeat item, survey by survey; the
        survey's unit is the one it belongs to on ``day`` (None: today)."""
        q = (sa.select(Submission.house_id, Submission.instance_id, Submission.form_version, OrgUnit.code,
                       OrgUnit.name, sa.func.coalesce(User.full_name, User.username), Submission.received_at,
                       Submission.review_status, Submission.lat, Submission.lon, Submission.answers)
             .select_from(Submission))
        q = unit_history.join_unit(q, Submission.org_unit_id, day, OrgUnit)[0]
        roots = unit_history.counterparts(session, unit, day)
        q = (q.outerjoin(User, User.id == Submission.user_id)
             .where(sa.or_(sa.false(), *(in_subtree(OrgUnit.path, r.path) for r in roots)),
                    Submission.form_id == self.form_row.form_id)
             .order_by(Submission.id).execution_options(yield_per=YIELD))
        if status:
            q = q.where(Submission.review_status == status)
        if start is not None:
            q = q.where(Submission.received_at >= start)
        if end is not None:
            q = q.where(Submission.received_at < end)
        flat, codes = self.flat, self.labels == "codes"
        review = {s: (s if codes else REVIEW_LABELS.text(s, self.labels)) for s in REVIEW_STATUSES}
        main_row, repeat_rows = flat.main_row, flat.repeat_rows
        for hid, iid, ver, code, name, who, received, state, lat, lon, answers in session.execute(q):
            answers = answers if isinstance(answers, dict) else {}
            iid = str(iid)
            yield 0, [hid, iid, ver, code, name, who, vn_iso(received), review.get(state, state), lat, lon,
                      *main_row(answers)]
            for index, position, cells in repeat_rows(answers):
                yield index, [hid, iid, position, *cells]
