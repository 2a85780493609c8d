"""Session sign-in, language switch, CSRF on every POST, role-aware helpers, error pages, filters."""

from __future__ import annotations

import functools
from urllib.parse import urlsplit

from flask import abort, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_wtf.csrf import CSRFError, generate_csrf, validate_csrf
from werkzeug.exceptions import HTTPException
from wtforms.validators import ValidationError

from server.errors import DomainError
from server.extensions import db
from server.models import OrgUnit, User
from server.services.accounts import access, web_sessions
from server.services.accounts import auth as auth_service
from server.services.houses.lifecycle import status_label as _status_label
from server.web import bp
from server.web.i18n import LANGS, lang, t


# ---- request set-up -------------------------------------------------------------------------------
@bp.before_app_request
def _load_user():
    g.web_user = None
    # Per-request values, even when one app context outlives many requests (test clients): the CSRF
    # token and the API's cached bearer-token actor.
    for key in ("csrf_token", "actor", "token_row"):
        g.pop(key, None)
    sid = session.get("sid")
    if sid is None:
        return
    user = web_sessions.current(db.session, sid, current_app.config["SESSION_IDLE_MINUTES"])
    if db.session.dirty:
        db.session.commit()  # last_seen_at moved on, or an idle session ended
    if user is None:
        session.pop("sid", None)  # signed out elsewhere, locked, idle: the cookie is worth nothing now
    else:
        g.web_user = user


@bp.before_request
def _csrf():
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        try:
            validate_csrf(request.form.get("csrf_token"))
        except ValidationError as err:
            raise CSRFError(err.args[0] if err.args else "CSRF") from None


@bp.app_context_processor
def _globals():
    user = getattr(g, "web_user", None)
    return {"t": t, "lang": lang(), "user": _user_view(user) if user else None, "csrf_token": generate_csrf,
            "status_label": lambda s: _status_label(s, lang()), "may": lambda verb: access.allowed(user, verb)}


def _user_view(user):
    unit = db.session.get(OrgUnit, user.org_unit_id)
    return {"username": user.username, "full_name": getattr(user, "full_name", None) or user.username,
            "role": user.role, "unit_name": unit.name if unit else ""}


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


# ---- access helpers -------------------------------------------------------------------------------
def current_user() -> User:
    return g.web_user


def requires(verb: str | None = None):
    """Sign-in required; a signed-in user whose role may never do ``verb`` gets 403 (the access gate's
    role half; the view asks the gate about the thing itself)."""

    def wrap(view):
        @functools.wraps(view)
        def inner(*args, **kwargs):
            if g.web_user is None:
                flash(t("need_sign_in"), "error")
                return redirect(url_for("web.sign_in", next=request.full_path))
            if verb is not None and not access.allowed(g.web_user, verb):
                abort(403)
            return view(*args, **kwargs)

        return inner

    return wrap


def user_unit() -> OrgUnit:
    return db.session.get(OrgUnit, g.web_user.org_unit_id)


def unit_for(verb: str, code: str | None) -> OrgUnit:
    """The unit named by ``code`` (else the user's own) for ``verb``: 404 outside the user's subtree."""
    return access.require_unit(db.session, g.web_user, verb, code)


def crumbs(unit: OrgUnit) -> list[OrgUnit]:
    """From the user's unit down to ``unit``."""
    home = user_unit()
    chain = []
    node = unit
    while node is not None:
        chain.append(node)
        if node.id == home.id:
            break
        node = db.session.get(OrgUnit, node.parent_id) if node.parent_id else None
    return list(reversed(chain))


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


@bp.route("/")
@requires()
def home():
    return redirect(url_for(LANDING.get(g.web_user.role, "web.mine")))


@bp.route("/mine")
@requires()
def mine():
    from server.services.surveys import review as review_service

    return render_template("mine.html", items=review_service.own(db.session, g.web_user, lang()), nav="mine")


# ---- errors (HTML for pages; the API keeps its JSON handler) ----------------------------------------
@bp.errorhandler(CSRFError)
def _csrf_error(err):
    return render_template("error.html", code=400, message=t("csrf")), 400


@bp.errorhandler(DomainError)
def _domain_error(err):
    """A refusal of the access gate (or a service) on a page: the HTML error page, nothing half-written."""
    db.session.rollback()
    message = {404: t("not_found"), 403: t("forbidden")}.get(err.status) if err.code in ("not_found", "forbidden") \
        else err.message(lang())
    return render_template("error.html", code=err.status, message=message or err.message(lang())), err.status


@bp.errorhandler(HTTPException)
def _http_error(err):
    message = {404: t("not_found"), 403: t("forbidden"), 400: t("bad_request")}.get(err.code, t("server_error"))
    return render_template("error.html", code=err.code, message=message), err.code
