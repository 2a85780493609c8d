"""Accounts and their signed-in phones (admins): take back a lost phone's sign-in, sign an account out
everywhere, lock or unlock it. Each of these acts only after a confirmation step: the GET shows what
will happen and a button; the POST acts only with ``confirmed=1`` (a POST without it shows the question)."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for

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


def _back() -> str:
    """Where the confirmation came from (the devices page or an account page): a path of this site only."""
    target = request.values.get("back") or ""
    return target if target.startswith("/") and not target.startswith("//") else url_for("web.devices")


def _confirm(question: str, action: str, button: str):
    return render_template("confirm.html", nav="devices", question=question, action=action, button=button,
                           back=_back())


@bp.route("/devices/<id:token_id>/revoke", methods=["GET", "POST"])
@requires("manage_devices")
def revoke_device(token_id):
    row = devices_service.device(db.session, g.web_user, token_id)  # 404 outside the subtree
    if request.method == "GET" or request.form.get("confirmed") != "1":
        return _confirm(t("confirm_revoke_device", user=row.user.username, device=row.device_id or "?"),
                        url_for("web.revoke_device", token_id=token_id), t("revoke"))
    devices_service.revoke_device(db.session, g.web_user, token_id)
    db.session.commit()
    flash(t("device_revoked", user=row.user.username, device=row.device_id or "?"))
    return redirect(_back())


@bp.route("/accounts/<username>/revoke", methods=["GET", "POST"])
@requires("manage_devices")
def revoke_account(username):
    devices_service.account_user(db.session, g.web_user, username)  # 404 outside the subtree
    if request.method == "GET" or request.form.get("confirmed") != "1":
        return _confirm(t("confirm_revoke_all", user=username), url_for("web.revoke_account", username=username),
                        t("revoke_all"))
    n = devices_service.revoke_user(db.session, g.web_user, username)
    db.session.commit()
    flash(t("account_revoked", user=username, n=n))
    return redirect(_back())


@bp.route("/accounts/<username>/active", methods=["GET", "POST"])
@requires("manage_devices")
def account_active(username):
    user = devices_service.account_user(db.session, g.web_user, username)  # 404 outside the subtree
    active = request.values.get("active") == "1"
    if user.id == g.web_user.id and not active:
        raise DomainError("forbidden")  # an admin does not lock themselves out
    if request.method == "GET" or request.form.get("confirmed") != "1":
        return _confirm(t("confirm_unlock" if active else "confirm_lock", user=username),
                        url_for("web.account_active", username=username, active="1" if active else "0"),
                        t("unlock") if active else t("lock"))
    devices_service.set_active(db.session, g.web_user, username, active)
    db.session.commit()
    flash(t("account_unlocked" if active else "account_locked", user=username))
    return redirect(_back())
