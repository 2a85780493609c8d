"""Reports (half-year, year-end: XLSX and a printable page) for any unit of the subtree, and streamed exports."""

from __future__ import annotations

from flask import Response, g, render_template, request, stream_with_context

from server import app_clock
from server.app_lifecycle import current as app_lifecycle
from server.extensions import db
from server.models import OrgUnit
from server.services.programme import forms as forms_service
from server.services.reports import exports as exports_service
from server.services.reports import periodic as reports_service
from server.services.surveys import review as review_service
from server.web import bp
from server.web.guards import crumbs, requires, unit_for
from server.web.i18n import lang

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(name: str) -> dict:
    return {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"}


@bp.route("/reports")
@requires("report")
def reports():
    today = app_clock.today()
    per = reports_service.default_period(today)
    unit = unit_for("report", request.args.get("unit"))
    children = db.session.scalars(db.select(OrgUnit).where(OrgUnit.parent_id == unit.id, OrgUnit.level != "village")
                                  .order_by(OrgUnit.name)).all()
    lg = lang()
    engines = [forms_service.engine_form(f) for f in forms_service.latest(db.session)]
    forms = sorted(((f.form_id, f.text(f.title, lg) or f.form_id) for f in engines),
                   key=lambda f: (f[0] != exports_service.DEFAULT_FORM, f[1]))  # the assessment first
    return render_template("reports.html", unit=unit, year=per.year, kind=per.kind, per=per, closed=per.closed(today),
                           crumbs=crumbs(unit), children=children, nav="reports", forms=forms,
                           house_statuses=app_lifecycle().statuses,
                           review_statuses=[(s, review_service.review_label(s, lg)) for s in review_service.REVIEW_LABELS])


def _report_args() -> dict:
    user = g.web_user
    return {"signer": getattr(user, "full_name", None) or user.username, "lang": lang(), "lc": app_lifecycle(),
            "now": app_clock.now(), "figures": request.args.get("figures") or "period_end"}


@bp.route("/reports/download")
@requires("report")
def report_download():
    tree = app_clock.as_of() if request.args.get("as_of") else None  # default: the period's end decides
    unit = unit_for("report", request.args.get("unit"), tree)
    name, data = reports_service.build(db.session, unit, request.args.get("kind", ""), request.args.get("year"),
                                       **_report_args(), as_of=tree)
    return Response(data, mimetype=XLSX, headers=_attachment(name))


@bp.route("/reports/view")
@requires("report")
def report_view():
    """The same report as a page to read and print (A4 landscape print stylesheet; «Save as PDF» in the
    browser's print dialogue gives its PDF)."""
    tree = app_clock.as_of() if request.args.get("as_of") else None  # default: the period's end decides
    unit = unit_for("report", request.args.get("unit"), tree)
    kind, year = request.args.get("kind", ""), request.args.get("year")
    page = reports_service.contents(db.session, unit, kind, year, **_report_args(), as_of=tree)
    return render_template("report_print.html", r=page, unit=unit, columns=reports_service.COLUMNS,
                           text=reports_service.TEXT, dated=reports_service.dated, kind=kind, year=year, figures=_report_args()["figures"],
                           nav="reports")


@bp.route("/exports/<what>.<fmt>")
@requires("export")
def export(what, fmt):
    day = app_clock.as_of()
    unit = unit_for("export", request.args.get("unit"), day)
    a = request.args
    name, ctype, chunks = exports_service.export(  # a bad name or format: 404; a bad filter: 400
        db.session, unit, what, fmt, now=app_clock.now(), labels=a.get("labels") or "vi", form_id=a.get("form") or None,
        status=a.get("status") or None, date_from=a.get("date_from") or None, date_to=a.get("date_to") or None,
        as_of=day)
    return Response(stream_with_context(chunks), mimetype=ctype.split(";")[0], headers=_attachment(name),
                    content_type=ctype)
