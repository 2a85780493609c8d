"""Who is asking: the signed-in user per request, CSRF on every write, the role gate, the unit helpers."""

from __future__ import annotations

import functools

from flask import abort, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_wtf.csrf import CSRFError, generate_csrf, validate_csrf
from wtforms.validators import ValidationError

from server.extensions import db
from server.models import OrgUnit, User
from server.services.accounts import access, web_sessions
from server.services.houses.lifecycle import status_label as _status_label
from server.web import bp
from server.web.i18n import lang, t


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
            "role": user.role, "unit_name": unit.name if unit else "", "needs_rescope": user.needs_rescope}


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
                if request.path == url_for("web.home"):  # simply arriving: the sign-in page, no message
                    return redirect(url_for("web.sign_in"))
                flash(t("need_sign_in"), "note")  # a link followed while signed out: a note, not an error
                return redirect(url_for("web.sign_in", next=request.full_path))
            if g.web_user.must_change_password and request.endpoint != "web.change_password":
                return redirect(url_for("web.change_password", next=request.full_path))  # one-time password
            if verb is not None and not access.allowed(g.web_user, verb):
                abort(403)
            if verb is not None and g.web_user.needs_rescope:  # their unit is gone: nothing of today to show
                return render_template("rescope_wait.html")
            return view(*args, **kwargs)

        return inner

    return wrap


def user_unit() -> OrgUnit:
    return db.session.get(OrgUnit, g.web_user.org_unit_id)


def unit_for(verb: str, code: str | None, day=None) -> OrgUnit:
    """The unit named by ``code`` (the one in force on ``day``, default today; else the user's own) for
    ``verb``: 404 outside the user's subtree."""
    return access.require_unit(db.session, g.web_user, verb, code, day)


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


