"""Server-drawn SVG charts: well-formed, every text escaped, sizes following the figures."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from server.services.reports import charts

NS = "{http://www.w3.org/2000/svg}"


def _svg(text: str) -> ET.Element:
    return ET.fromstring(text)  # raises on anything that is not well-formed XML


def _texts(root) -> list[str]:
    return [t.text for t in root.iter(NS + "text")]


def test_paired_bars_scale_and_escape():
    svg = charts.paired_bars("Chỉ tiêu <và> hoàn thành", [("Huyện <b>A</b>", 100, 50), ("Xã Đ", None, 25)],
                             ("Chỉ tiêu", "Hoàn thành"))
    root = _svg(svg)
    assert "<b>" not in svg and "Huyện <b>A</b>" in _texts(root)
    assert root.find(NS + "title").text == "Chỉ tiêu <và> hoàn thành"
    widths = [float(r.get("width")) for r in root.iter(NS + "rect") if r.get("height") in ("20", "10")]
    assert widths[0] == 2 * widths[1] == 4 * widths[2]  # target 100, done 50, then done 25 on one scale
    assert "50 / 100" in _texts(root) and "25 / —" in _texts(root)


def test_funnel_shares_and_line_points():
    root = _svg(charts.funnel("Giai đoạn", [("Đã khảo sát", 200), ("Đã duyệt", 100), ("Hoàn thành", 0)]))
    assert "100 · 50%" in _texts(root) and "0 · 0%" in _texts(root)
    line = charts.line("Theo tháng", [("01/2026", 3), ("02/2026", 0), ("03/2026", 6)])
    root = _svg(line)
    pts = [tuple(map(float, p.split(","))) for p in root.find(NS + "polyline").get("points").split()]
    assert pts[0][1] > pts[2][1] and pts[1][1] > pts[0][1]  # 6 highest (smallest y), 0 lowest
    assert {"01/2026", "02/2026", "03/2026"} <= set(_texts(root))


def test_numbers_use_the_pages_format():
    svg = charts.money("Kinh phí", [("Ngân sách tỉnh", 1_500_000_000, 500_000_000)], ("Cam kết", "Đã giải ngân"),
                       fmt=lambda v: f"{round(v / 1e6):,}".replace(",", "."))
    assert "500 / 1.500" in _texts(_svg(svg))
    assert not re.search(r"<script", svg)
