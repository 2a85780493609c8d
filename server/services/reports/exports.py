"""Streaming exports (CSV, XLSX, GeoJSON) of houses and submissions.

Rows come from the database with ``yield_per`` and leave as chunks from a generator, so memory stays
flat for 500,000 rows. XLSX is written row by row (plain SpreadsheetML, inline strings) into a temporary zip file (a zip
cannot be streamed before its central directory is known), which is then read back in chunks.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from xml.sax.saxutils import escape as xml_escape

import sqlalchemy as sa

from forms import clock
from server.errors import DomainError
from server.models import House, OrgUnit, Submission
from server.models.funding import HouseFunding
from server.services.accounts.access import in_subtree
from server.services.houses.funding import SUPPORT_SOURCES
from server.services.programme import unit_history
from server.services.reports.formatting import vn_iso
from server.services.reports.spreadsheet_text import csv_cell

FORMATS = {"csv": "text/csv; charset=utf-8", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           "geojson": "application/geo+json"}
BATCH = 1000
CHUNK = 64 * 1024


class LongText(str):
    """A multi-KB cell (a survey's answers as JSON) that the CSV writer quotes with str.replace:
    the csv module spends ~40 µs on a 4 KB field, four times the rest of the row."""


def csv_chunks(columns: Sequence[str], rows: Iterable[Sequence]) -> Iterator[str]:
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\r\n")  # quotes a cell holding CR or LF (one record, one row)
    buf.write("\ufeff")  # so that Excel opens UTF-8 Vietnamese correctly
    out.writerow(columns)
    for i, row in enumerate(rows, start=1):
        cells = ["" if v is None else csv_cell(v) for v in row]
        last = cells[-1] if cells else None
        if isinstance(last, LongText) and len(cells) > 1:
            out.writerow(cells[:-1])
            buf.seek(buf.tell() - 2)  # back over the row's CRLF, to append the long cell
            buf.write(',"' + last.replace('"', '""') + '"\r\n')
        else:
            out.writerow(cells)
        if i % BATCH == 0:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


_XLSX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'),
}
_BAD_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _cell(value) -> str:
    if value is None:
        return "<c/>"
    if isinstance(value, bool):
        return f'<c t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        return f"<c><v>{value!r}</v></c>"
    text = _BAD_XML.sub("", value if isinstance(value, str) else str(value))
    return f'<c t="inlineStr"><is><t xml:space="preserve">{xml_escape(text)}</t></is></c>'


def xlsx_chunks(columns: Sequence[str], rows: Iterable[Sequence], title: str = "data") -> Iterator[bytes]:
    """A minimal SpreadsheetML workbook (inline strings, one sheet) written row by row into a zip on
    disk, then read back in chunks: flat memory, and several times faster than openpyxl's writer."""
    fd, path = tempfile.mkstemp(prefix="maiam-export-", suffix=".xlsx")
    os.close(fd)
    try:
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
            for name, text in _XLSX_PARTS.items():
                zf.writestr(name, text)
            sheet = xml_escape(title[:31], {'"': "&quot;"})
            zf.writestr("xl/workbook.xml", (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                f'<sheets><sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>'))
            with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out:
                out.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                          b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                          b"<sheetData>")
                buf = ["<row>" + "".join(_cell(c) for c in columns) + "</row>"]
                for i, row in enumerate(rows, start=1):
                    buf.append("<row>" + "".join(_cell(v) for v in row) + "</row>")
                    if i % BATCH == 0:
                        out.write("".join(buf).encode())
                        buf = []
                buf.append("</sheetData></worksheet>")
                out.write("".join(buf).encode())
        with open(path, "rb") as fh:
            while chunk := fh.read(CHUNK):
                yield chunk
    finally:
        os.unlink(path)


def geojson_chunks(columns: Sequence[str], rows: Iterable[Sequence], lat: str = "lat", lon: str = "lon") -> Iterator[str]:
    """A FeatureCollection; rows without coordinates become features with a null geometry."""
    ilat, ilon = columns.index(lat), columns.index(lon)
    yield '{"type":"FeatureCollection","features":[\n'
    parts: list[str] = []
    first = True
    for row in rows:
        props = {c: v for c, v in zip(columns, row, strict=True) if c not in (lat, lon)}
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


