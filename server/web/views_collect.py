"""The account's «ODK Collect» page: the server URL to type into ODK Collect / KoboCollect, a Collect key
(made here, shown once, with Collect's settings QR code) and taking one's own keys back."""

from __future__ import annotations

import segno
from flask import current_app, flash, g, redirect, render_template, request, url_for

from server.extensions import db
from server.services.accounts import access, collect_keys
from server.services.reports.formatting import vn_time
from server.web import bp
from server.web.guards import requires
from server.web.i18n import t


def _page(new_url: str | None = None):
    user = g.web_user
    unit = access.home(db.session, user)
    https_url = url_for("openrosa.form_list", scope=unit.code, _external=True, _scheme="https").rsplit("/", 1)[0]
    qr = None
    if new_url:
        payload = collect_keys.settings_payload(new_url)
        qr = segno.make(payload, error="m").svg_data_uri(scale=4)
    return render_template("collect.html", unit=unit, https_url=https_url, new_url=new_url, qr=qr,
                           keys=collect_keys.active(db.session, user), when=vn_time, nav="collect")


@bp.route("/collect")
@requires()
def collect():
    return _page()


@bp.route("/collect/keys", methods=["POST"])
@requires()
def collect_key_new():
    unit = access.home(db.session, g.web_user)
    key, _ = collect_keys.create(db.session, g.web_user, request.form.get("label"),
                                 days=current_app.config["COLLECT_KEY_DAYS"])
    db.session.commit()
    url = url_for("openrosa.form_list", token=key, scope=unit.code, _external=True).rsplit("/", 1)[0]
    return _page(new_url=url)


@bp.route("/collect/keys/<id:key_id>/revoke", methods=["POST"])
@requires()
def collect_key_revoke(key_id):
    collect_keys.revoke_own(db.session, g.web_user, key_id)
    db.session.commit()
    flash(t("collect_key_revoked"))
    return redirect(url_for("web.collect"))
