"""Accounts and their signed-in phones (admins): take back a lost phone's sign-in at once."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for

from server.errors import DomainError
from server.extensions import db
from server.services.accounts import devices as devices_service
from server.services.reports.formatting import vn_time
from server.web import bp
from server.web.guards import requires
from server.web.i18n import t


@bp.route("/devices")
@requires("manage_devices")
def devices():
    return render_template("devices.html", accounts=devices_service.accounts(db.session, g.web_user),
                           when=vn_time, nav="devices")


@bp.route("/devices/<id:token_id>/revoke", methods=["POST"])
@requires("manage_devices")
def revoke_device(token_id):
    try:
        row = devices_service.revoke_device(db.session, g.web_user, token_id)
    except DomainError:
        abort(404)
    db.session.commit()
    flash(t("device_revoked", user=row.user.username, device=row.device_id or "?"))
    return redirect(url_for("web.devices"))


@bp.route("/accounts/<username>/revoke", methods=["POST"])
@requires("manage_devices")
def revoke_account(username):
    try:
        n = devices_service.revoke_user(db.session, g.web_user, username)
    except DomainError:
        abort(404)
    db.session.commit()
    flash(t("account_revoked", user=username, n=n))
    return redirect(url_for("web.devices"))


@bp.route("/accounts/<username>/active", methods=["POST"])
@requires("manage_devices")
def account_active(username):
    active = request.form.get("active") == "1"
    try:
        devices_service.set_active(db.session, g.web_user, username, active)
    except DomainError as err:
        abort(403 if err.code == "forbidden" else 404)
    db.session.commit()
    flash(t("account_unlocked" if active else "account_locked", user=username))
    return redirect(url_for("web.devices"))
