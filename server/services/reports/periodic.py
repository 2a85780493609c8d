"""Half-year and year-end progress reports as XLSX, laid out as a Vietnamese office files them.

National heading (Quốc hiệu, tiêu ngữ) on the right, the issuing unit on the left, the title and the
period centred, a table by child unit with a totals row, then "Nơi nhận" and the signature block.
The numbers come from :func:`server.services.reports.progress.rollup` so the report and the dashboard agree.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from forms import clock
from forms.text import Catalogue
from server.errors import DomainError
from server.services.houses.lifecycle import DEFAULT
from server.services.reports import progress
from server.services.reports.formatting import vn_day
from server.services.reports.spreadsheet_text import keep_text

KINDS = ("half_year", "year_end")
TEXT = Catalogue({  # the sheet's words; column headings are COLUMNS below
    "half_year": {"vi": "6 tháng đầu năm", "en": "first six months of"},
    "year_end": {"vi": "năm", "en": "the year"},
    "title": {"vi": "Kết quả thực hiện xoá nhà tạm, nhà dột nát {what} {year}",
              "en": "Results of replacing temporary and dilapidated houses, {what} {year}"},
    "period": {"vi": "(Kỳ báo cáo: từ ngày {start} đến ngày {end})", "en": "(Reporting period: {start} to {end})"},
    "sheet": {"vi": "Bao cao", "en": "Report"},
    "nation": {"vi": "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", "en": "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"},  # never translated
    "motto": {"vi": "Độc lập - Tự do - Hạnh phúc", "en": "Độc lập - Tự do - Hạnh phúc"},
    "report": {"vi": "BÁO CÁO", "en": "REPORT"},
    "number": {"vi": "Số:        /BC", "en": "No.        /BC"},
    "dated": {"vi": "{place}, ngày {day:02d} tháng {month:02d} năm {year}", "en": "{place}, {year}-{month:02d}-{day:02d}"},
    "no": {"vi": "STT", "en": "No."},
    "unit": {"vi": "Đơn vị", "en": "Unit"},
    "total": {"vi": "Tổng cộng", "en": "Total"},
    "recipients": {"vi": "Nơi nhận:", "en": "Recipients:"},
    "as_above": {"vi": "- Như trên;", "en": "- As above;"},
    "filed": {"vi": "- Lưu: VT.", "en": "- File."},
    "prepared_by": {"vi": "NGƯỜI LẬP BÁO CÁO", "en": "PREPARED BY"},
    "sign_here": {"vi": "(Ký, ghi rõ họ tên)", "en": "(Signature, full name)"},
    "organisation": {"vi": "Hội Cựu chiến binh", "en": "Veterans Association"},
    "basis_open": {"vi": "(Kỳ báo cáo chưa kết thúc: số liệu tổng hợp đến ngày {day})",
                   "en": "(The period is not over: figures as of {day})"},
    "basis_today": {"vi": "(Số liệu hôm nay: tổng hợp đến ngày {day}, không phải ngày cuối kỳ {end})",
                    "en": "(Today's figures: as of {day}, not the period's last day {end})"},
    "basis_period_end": {"vi": "(Số liệu tại ngày cuối kỳ: số nhà theo giai đoạn và kinh phí tính đến hết ngày {end})",
                         "en": "(Figures at the period's last day: houses by stage and money as at the end of {end})"},
    "overspent": {"vi": "Lưu ý — {name}: kinh phí đã giải ngân {disbursed} đồng lớn hơn kinh phí đã cam kết "
                        "{committed} đồng.",
                  "en": "Note — {name}: support disbursed ({disbursed} VND) exceeds support committed ({committed} VND)."},
})
FIGURES = ("period_end", "today")  # at the period's last day (default, from the histories) / today's
DUE = {"half_year": (6, 10), "year_end": (11, 10)}  # (month, day) the report is due


@dataclass(frozen=True)
class Period:
    kind: str
    year: int
    start: dt.date
    end: dt.date  # data cut-off (inclusive)
    due: dt.date

    def title(self, lang: str = "vi") -> str:
        return TEXT.text("title", lang, what=TEXT.text(self.kind, lang), year=self.year)

    def closed(self, today: dt.date) -> bool:
        return today > self.end

    def text(self, lang: str = "vi") -> str:
        return TEXT.text("period", lang, start=vn_day(self.start), end=vn_day(self.end))


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


def default_period(today: dt.date) -> Period:
    """The period the reports page offers first: the one that contains ``today`` (Vietnam), else the
    last closed one. Both periods start on 1 January, so: January-May the half-year (open), June-October
    the year-end (open), November-December the year-end just closed on 31 October."""
    return period("half_year" if today <= dt.date(today.year, 5, 31) else "year_end", today.year)


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
               rows: list[dict], totals: dict, signer: str, lang: str = "vi", basis: str = "",
               warnings: list[str] = ()) -> bytes:
    """Render the report; ``rows``/``totals`` carry the COLUMNS keys plus ``name``; ``basis`` says when
    the figures were taken (a line under the period), ``warnings`` go under the table."""
    wb = Workbook()
    ws = wb.active
    ws.title = TEXT.text("sheet", lang)
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
    put(R.format(r=1), TEXT.text("nation", lang), bold=True)
    put(L.format(r=2), unit_name.upper(), bold=True)
    put(R.format(r=2), TEXT.text("motto", lang), bold=True, underline="single", size=13)
    put(L.format(r=3), TEXT.text("number", lang))
    put(R.format(r=3), dated(place, issued, lang), italic=True)
    put(f"A5:{last}5", TEXT.text("report", lang), bold=True, size=14)
    put(f"A6:{last}6", per.title(lang), bold=True, size=13)
    put(f"A7:{last}7", per.text(lang), italic=True)
    if basis:
        put(f"A8:{last}8", basis, italic=True, size=11)

    head = 9
    headers = [TEXT.text("no", lang), TEXT.text("unit", lang)]
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
    line(r, ["", TEXT.text("total", lang)] + [totals.get(k) for k, _ in COLUMNS], bold=True)
    for text in warnings:
        r += 1
        put(f"A{r}:{last}{r}", text, bold=True, size=11, align=Alignment(horizontal="left", wrap_text=True))

    r += 2
    put(f"A{r}:C{r}", TEXT.text("recipients", lang), bold=True, italic=True, size=11,
        align=Alignment(horizontal="left"))
    sign_range = f"{get_column_letter(ncol - 4)}{r}:{last}{r}"
    put(sign_range, TEXT.text("prepared_by", lang), bold=True)
    put(f"A{r + 1}:C{r + 1}", TEXT.text("as_above", lang), size=11, align=Alignment(horizontal="left"))
    put(f"{get_column_letter(ncol - 4)}{r + 1}:{last}{r + 1}", TEXT.text("sign_here", lang), italic=True, size=11)
    put(f"A{r + 2}:C{r + 2}", TEXT.text("filed", lang), size=11, align=Alignment(horizontal="left"))
    put(f"{get_column_letter(ncol - 4)}{r + 5}:{last}{r + 5}", signer, bold=True)

    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 28
    for j in range(3, ncol + 1):
        ws.column_dimensions[get_column_letter(j)].width = 14
    ws.freeze_panes = ws.cell(row=head + 1, column=3)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4  # Vietnamese offices print on A4, not the default Letter
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as the units need
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.print_options.horizontalCentered = True
    ws.print_title_rows = f"{head}:{head}"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    wb.properties.title = per.title(lang)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def dated(place: str, issued: dt.date, lang: str = "vi") -> str:
    """«Quảng Nam, ngày 30 tháng 11 năm 2026»: where and when the report is issued."""
    return TEXT.text("dated", lang, place=place, day=issued.day, month=issued.month, year=issued.year)


def basis_line(per: Period, issued: dt.date, figures: str, lang: str = "vi") -> str:
    """The header line that says which figures the report holds."""
    key = "basis_open" if not per.closed(issued) else "basis_today" if figures == "today" else "basis_period_end"
    return TEXT.text(key, lang, day=vn_day(issued), end=vn_day(per.end))


def overspent_lines(rows: list, totals, lang: str = "vi") -> list[str]:
    """One warning per unit (and the total) whose support disbursed exceeds what was committed."""
    out = []
    for r in [*rows, totals]:
        if r.overspent:
            d, c = f"{r.support_disbursed:,}".replace(",", "."), f"{r.support_committed:,}".replace(",", ".")
            out.append(TEXT.text("overspent", lang, name=r.name, disbursed=d, committed=c))
    return out


PLACE_WORDS = ("Thành phố", "Thị xã", "Thị trấn", "Tỉnh", "Huyện", "Quận", "Xã", "Phường")  # «Huyện Núi Thành» -> «Núi Thành»


def place_of(unit_name: str) -> str:
    """Where a report is issued, as the date line writes it: the unit's name without its level word."""
    for word in PLACE_WORDS:
        if unit_name.startswith(word + " "):
            return unit_name[len(word) + 1:]
    return unit_name


