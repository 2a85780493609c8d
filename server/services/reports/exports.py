"""Streaming exports (CSV, XLSX, GeoJSON) of houses and of surveys, with labelled columns.

Rows come from the database with ``yield_per`` and leave as chunks from a generator, so memory stays
flat for 500,000 rows. Headers are in Vietnamese (default), English, or the column / question names
(``labels``: vi, en, codes); statuses and choices in words. The XLSX (``book``: frozen bold header,
column widths, A4) and the zip of CSV files are written to a temporary file (a zip cannot be streamed
before its central directory is known), then read back in chunks. Surveys: ``survey_tables``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Iterator, Sequence

import sqlalchemy as sa

from forms import clock
from forms.tables import LABELS
from forms.text import Catalogue
from server.errors import DomainError
from server.models import House, OrgUnit
from server.models.funding import HouseFunding
from server.models.houses import HOUSE_STATUSES
from server.params import day_after, parse_day
from server.services.accounts.access import in_subtree
from server.services.houses.funding import SUPPORT_SOURCES
from server.services.houses.lifecycle import status_label
from server.services.programme import unit_history
from server.services.reports import book, survey_tables
from server.services.reports.spreadsheet_text import csv_cell

FORMATS = {"csv": "text/csv; charset=utf-8", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           "geojson": "application/geo+json"}
DEFAULT_FORM = "house_assessment"  # the surveys exported when no form is named
BATCH = 1000


def csv_chunks(columns: Sequence[str], rows: Iterable[Sequence]) -> Iterator[str]:
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\r\n")  # quotes a cell holding CR or LF (one record, one row)
    buf.write("\ufeff")  # so that Excel opens UTF-8 Vietnamese correctly
    out.writerow(columns)
    for i, row in enumerate(rows, start=1):
        out.writerow(["" if v is None else csv_cell(v) for v in row])
        if i % BATCH == 0:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


def geojson_chunks(columns: Sequence[str], rows: Iterable[Sequence], ilat: int, ilon: int) -> Iterator[str]:
    """A FeatureCollection (properties: every other column); rows without coordinates get a null geometry."""
    yield '{"type":"FeatureCollection","features":[\n'
    parts: list[str] = []
    first = True
    for row in rows:
        props = {c: v for j, (c, v) in enumerate(zip(columns, row, strict=True)) if j not in (ilat, ilon)}
        y, x = row[ilat], row[ilon]
        geom = {"type": "Point", "coordinates": [x, y]} if x is not None and y is not None else None
        parts.append(("" if first else ",\n") + json.dumps(
            {"type": "Feature", "geometry": geom, "properties": props}, ensure_ascii=False, default=str))
        first = False
        if len(parts) >= BATCH:
            yield "".join(parts)
            parts = []
    parts.append("\n]}\n")
    yield "".join(parts)


# ---- houses -------------------------------------------------------------------------------------------
HOUSE_COLUMNS = ["house_id", "unit_code", "unit_name", "status", "head_name", "lat", "lon",
                 "support_planned", "support_disbursed", "workdays"]
HOUSE_HEADERS = Catalogue({
    "title": {"vi": "Danh sách nhà", "en": "Houses"},
    "house_id": {"vi": "Mã nhà", "en": "House id"},
    "unit_code": {"vi": "Mã đơn vị", "en": "Unit code"},
    "unit_name": {"vi": "Đơn vị (xã, thôn)", "en": "Unit (commune, village)"},
    "status": {"vi": "Trạng thái", "en": "Status"},
    "head_name": {"vi": "Họ tên chủ hộ", "en": "Head of household"},
    "lat": {"vi": "Vĩ độ", "en": "Latitude"},
    "lon": {"vi": "Kinh độ", "en": "Longitude"},
    "support_planned": {"vi": "Kinh phí hỗ trợ cam kết (đồng)", "en": "Support committed (VND)"},
    "support_disbursed": {"vi": "Kinh phí đã giải ngân (đồng)", "en": "Support disbursed (VND)"},
    "workdays": {"vi": "Ngày công", "en": "Workdays"},
})
HOUSE_WIDTHS = (9, 10, 22, 14, 24, 11, 11, 16, 16, 10)
YIELD = 2000


def _within(session, unit, day, path_col):
    """SQL: ``path_col`` lies in ``unit``'s subtree by the tree of ``day`` (its counterparts then)."""
    roots = unit_history.counterparts(session, unit, day)
    return sa.or_(sa.false(), *(in_subtree(path_col, r.path) for r in roots))


