"""Half-year and year-end progress reports as XLSX, laid out as a Vietnamese office files them.

National heading (Quốc hiệu, tiêu ngữ) on the right, the issuing unit on the left, the title and the
period centred, a table by child unit with a totals row, then "Nơi nhận" and the signature block.
The numbers come from :func:`server.services.progress.rollup` so the report and the dashboard agree.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from server.errors import DomainError
from server.services.spreadsheet_text import keep_text

KINDS = ("half_year", "year_end")
DUE = {"half_year": (6, 10), "year_end": (11, 10)}  # (month, day) the report is due


@dataclass(frozen=True)
class Period:
    kind: str
    year: int
    start: dt.date
    end: dt.date  # data cut-off (inclusive)
    due: dt.date

    def title(self, lang: str = "vi") -> str:
        if lang == "en":
            what = "first six months" if self.kind == "half_year" else "the year"
            return f"Results of replacing temporary and dilapidated houses, {what} of {self.year}"
        what = "6 tháng đầu năm" if self.kind == "half_year" else "năm"
        return f"Kết quả thực hiện xoá nhà tạm, nhà dột nát {what} {self.year}"

    def text(self, lang: str = "vi") -> str:
        a, b = self.start.strftime("%d/%m/%Y"), self.end.strftime("%d/%m/%Y")
        return f"(Reporting period: {a} to {b})" if lang == "en" else f"(Kỳ báo cáo: từ ngày {a} đến ngày {b})"


def period(kind: str, year) -> Period:
    """Half-year: 1 January to 31 May (due 10 June). Year-end: 1 January to 31 October (due before 10 November)."""
    if kind not in KINDS:
        raise DomainError("bad_report_kind", params={"kind": repr(kind)})
    try:
        y = int(year)
        if not 2000 <= y <= 2100:
            raise ValueError
    except (TypeError, ValueError):
        raise DomainError("bad_year", params={"year": repr(year)}) from None
    end = dt.date(y, 5, 31) if kind == "half_year" else dt.date(y, 10, 31)
    m, d = DUE[kind]
    return Period(kind, y, dt.date(y, 1, 1), end, dt.date(y, m, d))


COLUMNS = [
    ("target", {"vi": "Chỉ tiêu (nhà)", "en": "Target (houses)"}),
    ("assessed", {"vi": "Đã khảo sát", "en": "Assessed"}),
    ("approved", {"vi": "Đã phê duyệt", "en": "Approved"}),
    ("started", {"vi": "Đã khởi công", "en": "Started"}),
    ("completed", {"vi": "Đã hoàn thành", "en": "Completed"}),
    ("handed_over", {"vi": "Đã bàn giao", "en": "Handed over"}),
    ("completed_in_period", {"vi": "Hoàn thành trong kỳ", "en": "Completed in period"}),
    ("pct_completed", {"vi": "Tỷ lệ hoàn thành so với chỉ tiêu (%)", "en": "% of target completed"}),
    ("support_committed", {"vi": "Kinh phí hỗ trợ đã cam kết (đồng)", "en": "Support committed (VND)"}),
    ("support_disbursed", {"vi": "Kinh phí đã giải ngân (đồng)", "en": "Support disbursed (VND)"}),
    ("workdays", {"vi": "Ngày công", "en": "Workdays"}),
]
SUMMED = [k for k, _ in COLUMNS if k != "pct_completed"]

_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
_FONT = "Times New Roman"


def pct(completed, target):
    return round(100.0 * completed / target, 2) if target else None


def write_xlsx(*, org_name: str, unit_name: str, place: str, issued: dt.date, per: Period,
               rows: list[dict], totals: dict, signer: str, lang: str = "vi", at_period_end: bool = False) -> bytes:
    """Render the report; ``rows``/``totals`` carry the COLUMNS keys plus ``name``."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Bao cao" if lang == "vi" else "Report"
    ncol = 2 + len(COLUMNS)
    last = get_column_letter(ncol)
    split = 4  # columns A..D for the unit heading, E.. for the national heading

    def put(cell_range, value, *, bold=False, italic=False, size=12, underline=None, align=_CENTRE):
        first = cell_range.split(":")[0]
        if ":" in cell_range:
            ws.merge_cells(cell_range)
        c = ws[first]
        c.value = value
        keep_text(c)
        c.font = Font(name=_FONT, bold=bold, italic=italic, size=size, underline=underline)
        c.alignment = align
        return c

    L, R = f"A{{r}}:{get_column_letter(split)}{{r}}", f"{get_column_letter(split + 1)}{{r}}:{last}{{r}}"
    put(L.format(r=1), org_name.upper(), size=12)
    put(R.format(r=1), "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True)
    put(L.format(r=2), unit_name.upper(), bold=True)
    put(R.format(r=2), "Độc lập - Tự do - Hạnh phúc", bold=True, underline="single", size=13)
    put(L.format(r=3), "Số:        /BC")
    date_vi = f"{place}, ngày {issued.day:02d} tháng {issued.month:02d} năm {issued.year}"
    put(R.format(r=3), date_vi if lang == "vi" else f"{place}, {issued.isoformat()}", italic=True)
    put(f"A5:{last}5", "BÁO CÁO" if lang == "vi" else "REPORT", bold=True, size=14)
    put(f"A6:{last}6", per.title(lang), bold=True, size=13)
    put(f"A7:{last}7", per.text(lang), italic=True)
    if at_period_end:
        when = per.end.strftime("%d/%m/%Y")
        put(f"A8:{last}8", f"(Số nhà theo từng giai đoạn tính đến hết ngày {when})" if lang == "vi"
            else f"(Houses by stage as at the end of {when})", italic=True, size=11)
    elif issued > per.end:  # the stage counts are today's, not the period end's: say so on the page
        when = issued.strftime("%d/%m/%Y")
        put(f"A8:{last}8", f"(Số liệu tổng hợp đến ngày {when})" if lang == "vi" else f"(Figures as of {when})",
            italic=True, size=11)

    head = 9
    headers = ["STT" if lang == "vi" else "No.", "Đơn vị" if lang == "vi" else "Unit"]
    headers += [label[lang] for _, label in COLUMNS]
    for j, h in enumerate(headers, start=1):
        c = ws.cell(row=head, column=j, value=h)
        c.font, c.alignment, c.border = Font(name=_FONT, bold=True, size=11), _CENTRE, _BOX
    ws.row_dimensions[head].height = 60

    def line(r, values, bold=False):
        for j, v in enumerate(values, start=1):
            c = ws.cell(row=r, column=j, value=v)
            keep_text(c)
            c.font, c.border = Font(name=_FONT, bold=bold, size=11), _BOX
            if j > 2:
                c.number_format = "0.00" if COLUMNS[j - 3][0] == "pct_completed" else "#,##0"
                c.alignment = Alignment(horizontal="right")

    r = head + 1
    for i, row in enumerate(rows, start=1):
        line(r, [i, row["name"]] + [row.get(k) for k, _ in COLUMNS])
        r += 1
    line(r, ["", "Tổng cộng" if lang == "vi" else "Total"] + [totals.get(k) for k, _ in COLUMNS], bold=True)

    r += 2
    put(f"A{r}:C{r}", "Nơi nhận:" if lang == "vi" else "Recipients:", bold=True, italic=True, size=11,
        align=Alignment(horizontal="left"))
    sign_range = f"{get_column_letter(ncol - 4)}{r}:{last}{r}"
    put(sign_range, "NGƯỜI LẬP BÁO CÁO" if lang == "vi" else "PREPARED BY", bold=True)
    put(f"A{r + 1}:C{r + 1}", "- Như trên;" if lang == "vi" else "- As above;", size=11, align=Alignment(horizontal="left"))
    put(f"{get_column_letter(ncol - 4)}{r + 1}:{last}{r + 1}",
        "(Ký, ghi rõ họ tên)" if lang == "vi" else "(Signature, full name)", italic=True, size=11)
    put(f"A{r + 2}:C{r + 2}", "- Lưu: VT." if lang == "vi" else "- File.", size=11, align=Alignment(horizontal="left"))
    put(f"{get_column_letter(ncol - 4)}{r + 5}:{last}{r + 5}", signer, bold=True)

    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 28
    for j in range(3, ncol + 1):
        ws.column_dimensions[get_column_letter(j)].width = 14
    ws.freeze_panes = ws.cell(row=head + 1, column=3)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.print_title_rows = f"{head}:{head}"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    wb.properties.title = per.title(lang)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def build(session, unit, kind: str, year, *, signer: str, lang: str = "vi", org_name: str | None = None,
          today: dt.date | None = None, lc=None, at_period_end: bool = False) -> tuple[str, bytes]:
    """(file name, XLSX bytes) of the report for ``unit``: one row per child unit, totals from the same SQL.

    The stage counts are today's, or with ``at_period_end`` each house's stage on the period's last
    day, rebuilt from the append-only history (money columns stay today's)."""
    from server.services import progress
    from server.services.houses import DEFAULT

    per = period(kind, year)
    window = (dt.datetime.combine(per.start, dt.time.min, progress.VN).astimezone(dt.UTC),  # days in Vietnam
              dt.datetime.combine(per.end + dt.timedelta(days=1), dt.time.min, progress.VN).astimezone(dt.UTC))
    p = progress.rollup(session, unit, as_of=per.end, lc=lc or DEFAULT, period=window, from_history=at_period_end)
    rows = [dict(r.as_dict(), name=r.name) for r in p.rows]
    totals = p.totals.as_dict()
    place = unit.name.split(" ", 1)[-1] if unit.name.startswith(("Tỉnh", "Thành phố", "Huyện", "Xã")) else unit.name
    if unit.name.startswith("Thành phố"):
        place = unit.name[len("Thành phố "):]
    data = write_xlsx(org_name=org_name or ("Hội Cựu chiến binh" if lang == "vi" else "Veterans Association"),
                      unit_name=unit.name, place=place, issued=today or dt.date.today(), per=per, rows=rows,
                      totals=totals, signer=signer, lang=lang, at_period_end=at_period_end)
    return f"bao-cao-{kind.replace('_', '-')}-{per.year}-{unit.code}.xlsx", data
