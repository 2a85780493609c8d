"""Error pages: HTML for pages (the API keeps its JSON handler); nothing half-written survives a refusal."""

from __future__ import annotations

from flask import render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from server.errors import DomainError
from server.extensions import db
from server.web import bp
from server.web.i18n import lang, t


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

