"""Template filters: numbers, days, percentages and millions of đồng the way each language writes them."""

from __future__ import annotations

from markupsafe import Markup

from server.params import DAY_PATTERN
from server.services.reports.formatting import vn_time
from server.web import bp
from server.web.i18n import lang


@bp.app_template_filter("num")
def _num(value):
    if value is None:
        return "—"
    return f"{int(value):,}".replace(",", ".") if lang() == "vi" else f"{int(value):,}"


@bp.app_template_filter("day")
def _day(value):
    if value is None:
        return ""
    return value.strftime("%d/%m/%Y") if lang() == "vi" else value.isoformat()


@bp.app_template_filter("pct")
def _pct(value):
    if value is None:
        return "—"
    text = f"{value:.2f}%" if 0 < value < 1 else f"{value:.1f}%"
    return text.replace(".", ",") if lang() == "vi" else text


@bp.app_template_filter("mvnd")
def _mvnd(value):
    if not value:
        return "0"
    text = f"{value / 1_000_000:,.1f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".") if lang() == "vi" else text




@bp.app_template_filter("metres")
def distance(value) -> str:
    """230 m; 1,2 km (vi) / 1.2 km (en)."""
    if value is None:
        return "—"
    if value < 1000:
        return f"{round(value)} m"
    text = f"{value / 1000:.1f}".removesuffix(".0") + " km"
    return text.replace(".", ",") if lang() == "vi" else text


@bp.app_template_filter("vntime")
def _vntime(value) -> str:
    """A stored time as Vietnamese wall-clock text."""
    return vn_time(value)


@bp.app_template_global("day_field")
def _day_field():
    """The attributes of a date field: a text field for dd/mm/yyyy (read by ``server.params.parse_day``)
    rather than the browser's date picker, which follows the browser's language (mm/dd/yyyy in English)."""
    return Markup(f'inputmode="numeric" pattern="{DAY_PATTERN}" placeholder="dd/mm/yyyy" title="dd/mm/yyyy" '
                  'autocomplete="off" size="10"')
