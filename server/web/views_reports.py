"""Reports (half-year, year-end XLSX) and streamed exports for managers."""

from __future__ import annotations

from flask import Response, g, render_template, request, stream_with_context

from server import app_clock
from server.app_lifecycle import current as app_lifecycle
from server.extensions import db
from server.services.reports import exports as exports_service
from server.services.reports import periodic as reports_service
from server.web import bp
from server.web.guards import requires, unit_for
from server.web.i18n import lang

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(name: str) -> dict:
    return {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"}


@bp.route("/reports")
@requires("report")
def reports():
    today = app_clock.today()
    per = reports_service.default_period(today)
    return render_template("reports.html", unit=unit_for("report", request.args.get("unit")), year=per.year,
                           kind=per.kind, per=per, closed=per.closed(today), nav="reports")


@bp.route("/reports/download")
@requires("report")
def report_download():
    tree = app_clock.as_of() if request.args.get("as_of") else None  # default: the period's end decides
    unit = unit_for("report", request.args.get("unit"), tree)
    user = g.web_user
    name, data = reports_service.build(db.session, unit, request.args.get("kind", ""), request.args.get("year"),
                                       signer=getattr(user, "full_name", None) or user.username, lang=lang(),
                                       lc=app_lifecycle(), now=app_clock.now(),
                                       figures=request.args.get("figures") or "period_end", as_of=tree)
    return Response(data, mimetype=XLSX, headers=_attachment(name))


@bp.route("/exports/<what>.<fmt>")
@requires("export")
def export(what, fmt):
    day = app_clock.as_of()
    unit = unit_for("export", request.args.get("unit"), day)
    name, ctype, chunks = exports_service.export(db.session, unit, what, fmt, now=app_clock.now(),  # bad: 404
                                                 as_of=day)
    return Response(stream_with_context(chunks), mimetype=ctype.split(";")[0], headers=_attachment(name),
                    content_type=ctype)
