"""Streamed workbooks: XLSX with several sheets, or CSV files in a zip, written row by row with flat memory.

Rows arrive as ``(sheet index, cells)`` in any interleaving (a survey's row, then its repeat items' rows).
Sheet 0 is written straight into its zip entry; the other sheets' rows are spooled to temporary files and
copied in after (a zip entry is written whole, one at a time). The finished zip is read back in chunks.

The XLSX is plain SpreadsheetML with inline strings (several times faster than openpyxl's writer, measured
in ``bench/rollup.py``): a bold, frozen header row repeated on every printed page, column widths, an
autofilter, A4 landscape. Text is always a string cell, never a formula (``spreadsheet_text``).
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape as xml_escape

from openpyxl.utils import get_column_letter

from server.services.reports.spreadsheet_text import csv_cell

BATCH = 1000
CHUNK = 64 * 1024
_BAD_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_MARKUP = re.compile("[<>&\x00-\x08\x0b\x0c\x0e-\x1f]")
_CACHE_MAX = 20_000  # cell XML of repeated values (choice labels, years, codes); cleared when full


@dataclass(frozen=True)
class Sheet:
    title: str
    columns: Sequence[str]
    widths: Sequence[int] = ()


def _text_cell(text: str) -> str:
    if _MARKUP.search(text):
        text = xml_escape(_BAD_XML.sub("", text))
    return f'<c t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


class _Cells:
    """Cell XML for values. Text is cached (bounded): most text cells of a labelled export repeat (Có, Không,
    a commune's name); numbers are written directly (cheaper than a cache of mostly unique values)."""

    def __init__(self) -> None:
        self.text: dict[str, str] = {}

    def row(self, values: Iterable) -> str:
        text = self.text
        parts = []
        for v in values:
            cls = v.__class__
            if cls is str:
                xml = text.get(v)
                if xml is None:
                    xml = "<c/>" if v == "" else _text_cell(v)
                    if len(text) >= _CACHE_MAX:
                        text.clear()
                    text[v] = xml
            elif v is None:
                xml = "<c/>"
            elif cls is int or cls is float:
                xml = f"<c><v>{v!r}</v></c>"
            else:
                xml = self.cell(v)
            parts.append(xml)
        return "<row>" + "".join(parts) + "</row>"

    @staticmethod
    def cell(value) -> str:
        if isinstance(value, bool):
            return f'<c t="b"><v>{int(value)}</v></c>'
        if isinstance(value, (int, float)):
            return f"<c><v>{value!r}</v></c>"
        return _text_cell(value if isinstance(value, str) else str(value))


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>{sheets}</Types>')
_SHEET_TYPE = ('<Override PartName="/xl/worksheets/sheet{n}.xml" '
               'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>')
_REL = ('<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'worksheet" Target="worksheets/sheet{n}.xml"/>')
_STYLES = (  # style 0: normal; style 1: the header (bold, grey fill, wrapped, thin border below)
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFE8EDF0"/></patternFill></fill></fills>'
    '<borders count="2"><border/><border><bottom style="thin"/></border></borders>'
    '<cellStyleXfs count="1"><xf/></cellStyleXfs>'
    '<cellXfs count="2"><xf/><xf fontId="1" fillId="2" borderId="1" applyFont="1" applyFill="1" applyBorder="1" '
    'applyAlignment="1"><alignment wrapText="1" vertical="top"/></xf></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')


def _sheet_name(title: str, used: set[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\]", " ", title).strip()[:31] or "Sheet"
    base, n = name, 2
    while name.lower() in used:
        name = f"{base[:28]} {n}"
        n += 1
    used.add(name.lower())
    return name


def _sheet_head(sheet: Sheet) -> str:
    widths = list(sheet.widths) + [14] * (len(sheet.columns) - len(sheet.widths))
    cols = "".join(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>' for i, w in enumerate(widths, start=1))
    header = "".join(f'<c t="inlineStr" s="1"><is><t xml:space="preserve">{xml_escape(_BAD_XML.sub("", str(h)))}'
                     f"</t></is></c>" for h in sheet.columns)
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
            'state="frozen"/><selection pane="bottomLeft"/></sheetView></sheetViews>'
            '<sheetFormatPr defaultRowHeight="15"/>'
            + (f"<cols>{cols}</cols>" if cols else "") + f'<sheetData><row customHeight="0">{header}</row>')


def _sheet_foot(sheet: Sheet, rows: int) -> str:
    last = get_column_letter(max(1, len(sheet.columns)))
    return ("</sheetData>" + (f'<autoFilter ref="A1:{last}{rows + 1}"/>' if sheet.columns else "")
            + '<pageMargins left="0.4" right="0.4" top="0.5" bottom="0.5" header="0.3" footer="0.3"/>'
            '<pageSetup paperSize="9" orientation="landscape"/></worksheet>')


def _workbook(names: list[str]) -> str:
    items = "".join(f'<sheet name="{xml_escape(n, {chr(34): "&quot;"})}" sheetId="{i}" r:id="rId{i}"/>'
                    for i, n in enumerate(names, start=1))
    titles = "".join(f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">'
                     f"'{xml_escape(n.replace(chr(39), chr(39) * 2))}'!$1:$1</definedName>"
                     for i, n in enumerate(names))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f"<sheets>{items}</sheets><definedNames>{titles}</definedNames></workbook>")


def _read_back(path: str) -> Iterator[bytes]:
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(CHUNK):
                yield chunk
    finally:
        os.unlink(path)


def _temp_zip() -> str:
    fd, path = tempfile.mkstemp(prefix="maiam-export-", suffix=".zip")
    os.close(fd)
    return path


def xlsx(sheets: Sequence[Sheet], rows: Iterable[tuple[int, Sequence]]) -> Iterator[bytes]:
    """An XLSX of ``sheets``; ``rows`` are (sheet index, cells). Lazy: the work starts at the first chunk."""
    path = _temp_zip()
    try:
        _write_xlsx(path, sheets, rows)
    except BaseException:
        os.unlink(path)
        raise
    yield from _read_back(path)


def _write_xlsx(path: str, sheets: Sequence[Sheet], rows: Iterable[tuple[int, Sequence]]) -> None:
    cells = _Cells()
    counts = [0] * len(sheets)
    used: set[str] = set()
    names = [_sheet_name(s.title, used) for s in sheets]
    n_sheets = len(sheets)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES.format(
            sheets="".join(_SHEET_TYPE.format(n=i) for i in range(1, n_sheets + 1))))
        zf.writestr("_rels/.rels", _ROOT_RELS)
        zf.writestr("xl/_rels/workbook.xml.rels", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(_REL.format(n=i) for i in range(1, n_sheets + 1))
            + f'<Relationship Id="rId{n_sheets + 1}" Type="http://schemas.openxmlformats.org/officeDocument/'
              '2006/relationships/styles" Target="styles.xml"/></Relationships>'))
        zf.writestr("xl/styles.xml", _STYLES)
        zf.writestr("xl/workbook.xml", _workbook(names))
        spools = [tempfile.TemporaryFile() for _ in sheets[1:]]
        try:
            with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out:
                out.write(_sheet_head(sheets[0]).encode())
                buf: list[list[str]] = [[] for _ in sheets]
                for n, (i, values) in enumerate(rows, start=1):
                    buf[i].append(cells.row(values))
                    counts[i] += 1
                    if n % BATCH == 0:
                        _flush(buf, out, spools)
                _flush(buf, out, spools)
                out.write(_sheet_foot(sheets[0], counts[0]).encode())
            for i, spool in enumerate(spools, start=1):
                with zf.open(f"xl/worksheets/sheet{i + 1}.xml", "w", force_zip64=True) as out:
                    out.write(_sheet_head(sheets[i]).encode())
                    spool.seek(0)
                    shutil.copyfileobj(spool, out, CHUNK)
                    out.write(_sheet_foot(sheets[i], counts[i]).encode())
        finally:
            for spool in spools:
                spool.close()


