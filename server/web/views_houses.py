"""Dashboard (roll-up, drill-down, months, ranking, map), house lists, the house page, targets."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for

from server import app_clock
from server.app_lifecycle import current as app_lifecycle
from server.errors import DomainError
from server.extensions import db
from server.models import OrgUnit
from server.params import MAX_COMMENT, money, page_number, too_long, workdays
from server.services.accounts import access
from server.services.houses import funding as funding_service
from server.services.houses import reading as houses_service
from server.services.houses import writes as house_writes
from server.services.lists import listing
from server.services.programme import targets as targets_service
from server.services.reports import progress as progress_service
from server.services.surveys import signals
from server.web import bp, record
from server.web.dashboard_charts import dashboard_charts
from server.web.guards import crumbs, requires, unit_for
from server.web.i18n import lang, t
from server.web.views_maps import map_config


@bp.route("/dashboard")
@requires("view_progress")
def dashboard():
    day = app_clock.as_of()  # the tree the page follows (?as_of=YYYY-MM-DD, default today)
    unit = unit_for("view_progress", request.args.get("unit"), day)
    p = progress_service.rollup(db.session, unit, lc=app_lifecycle(), today=app_clock.today(), as_of=day)
    root = db.session.get(OrgUnit, p.unit.id)  # the unit in force that day
    months = progress_service.completions_by_month(db.session, root, day=day)
    ranking = progress_service.ranking(p)
    charts = dashboard_charts(p, months, progress_service.money_by_source(db.session, root, day=day))
    as_of = None if day == app_clock.today() else day.isoformat()
    return render_template("dashboard.html", p=p, crumbs=crumbs(root), by_month=months,
                           month_max=max([n for _, n in months] or [1]), ranking=ranking, as_of=as_of,
                           map=map_config(unit=root, live=True), charts=charts,
                           stages=progress_service.STAGES + ("rejected",), nav="dashboard",
                           signal_counts=signals.counts(db.session, g.web_user, unit),
                           can_review=access.allowed(g.web_user, "review"))


HOUSE_FILTERS = ("q", "status", "date_from", "date_to", "sort")


@bp.route("/houses")
@requires("list_houses")
def houses():
    unit = unit_for("list_houses", request.args.get("unit"))
    f = {k: (request.args.get(k) or "").strip() or None for k in HOUSE_FILTERS}
    lc = app_lifecycle()
    if f["status"] and f["status"] not in lc.statuses:
        abort(400)
    page = page_number(request.args.get("page"))
    try:
        items, total, more = houses_service.list_houses(db.session, g.web_user, unit, f["status"], page, lang(),
                                                        q=f["q"], sort=f["sort"], date_from=f["date_from"],
                                                        date_to=f["date_to"])
    except DomainError as err:  # a bad date or sort typed into the URL: the page says which
        flash(err.message(lang()), "error")
        return redirect(url_for("web.houses", unit=unit.code))
    result = listing.Page(items, total, page, houses_service.PAGE)
    links = {k: v for k, v in f.items() if v} | {"unit": unit.code}
    return render_template("houses.html", unit=unit, crumbs=crumbs(unit), items=items, result=result, more=more,
                           f=f, links=links, statuses=lc.statuses, sorts=houses_service.HOUSE_SORTS, nav="houses")


@bp.route("/houses/<id:house_id>")
@requires("view")
def house(house_id):
    h = houses_service.get_in_scope(db.session, g.web_user, house_id)  # 404 page when not in scope
    unit = db.session.get(OrgUnit, h.org_unit_id)
    lg = lang()
    view = {"id": h.id, "label": houses_service.label(h), "status": h.status, "unit_code": unit.code,
            "unit_name": unit.name}
    lat, lon = getattr(h, "lat", None), getattr(h, "lon", None)
    points = [{"lat": lat, "lon": lon, "status": h.status, "label": view["label"], "kind": "house"}] if lat is not None else []
    return render_template("house.html", h=view, events=houses_service.history(db.session, h.id, lg),
                           surveys=houses_service.surveys(db.session, h.id, lg),
                           funding=funding_service.house_funding(db.session, h.id, lg), points=points,
                           map=map_config(points, around=unit),
                           allowed=sorted(app_lifecycle().allowed(h.status), key=app_lifecycle().statuses.index),
                           can_change=access.can(g.web_user, "change_status", h),
                           can_fund=access.can(g.web_user, "fund", h), nav="houses",
                           sources=[(k, funding_service.SOURCE_LABELS[k][lg]) for k in funding_service.SOURCES])


@bp.route("/houses/<id:house_id>/record")
@requires("view")
def house_record(house_id):
    """The household's record to print (A4 portrait) for the commune's dossier."""
    h = houses_service.get_in_scope(db.session, g.web_user, house_id)  # 404 page when not in scope
    return render_template("record.html", printed=app_clock.now(), nav="houses", **record.record_context(h, lang()))


@bp.route("/houses/<id:house_id>/funding", methods=["POST"])
@requires("fund")
def house_funding(house_id):
    h = houses_service.get_in_scope(db.session, g.web_user, house_id, "fund")
    values = {}
    for name in ("planned", "disbursed", "workdays"):
        raw = (request.form.get(name) or "").strip()
        if raw:
            try:
                values[name] = money(raw) if name != "workdays" else workdays(raw)
            except ValueError:
                flash(t(name) + ": " + t("bad_amount" if name != "workdays" else "bad_workdays"), "error")
                return redirect(url_for("web.house", house_id=house_id))
    try:
        funding_service.set_funding(db.session, h, request.form.get("source", ""), actor_id=g.web_user.id, **values)
        signals.refresh_money(db.session, h)
        db.session.commit()
        flash(t("saved"))
    except DomainError as err:
        db.session.rollback()
        flash(err.message(lang()), "error")
    return redirect(url_for("web.house", house_id=house_id))


@bp.route("/houses/<id:house_id>/status", methods=["POST"])
@requires("change_status")
def house_transition(house_id):
    h = houses_service.get_in_scope(db.session, g.web_user, house_id, "change_status")
    reason = (request.form.get("reason") or "").strip()
    if not reason:
        flash(t("reason") + ": " + t("comment_required"), "error")
        return redirect(url_for("web.house", house_id=house_id))
    if too_long(reason):
        flash(t("reason") + ": " + t("too_long", n=MAX_COMMENT), "error")
        return redirect(url_for("web.house", house_id=house_id))
    try:
        house_writes.transition(db.session, h, request.form.get("to", ""), actor_id=g.web_user.id, reason=reason,
                                  lc=app_lifecycle(), expected=request.form.get("from") or None)
        db.session.commit()
    except DomainError as err:
        db.session.rollback()
        flash(err.message(lang()), "error")
        if err.code == "house_changed":  # someone moved the house since this page was shown
            return house(house_id), 409  # the page as it is now, with the message
    return redirect(url_for("web.house", house_id=house_id))


@bp.route("/targets/poor-district/<code>", methods=["POST"])
@requires("manage_targets")
def poor_district(code):
    unit = unit_for("manage_targets", code)
    funding_service.set_poor_district(db.session, unit.id, request.form.get("flag") == "1")
    db.session.commit()
    flash(t("saved"))
    return redirect(url_for("web.targets"))


@bp.route("/targets", methods=["GET", "POST"])
@requires("manage_targets")
def targets():
    home = unit_for("manage_targets", None)
    units = [home] + db.session.scalars(db.select(OrgUnit).where(OrgUnit.parent_id == home.id)
                                        .order_by(OrgUnit.code)).all()
    error = None
    if request.method == "POST":
        unit = unit_for("manage_targets", request.form.get("unit"))
        try:
            targets_service.set_target(db.session, unit.id, houses=request.form.get("houses"),
                                       effective_from=request.form.get("effective_from"),
                                       new_builds=request.form.get("new_builds"), repairs=request.form.get("repairs"),
                                       period=request.form.get("period", ""), reason=request.form.get("reason"),
                                       actor_id=g.web_user.id)
            db.session.commit()
            flash(t("target_saved"))
            return redirect(url_for("web.targets"))
        except DomainError as err:
            db.session.rollback()
            error = err.message(lang())
    ids = [u.id for u in units]
    current = targets_service.in_force(db.session, ids, app_clock.today())
    hist = targets_service.history(db.session, ids)
    poor = funding_service.poor_district_ids(db.session, ids)
    view = [{"code": u.code, "name": u.name, "current": current.get(u.id), "history": hist.get(u.id, []),
             "poor": u.id in poor} for u in units]
    return render_template("targets.html", units=view, error=error, nav="targets"), (422 if error else 200)