def build(session, unit, kind: str, year, *, signer: str, lang: str = "vi", org_name: str | None = None,
          today: dt.date | None = None, now: dt.datetime | None = None, lc=None, figures: str = "period_end",
          as_of: dt.date | None = None) -> tuple[str, bytes]:
    """(file name, XLSX bytes) of the report for ``unit`` (a province, a district or a commune): one row per
    child unit, totals from the same SQL; A4 landscape. The figures are :func:`contents`'s."""
    page = contents(session, unit, kind, year, signer=signer, lang=lang, org_name=org_name, today=today, now=now,
                    lc=lc, figures=figures, as_of=as_of)
    name = page.pop("file_name")
    return name, write_xlsx(**page)


def contents(session, unit, kind: str, year, *, signer: str, lang: str = "vi", org_name: str | None = None,
             today: dt.date | None = None, now: dt.datetime | None = None, lc=None, figures: str = "period_end",
             as_of: dt.date | None = None) -> dict:
    """What the report says (``write_xlsx``'s arguments and ``file_name``), for the XLSX and the printable page.

    By default (``figures="period_end"``) stage counts and money are those of the period's last day,
    rebuilt from the append-only histories, so a report for a closed period gives the same numbers
    whenever it is made; ``figures="today"`` takes today's. While the period is open both are today's.
    ``now`` (default: the clock, Vietnam) dates the report; ``today`` overrides its day. The rows follow the
    unit tree in force on ``as_of`` (default: the period's last day, or today while it is open), so the
    2024 report made in 2026 still has 2024's districts."""

    now = clock.in_vietnam(now) if now is not None else clock.now()
    issued = today or now.date()
    if figures not in FIGURES:
        raise DomainError("bad_report_figures", params={"figures": repr(figures)})
    per = period(kind, year)
    window = (dt.datetime.combine(per.start, dt.time.min, clock.VIETNAM),  # days in Vietnam
              dt.datetime.combine(per.end + dt.timedelta(days=1), dt.time.min, clock.VIETNAM))
    at_end = per.closed(issued) and figures == "period_end"
    # as_of: the tree (and targets) of the period's end; a period still open: today's
    p = progress.rollup(session, unit, as_of=as_of or (per.end if at_end else min(issued, per.end)), lc=lc or DEFAULT,
                        period=window, at=window[1] if at_end else None)
    rows = [dict(r.as_dict(), name=r.name) for r in p.rows]
    unit = p.unit  # by the tree of the period's end: the 2024 report of 2025's city is Tỉnh Quảng Nam's
    return {"org_name": org_name or TEXT.text("organisation", lang), "unit_name": unit.name,
            "place": place_of(unit.name), "issued": issued, "per": per, "rows": rows, "totals": p.totals.as_dict(),
            "signer": signer, "lang": lang, "basis": basis_line(per, issued, figures, lang),
            "warnings": overspent_lines(p.rows, p.totals, lang),
            "file_name": f"bao-cao-{kind.replace('_', '-')}-{per.year}-{unit.code}-{issued:%Y%m%d}.xlsx"}
