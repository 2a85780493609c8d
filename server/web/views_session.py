"""Signing in and out, the language switch, the landing page and the volunteer's own surveys (/mine)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    send_from_directory,
    session,
    url_for,
)

from server.errors import DomainError
from server.extensions import db
from server.services.accounts import auth as auth_service
from server.services.accounts import web_sessions
from server.services.surveys import review_queue
from server.web import bp
from server.web.guards import requires
from server.web.i18n import LANGS, lang, t


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("web.home")


def _fresh_session() -> None:
    """A new session on sign-in/out (no fixation); keeps only the language; drops the cached CSRF token."""
    keep_lang = session.get("lang")
    session.clear()
    g.pop("csrf_token", None)
    if keep_lang:
        session["lang"] = keep_lang


# ---- pages ----------------------------------------------------------------------------------------
LANDING = {"reviewer": "web.queue", "manager": "web.dashboard", "admin": "web.dashboard"}  # where "/" leads


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    nxt = request.args.get("next")
    if request.method == "GET":
        return render_template("sign_in.html", next=nxt)
    username = (request.form.get("username") or "").strip()
    address = request.remote_addr or ""
    try:
        user = auth_service.sign_in(db.session, username, request.form.get("password") or "", address,
                                    auth_service.Throttle.from_config(current_app.config), channel="web")
    except auth_service.Throttled as err:
        page = render_template("sign_in.html", next=nxt, username=username,
                               error=t("too_many_attempts", minutes=-(-err.retry_after_s // 60)))
        return page, 429, {"Retry-After": str(err.retry_after_s)}
    except DomainError as err:
        locked = err.code == "account_disabled"
        page = render_template("sign_in.html", next=nxt, username=username,
                               error=t("account_locked_sign_in" if locked else "bad_login"))
        return page, 403 if locked else 401
    _fresh_session()
    session["sid"] = web_sessions.start(db.session, user, address)
    db.session.commit()
    if user.must_change_password:  # a one-time password from an admin: a new one first
        return redirect(url_for("web.change_password", next=nxt))
    return redirect(_safe_next(nxt))


@bp.route("/password", methods=["GET", "POST"])
@requires()
def change_password():
    """Change one's own password: forced after a one-time password (the current one is not asked again),
    else with the current password (checked like a sign-in, throttled). Every other browser and phone of
    the account is signed out; this browser gets a fresh session."""
    user, nxt = g.web_user, request.args.get("next")
    forced = user.must_change_password
    if request.method == "GET":
        return render_template("password.html", forced=forced, next=nxt)
    new, again = request.form.get("new_password") or "", request.form.get("new_password_again") or ""
    address = request.remote_addr or ""
    try:
        if new != again:
            raise DomainError("password_mismatch", field="new_password_again")
        if not forced:
            auth_service.sign_in(db.session, user.username, request.form.get("password") or "", address,
                                 auth_service.Throttle.from_config(current_app.config), channel="web")
        auth_service.change_password(db.session, user, new, actor=user.username)
    except DomainError as err:
        db.session.rollback()
        return render_template("password.html", forced=forced, next=nxt, error=err.message(lang())), err.status
    _fresh_session()
    session["sid"] = web_sessions.start(db.session, user, address)
    db.session.commit()
    flash(t("password_changed"))
    return redirect(_safe_next(nxt))


@bp.route("/sign-out", methods=["POST"])
def sign_out():
    web_sessions.end(db.session, session.get("sid"), request.remote_addr or "")
    db.session.commit()
    _fresh_session()
    flash(t("signed_out"))
    return redirect(url_for("web.sign_in"))


@bp.route("/lang/<code>")
def set_lang(code):
    if code in LANGS:
        session["lang"] = code
    return redirect(_safe_next(request.args.get("next")))


@bp.route("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico whatever the page says; the pages link the SVG (base.html)."""
    return send_from_directory(bp.static_folder, "favicon.ico", mimetype="image/vnd.microsoft.icon", max_age=86400)


@bp.route("/")
@requires()
def home():
    return redirect(url_for(LANDING.get(g.web_user.role, "web.mine")))


@bp.route("/mine")
@requires()
def mine():
    return render_template("mine.html", items=review_queue.own(db.session, g.web_user, lang()), nav="mine")


