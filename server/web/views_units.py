"""The units page (admins): today's tree of their unit, search, import CSV, add, rename; a reorganisation
(mapping CSV + new units + effective day) previewed before it is applied; accounts a reorganisation left
without a unit, re-scoped here."""

from __future__ import annotations

import json

import sqlalchemy as sa
from flask import flash, g, redirect, render_template, request, url_for

from server import app_clock
from server.errors import DomainError
from server.extensions import db
from server.models import Reorganisation, User
from server.params import parse_day
from server.services.accounts import access
from server.services.programme import org_units, reorganise
from server.web import bp
from server.web.guards import requires, user_unit
from server.web.i18n import lang, t

MAX_CSV = 2 * 1024 * 1024


def _text(field: str) -> str:
    """An uploaded CSV (or the same text carried by the preview page)."""
    upload = request.files.get(field)
    if upload is not None and upload.filename:
        data = upload.read(MAX_CSV + 1)
        if len(data) > MAX_CSV:
            raise DomainError("invalid_request", fields={field: ["file too large"]})
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise DomainError("invalid_request", fields={field: ["not UTF-8 text"]}) from None
    return (request.form.get(field + "_text") or "")[:MAX_CSV]


def _effective():
    try:
        day = parse_day(request.form.get("effective"))
    except ValueError:
        day = None
    if day is None:
        raise DomainError("bad_as_of", params={"value": repr((request.form.get("effective") or "")[:20])})
    return day


def _page(**more):
    me = g.web_user
    rescope = list(db.session.scalars(access.visible_users(db.session, me).where(User.needs_rescope.is_not(None))
                                      .order_by(User.username)))
    reorgs = list(db.session.scalars(sa.select(Reorganisation).order_by(Reorganisation.effective.desc())))
    q = (request.args.get("q") or "").strip()
    return render_template("units.html", units=org_units.listing(db.session, me, q), q=q, home=user_unit(),
                           rescope=rescope, reorgs=[(r, json.loads(r.summary or "{}")) for r in reorgs],
                           targets=org_units.listing(db.session, me), nav="units", **more)


@bp.route("/units")
@requires("manage_units")
def units():
    return _page()


@bp.route("/units/import", methods=["POST"])
@requires("manage_units")
def units_import():
    try:
        counts = org_units.import_csv(db.session, _text("units"), actor=g.web_user)
    except DomainError as err:
        db.session.rollback()
        flash(f"{err.message(lang())} {err.fields or ''}", "error")
        return redirect(url_for("web.units"))
    db.session.commit()
    flash(t("units_imported", **counts))
    return redirect(url_for("web.units"))


@bp.route("/units/add", methods=["POST"])
@requires("manage_units")
def units_add():
    f = request.form
    try:
        unit = org_units.add(db.session, g.web_user, parent_code=f.get("parent_code", ""), code=f.get("code", ""),
                             name=f.get("name", ""), level=f.get("level", ""))
    except DomainError as err:
        if err.code in ("not_found", "forbidden"):
            raise
        db.session.rollback()
        flash(f"{err.message(lang())} {err.fields or ''}", "error")
        return redirect(url_for("web.units"))
    db.session.commit()
    flash(t("unit_added", name=unit.name))
    return redirect(url_for("web.units", q=unit.code))


@bp.route("/units/<id:unit_id>/rename", methods=["POST"])
@requires("manage_units")
def units_rename(unit_id):
    unit = org_units.rename(db.session, g.web_user, unit_id, request.form.get("name", ""))  # 404 outside
    db.session.commit()
    flash(t("unit_renamed", name=unit.name))
    return redirect(url_for("web.units", q=unit.code))


def _plan(mapping: str, units_csv: str):
    p = reorganise.plan(db.session, mapping, _effective(), units_csv)
    home = user_unit()
    outside = [u.code for u in p.olds if not home.contains(u)]
    if outside:
        raise DomainError("not_found")  # a unit of someone else's tree: not ours to retire
    return p


@bp.route("/units/reorganise/preview", methods=["POST"])
@requires("manage_units")
def units_preview():
    mapping, units_csv = _text("mapping"), _text("new_units")  # an upload is read once
    p = _plan(mapping, units_csv)
    mine = next((s.new_code for s in p.steps if s.primary and s.old.id == g.web_user.org_unit_id), None)
    return _page(plan=p, counts=p.counts(), problems=p.problem_texts(lang()), mapping_text=mapping,
                 units_text=units_csv, effective=p.effective.isoformat(), my_successor=mine,
                 in_future=p.effective > app_clock.today())


@bp.route("/units/reorganise/apply", methods=["POST"])
@requires("manage_units")
def units_apply():
    p = _plan(_text("mapping"), _text("new_units"))
    me = g.web_user
    move_me = request.form.get("move_me") == "1"
    mine = next((s.new_code for s in p.steps if s.primary and s.old.id == me.org_unit_id), None)
    reorganise.apply(db.session, p, today=app_clock.today(), actor=me, note=(request.form.get("note") or "")[:500],
                     move_actor_to=mine if move_me else None)
    db.session.commit()
    flash(t("reorganised", day=p.effective.strftime("%d/%m/%Y"), **p.counts()))
    return redirect(url_for("web.units"))


@bp.route("/units/accounts/<id:user_id>/rescope", methods=["POST"])
@requires("manage_units")
def units_rescope(user_id):
    user = access.require(g.web_user, "view", db.session.get(User, user_id))
    reorganise.rescope(db.session, g.web_user, user, request.form.get("unit", ""), reason="units page")
    db.session.commit()
    flash(t("rescoped", user=user.username, unit=user.unit_name))
    return redirect(url_for("web.units"))
