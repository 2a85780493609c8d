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


def dashboard_charts(p: Progress, by_month: list[tuple[str, int]], money: list[tuple[str, int, int]]) -> dict:
    """{name: SVG markup} (None where there is nothing to draw)."""
    lg = lang()
    rows = [(r.name, r.target, r.completed) for r in p.rows]
    stages = [(status_label(s, lg), getattr(p.totals, s)) for s in STAGES]
    months = [(f"{m[5:7]}/{m[:4]}", n) for m, n in by_month]
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
