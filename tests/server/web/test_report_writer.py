"""The XLSX layout a Vietnamese office files: national heading, unit, title, period, table, totals, signature."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from server.errors import DomainError
from server.services.reports.periodic import COLUMNS, period, write_xlsx


def _sheet(data: bytes):
    return load_workbook(io.BytesIO(data)).active


def test_layout_and_numbers():
    per = period("half_year", 2025)
    assert (per.start, per.end, per.due) == (dt.date(2025, 1, 1), dt.date(2025, 5, 31), dt.date(2025, 6, 10))
    rows = [{"name": "Huyện Núi Thành", "target": 900, "assessed": 3, "completed": 1, "pct_completed": 0.11},
            {"name": "Huyện Phú Ninh", "target": 800, "assessed": 2, "completed": 0, "pct_completed": 0.0}]
    totals = {"target": 1700, "assessed": 5, "completed": 1, "pct_completed": 0.06}
    ws = _sheet(write_xlsx(org_name="Hội Cựu chiến binh", unit_name="Tỉnh Quảng Nam", place="Quảng Nam",
                           issued=dt.date(2025, 6, 5), per=per, rows=rows, totals=totals, signer="Nguyễn Văn A"))
    cells = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM" in cells
    assert "Độc lập - Tự do - Hạnh phúc" in cells
    assert "TỈNH QUẢNG NAM" in cells
    assert any("6 tháng đầu năm 2025" in c for c in cells)
    assert any("từ ngày 01/01/2025 đến ngày 31/05/2025" in c for c in cells)
    assert "Quảng Nam, ngày 05 tháng 06 năm 2025" in cells
    assert "NGƯỜI LẬP BÁO CÁO" in cells and "Nguyễn Văn A" in cells
    keys = [k for k, _ in COLUMNS]
    table = {r[1]: r for r in ws.iter_rows(min_row=10, values_only=True) if r[1]}
    assert table["Huyện Núi Thành"][2 + keys.index("target")] == 900
    total = table["Tổng cộng"]
    assert total[2 + keys.index("assessed")] == 5 == sum(table[n][2 + keys.index("assessed")] for n in
                                                          ("Huyện Núi Thành", "Huyện Phú Ninh"))


def test_bad_kind_and_year():
    with pytest.raises(DomainError) as err:
        period("quarterly", 2025)
    assert err.value.code == "bad_report_kind" and err.value.status == 400
    assert "Loại báo cáo" in err.value.message("vi")
    with pytest.raises(DomainError, match="bad_year"):
        period("year_end", "năm nay")
