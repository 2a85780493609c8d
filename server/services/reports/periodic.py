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
from server.errors import DomainError
from server.services.houses.lifecycle import DEFAULT
from server.services.reports import progress
from server.services.reports.formatting import vn_day
from server.services.reports.spreadsheet_text import keep_text

KINDS = ("half_year", "year_end")
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
        if lang == "en":
            what = "first six months" if self.kind == "half_year" else "the year"
            return f"Results of replacing temporary and dilapidated houses, {what} of {self.year}"
        what = "6 tháng đầu năm" if self.kind == "half_year" else "năm"
        return f"Kết quả thực hiện xoá nhà tạm, nhà dột nát {what} {self.year}"

    def closed(self, today: dt.date) -> bool:
        return today > self.end

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
    if basis:
        put(f"A8:{last}8", basis, italic=True, size=11)

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
    for text in warnings:
        r += 1
        put(f"A{r}:{last}{r}", text, bold=True, size=11, align=Alignment(horizontal="left", wrap_text=True))

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


def basis_line(per: Period, issued: dt.date, figures: str, lang: str = "vi") -> str:
    """The header line that says which figures the report holds."""
    day, end = vn_day(issued), vn_day(per.end)
    if not per.closed(issued):
        return (f"(Kỳ báo cáo chưa kết thúc: số liệu tổng hợp đến ngày {day})" if lang == "vi"
                else f"(The period is not over: figures as of {day})")
    if figures == "today":
        return (f"(Số liệu hôm nay: tổng hợp đến ngày {day}, không phải ngày cuối kỳ {end})" if lang == "vi"
                else f"(Today's figures: as of {day}, not the period's last day {end})")
    return (f"(Số liệu tại ngày cuối kỳ: số nhà theo giai đoạn và kinh phí tính đến hết ngày {end})" if lang == "vi"
            else f"(Figures at the period's last day: houses by stage and money as at the end of {end})")


def overspent_lines(rows: list, totals, lang: str = "vi") -> list[str]:
    """One warning per unit (and the total) whose support disbursed exceeds what was committed."""
    out = []
    for r in [*rows, totals]:
        if r.overspent:
            d, c = f"{r.support_disbursed:,}".replace(",", "."), f"{r.support_committed:,}".replace(",", ".")
            out.append(f"Lưu ý — {r.name}: kinh phí đã giải ngân {d} đồng lớn hơn kinh phí đã cam kết {c} đồng."
                       if lang == "vi" else
                       f"Note — {r.name}: support disbursed ({d} VND) exceeds support committed ({c} VND).")
    return out


def build(session, unit, kind: str, year, *, signer: str, lang: str = "vi", org_name: str | None = None,
          today: dt.date | None = None, now: dt.datetime | None = None, lc=None, figures: str = "period_end",
          as_of: dt.date | None = None) -> tuple[str, bytes]:
    """(file name, XLSX bytes) of the report for ``unit``: one row per child unit, totals from the same SQL.

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
    totals = p.totals.as_dict()
    unit = p.unit  # by the tree of the period's end: the 2024 report of 2025's city is Tỉnh Quảng Nam's
    place = unit.name.split(" ", 1)[-1] if unit.name.startswith(("Tỉnh", "Thành phố", "Huyện", "Xã")) else unit.name
    if unit.name.startswith("Thành phố"):
        place = unit.name[len("Thành phố "):]
    data = write_xlsx(org_name=org_name or ("Hội Cựu chiến binh" if lang == "vi" else "Veterans Association"),
                      unit_name=unit.name, place=place, issued=issued, per=per, rows=rows, totals=totals,
                      signer=signer, lang=lang, basis=basis_line(per, issued, figures, lang),
                      warnings=overspent_lines(p.rows, p.totals, lang))
    return f"bao-cao-{kind.replace('_', '-')}-{per.year}-{unit.code}-{issued:%Y%m%d}.xlsx", data