def house_rows(session, unit, *, day: dt.date | None = None, status: str | None = None, start=None, end=None,
               lang: str | None = None) -> Iterator[tuple]:
    """One row per house of ``unit``'s subtree by the tree of ``day`` (None: today's) (HOUSE_COLUMNS);
    ``lang``: the status in words."""
    cols = (House.id, OrgUnit.code, OrgUnit.name, House.status, House.head_name, House.lat, House.lon)
    support = HouseFunding.source.in_(SUPPORT_SOURCES)
    q = (sa.select(*cols, sa.func.coalesce(sa.func.sum(sa.case((support, HouseFunding.planned), else_=0)), 0),
                   sa.func.coalesce(sa.func.sum(sa.case((support, HouseFunding.disbursed), else_=0)), 0),
                   sa.func.coalesce(sa.func.sum(HouseFunding.workdays), 0)).select_from(House))
    q = unit_history.join_unit(q, House.org_unit_id, day, OrgUnit)[0]
    q = (q.outerjoin(HouseFunding, HouseFunding.house_id == House.id)
         .where(_within(session, unit, day, OrgUnit.path)).group_by(*cols).order_by(House.id)
         .execution_options(yield_per=YIELD))
    if status:
        q = q.where(House.status == status)
    if start is not None:
        q = q.where(House.created_at >= start)
    if end is not None:
        q = q.where(House.created_at < end)
    if lang is None:
        for row in session.execute(q):
            yield tuple(row)
        return
    words = {s: status_label(s, lang) for s in HOUSE_STATUSES}
    for hid, code, name, st, head, lat, lon, planned, disbursed, days in session.execute(q):
        yield hid, code, name, words.get(st, st), head, lat, lon, planned, disbursed, days


def _window(date_from, date_to) -> tuple[dt.datetime | None, dt.datetime | None]:
    """Days in Vietnam (dd/mm/yyyy or YYYY-MM-DD, both ends included) as instants."""
    try:
        first, last = parse_day(date_from), parse_day(date_to)
    except ValueError:
        raise DomainError("bad_date") from None
    after = day_after(last) if last else None

    def instant(day):  # in UTC: SQLite keeps UTC wall-clock text and compares bounds as text
        return dt.datetime.combine(day, dt.time.min, clock.VIETNAM).astimezone(dt.UTC) if day else None
    return instant(first), instant(after)


def export(session, unit, what: str, fmt: str, *, now=None, labels: str = "vi", form_id: str | None = None,
           status: str | None = None, date_from=None, date_to=None, as_of: dt.date | None = None
           ) -> tuple[str, str, Iterator]:
    """(file name, content type, chunk generator) for the houses or the surveys of one form of ``unit``'s
    subtree, filtered by ``status`` (a house's status; a survey's review status) and days in Vietnam
    (``date_from`` .. ``date_to``: when a house was recorded, when a survey was received). Headers in
    ``labels`` (vi, en, or codes: the column and question names). Surveys in CSV are a zip (one file per
    repeat) when the form has repeats. The file name carries when it was made, in Vietnam (``now``,
    default the clock); times inside carry their offset (+07:00). Units: the tree in force on ``as_of``
    (None: today's)."""
    if what not in ("houses", "submissions"):
        raise DomainError("bad_export", params={"what": repr(what)})
    if fmt not in FORMATS:
        raise DomainError("bad_format", params={"format": repr(fmt)})
    if labels not in LABELS:
        raise DomainError("bad_labels", params={"labels": repr(labels)})
    if status and status not in (HOUSE_STATUSES if what == "houses" else survey_tables.REVIEW_STATUSES):
        raise DomainError("bad_status")  # checked here: the rows are read only once the answer streams
    start, end = _window(date_from, date_to)
    made = clock.in_vietnam(now) if now is not None else clock.now()
    stamp = f"{unit.code}-{made:%Y%m%d-%H%M}"
    if what == "houses":
        heads = [c if labels == "codes" else HOUSE_HEADERS.text(c, labels) for c in HOUSE_COLUMNS]
        rows = house_rows(session, unit, day=as_of, status=status, start=start, end=end,
                          lang=None if labels == "codes" else labels)
        if fmt == "geojson":
            chunks = geojson_chunks(heads, rows, HOUSE_COLUMNS.index("lat"), HOUSE_COLUMNS.index("lon"))
        elif fmt == "csv":
            chunks = csv_chunks(heads, rows)
        else:
            chunks = book.xlsx([book.Sheet(HOUSE_HEADERS.text("title", labels), heads, HOUSE_WIDTHS)],
                               ((0, r) for r in rows))
        return f"houses-{stamp}.{fmt}", FORMATS[fmt], chunks
    tables = survey_tables.SurveyTables(session, form_id or DEFAULT_FORM, labels)
    rows = tables.rows(session, unit, status=status, start=start, end=end, day=as_of)
    name = f"submissions-{tables.form_row.form_id}-{stamp}"
    if fmt == "xlsx":
        return f"{name}.xlsx", FORMATS[fmt], book.xlsx(tables.sheets, rows)
    if fmt == "geojson":
        main = tables.sheets[0].columns
        ilat, ilon = survey_tables.META.index("lat"), survey_tables.META.index("lon")
        return f"{name}.geojson", FORMATS[fmt], geojson_chunks(main, (r for i, r in rows if i == 0), ilat, ilon)
    if len(tables.sheets) == 1:
        return f"{name}.csv", FORMATS[fmt], csv_chunks(tables.sheets[0].columns, (r for _, r in rows))
    return f"{name}-csv.zip", "application/zip", book.csv_zip(tables.sheets, rows, tables.files)