def _flush(buf: list[list[str]], out, spools) -> None:
    for i, parts in enumerate(buf):
        if parts:
            (out if i == 0 else spools[i - 1]).write("".join(parts).encode())
            parts.clear()


def csv_zip(sheets: Sequence[Sheet], rows: Iterable[tuple[int, Sequence]], names: Sequence[str]) -> Iterator[bytes]:
    """CSV files (UTF-8 with a BOM, for Excel) in a zip, one per sheet, named ``names``. Lazy, as ``xlsx``."""
    path = _temp_zip()
    try:
        _write_csv_zip(path, sheets, rows, names)
    except BaseException:
        os.unlink(path)
        raise
    yield from _read_back(path)


def _write_csv_zip(path: str, sheets: Sequence[Sheet], rows: Iterable[tuple[int, Sequence]],
                   names: Sequence[str]) -> None:
    spools = [tempfile.TemporaryFile("w+", encoding="utf-8", newline="") for _ in sheets[1:]]
    try:
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
            with zf.open(names[0], "w", force_zip64=True) as raw:
                out = io.TextIOWrapper(raw, encoding="utf-8", newline="")
                files = [out, *spools]
                writers = [csv.writer(f, lineterminator="\r\n") for f in files]
                for f, w, sheet in zip(files, writers, sheets, strict=True):
                    f.write("\ufeff")  # so that Excel opens UTF-8 Vietnamese correctly
                    w.writerow(sheet.columns)
                for i, values in rows:
                    writers[i].writerow(["" if v is None else csv_cell(v) for v in values])
                out.flush()
                out.detach()
            for name, spool in zip(names[1:], spools, strict=True):
                spool.seek(0)
                with zf.open(name, "w", force_zip64=True) as raw:
                    out = io.TextIOWrapper(raw, encoding="utf-8", newline="")
                    shutil.copyfileobj(spool, out, CHUNK)
                    out.flush()
                    out.detach()
    finally:
        for spool in spools:
            spool.close()