def stream(fmt: str, columns: Sequence[str], rows: Iterable[Sequence], title: str = "data") -> Iterator:
    if fmt == "csv":
        return csv_chunks(columns, rows)
    if fmt == "xlsx":
        return xlsx_chunks(columns, rows, title)
    if fmt == "geojson":
        return geojson_chunks(columns, rows)
    raise DomainError("bad_format", params={"format": repr(fmt)})


# ---- row sources (server-side cursors via yield_per) ----------------------------------------------------
HOUSE_COLUMNS = ["house_id", "unit_code", "unit_name", "status", "head_name", "lat", "lon",
                 "support_planned", "support_disbursed", "workdays"]
SUBMISSION_COLUMNS = ["instance_id", "form_id", "form_version", "unit_code", "house_id", "review_status",
                      "received_at", "lat", "lon", "answers"]
YIELD = 2000


def _within(session, unit, day, path_col):
    """SQL: ``path_col`` lies in ``unit``'s subtree by the tree of ``day`` (its counterparts then)."""
    roots = unit_history.counterparts(session, unit, day)
    return sa.or_(sa.false(), *(in_subtree(path_col, r.path) for r in roots))


def house_rows(session, unit, day: dt.date | None = None) -> Iterator[tuple]:
    """Each house with its unit on ``day`` (None: today)."""
    cols = (House.id, OrgUnit.code, OrgUnit.name, House.status, House.head_name, House.lat, House.lon)

    support = HouseFunding.source.in_(SUPPORT_SOURCES)
    q = (sa.select(*cols, sa.func.coalesce(sa.func.sum(sa.case((support, HouseFunding.planned), else_=0)), 0),
                   sa.func.coalesce(sa.func.sum(sa.case((support, HouseFunding.disbursed), else_=0)), 0),
                   sa.func.coalesce(sa.func.sum(HouseFunding.workdays), 0)).select_from(House))
    q = unit_history.join_unit(q, House.org_unit_id, day, OrgUnit)[0]
    q = (q.outerjoin(HouseFunding, HouseFunding.house_id == House.id)
         .where(_within(session, unit, day, OrgUnit.path)).group_by(*cols).order_by(House.id)
         .execution_options(yield_per=YIELD))
    for row in session.execute(q):
        yield tuple(row)


def submission_rows(session, unit, day: dt.date | None = None) -> Iterator[tuple]:
    """Answers leave as the database's JSON text (no decode / re-encode per row); the position comes
    from the columns ingest filled from the survey's geopoint. The unit: the survey's on ``day``."""
    q = (sa.select(Submission.instance_id, Submission.form_id, Submission.form_version, OrgUnit.code,
                   Submission.house_id, Submission.review_status, Submission.received_at, Submission.lat,
                   Submission.lon, sa.cast(Submission.answers, sa.Text)).select_from(Submission))
    q = unit_history.join_unit(q, Submission.org_unit_id, day, OrgUnit)[0]
    q = (q.where(_within(session, unit, day, OrgUnit.path)).order_by(Submission.id)
         .execution_options(yield_per=YIELD))
    for iid, fid, ver, code, hid, status, received, lat, lon, answers in session.execute(q):
        yield (str(iid), fid, ver, code, hid, status, vn_iso(received), lat, lon,
               LongText(answers or "{}"))


def export(session, unit, what: str, fmt: str, *, now=None, as_of: dt.date | None = None
           ) -> tuple[str, str, Iterator]:
    """(file name, content type, chunk generator) for houses or submissions of ``unit``'s subtree by the
    tree in force on ``as_of`` (None: today's). The file name carries when it was made, in Vietnam
    (``now``, default the clock); times inside carry their offset (+07:00)."""
    if what == "houses":
        columns, rows = HOUSE_COLUMNS, house_rows(session, unit, as_of)
    elif what == "submissions":
        columns, rows = SUBMISSION_COLUMNS, submission_rows(session, unit, as_of)
    else:
        raise DomainError("bad_export", params={"what": repr(what)})
    if fmt not in FORMATS:
        raise DomainError("bad_format", params={"format": repr(fmt)})
    made = clock.in_vietnam(now) if now is not None else clock.now()
    return f"{what}-{unit.code}-{made:%Y%m%d-%H%M}.{fmt}", FORMATS[fmt], stream(fmt, columns, rows, title=what)
