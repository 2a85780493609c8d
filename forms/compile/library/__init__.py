"""The built-in forms: Python rows (readable source) -> forms/library/*.xlsx (what people open in Excel).

python -m forms.compile.library          # rewrite forms/library/*.xlsx from the sources here
workbook_rows(module) -> {sheet: [[cell, ...], ...]}    # what the .xlsx must contain
"""

import csv
import io
import re
import zipfile
from pathlib import Path

from forms.compile.library import construction_progress, house_assessment
from forms.compile.library.rows import CHOICES_COLUMNS, SETTINGS_COLUMNS, SURVEY_COLUMNS

_STAMP = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")
LIBRARY_DIR = Path(__file__).resolve().parents[2] / "library"
SOURCES = {"house_assessment": house_assessment, "construction_progress": construction_progress}


def library_path(form_id):
    """The committed .xlsx of a built-in form."""
    return LIBRARY_DIR / f"{form_id}.xlsx"


def media_text(module):
    """The media files of a source module as {name: CSV text} (UTF-8, ',' between cells, '\\n' lines)."""
    out = {}
    for name, rows in getattr(module, "MEDIA", {}).items():
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(rows)
        out[name] = buffer.getvalue()
    return out


def write_media(module, form_id):
    """Write `<form_id>-media/*.csv` beside the .xlsx (the folder forms.compile reads)."""
    folder = LIBRARY_DIR / f"{form_id}-media"
    files = media_text(module)
    if files:
        folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name).write_bytes(text.encode("utf-8"))


def workbook_rows(module):
    """The three sheets of a source module as rows of cells (header first; None for an empty cell)."""

    def table(columns, rows):
        return [list(columns)] + [[row.get(c) for c in columns] for row in rows]

    return {
        "survey": table(SURVEY_COLUMNS, module.SURVEY),
        "choices": table(CHOICES_COLUMNS, module.CHOICES),
        "settings": table(SETTINGS_COLUMNS, [module.SETTINGS]),
    }


def write_workbook(module, path):
    """Write the .xlsx: bold, frozen header row and readable column widths for people editing it."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for sheet_name, rows in workbook_rows(module).items():
        sheet = book.create_sheet(sheet_name)
        for row in rows:
            sheet.append(row)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for index, column in enumerate(zip(*rows, strict=True), start=1):
            width = max(len(str(v)) for v in column if v is not None)
            sheet.column_dimensions[sheet.cell(1, index).column_letter].width = min(max(width + 2, 8), 60)
    book.properties.creator = "Mái Ấm"
    buffer = io.BytesIO()
    book.save(buffer)
    Path(path).write_bytes(_reproducible(buffer.getvalue()))


def _reproducible(data):
    """Same rows -> same bytes (and so the same source.sha256): fixed dates inside and on the zip."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = _STAMP.sub(rb"\g<1>2026-11-28T00:00:00Z\g<2>", body)
            dst.writestr(
                zipfile.ZipInfo(info.filename, date_time=(2026, 11, 28, 0, 0, 0)), body, zipfile.ZIP_DEFLATED
            )
    return out.getvalue()


def main():
    for form_id, module in SOURCES.items():
        path = library_path(form_id)
        write_workbook(module, path)
        write_media(module, form_id)
        print(path)
