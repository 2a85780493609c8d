"""GET /api/v1/forms and /api/v1/forms/{form_id}: what the phone downloads and keeps offline."""

from __future__ import annotations

from flask import make_response, request

from server.api.common import Blueprint, actor, with_etag
from server.api.schemas import FormSummary
from server.extensions import db
from server.services.programme import forms as forms_service

blp = Blueprint("forms", __name__, url_prefix="/api/v1/forms", description="Published forms")


@blp.route("", methods=["GET"])
@blp.response(200, FormSummary(many=True))
@blp.alt_response(304, description="Unchanged since the ETag in If-None-Match: no body")
def list_forms():
    """The newest version of every published form, with its hash (refresh when it changes).
    ETag = a hash of the list; If-None-Match gives 304."""
    actor()
    entries, etag = forms_service.listing(db.session)
    return with_etag(FormSummary(many=True).dump(entries), etag)


@blp.route("/<form_id>", methods=["GET"])
@blp.response(200)
@blp.alt_response(304, description="Unchanged since the ETag in If-None-Match: no body")
def get_form(form_id):
    """The compiled definition (newest, or `?version=`). ETag = hash; If-None-Match gives 304."""
    actor()
    form = forms_service.get(db.session, form_id, request.args.get("version"))
    return with_etag(form.definition, f'"{form.hash}"')


@blp.route("/<form_id>/media/<file>", methods=["GET"])
@blp.response(200)
def get_form_media(form_id, file):
    """One media file of the form (newest, or `?version=`), named with its sha256 in the definition's
    `media` list (ODK's manifest): the phone downloads it beside the definition and checks it."""
    actor()
    form = forms_service.get(db.session, form_id, request.args.get("version"))
    resp = make_response(forms_service.media_file(db.session, form, file))
    resp.headers["Content-Type"] = "text/csv; charset=utf-8" if file.lower().endswith(".csv") else "application/octet-stream"
    resp.headers["Cache-Control"] = "private, no-cache"
    return resp
