"""The dashboard's charts (server-rendered SVG, server/services/reports/charts.py) from the figures it shows."""

from __future__ import annotations

from markupsafe import Markup

from server.services.houses.funding import SOURCE_LABELS
from server.services.houses.lifecycle import status_label
from server.services.reports import charts
from server.services.reports.progress import STAGES, Progress
from server.web.filters import _num
from server.web.i18n import lang, t


def _millions(value: float) -> str:
    return _num(round(value / 1_000_000))


def every_month(by_month: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """("YYYY-MM", n) from the first month to the last, a month without completions as 0."""
    if not by_month:
        return []
    have = dict(by_month)
    year, month = int(by_month[0][0][:4]), int(by_month[0][0][5:7])
    out = []
    while True:
        key = f"{year:04d}-{month:02d}"
        out.append((key, have.get(key, 0)))
        if key >= by_month[-1][0]:
            return out
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def dashboard_charts(p: Progress, by_month: list[tuple[str, int]], money: list[tuple[str, int, int]]) -> dict:
    """{name: SVG markup} (None where there is nothing to draw)."""
    lg = lang()
    rows = [(r.name, r.target, r.completed) for r in p.rows]
    stages = [(status_label(s, lg), getattr(p.totals, s)) for s in STAGES]
    months = [(f"{m[5:7]}/{m[:4]}", n) for m, n in every_month(by_month)]
    sources = [(SOURCE_LABELS.text(s, lg), planned, disbursed) for s, planned, disbursed in money]
    out = {
        "target_done": charts.paired_bars(t("chart_target_done"), rows, (t("target"), t("completed")), _num)
        if rows else None,
        "funnel": charts.funnel(t("chart_funnel"), stages, _num) if stages[0][1] else None,
        "months": charts.line(t("chart_months"), months, _num) if months else None,
        "money": charts.money(t("chart_money"), sources, (t("chart_committed"), t("chart_disbursed")), _millions)
        if sources else None,
    }
    return {k: Markup(v) if v else None for k, v in out.items()}  # noqa: S704 - every text in it is escaped
