"""GET /api/v1/sync?since=CURSOR: review outcomes and houses to follow up, since the last sync."""

from __future__ import annotations

from server.api.common import Blueprint, actor, with_etag
from server.api.schemas import SyncOut, SyncQuery
from server.extensions import db
from server.services.programme import forms as forms_service
from server.services.surveys import sync as sync_service

blp = Blueprint("sync", __name__, url_prefix="/api/v1", description="The sync feed")


@blp.route("/sync", methods=["GET"])
@blp.arguments(SyncQuery, location="query")
@blp.response(200, SyncOut)
@blp.alt_response(304, description="Nothing new since the cursor named in If-None-Match: no body")
def get_sync(args):
    """What changed for the caller since `since` (omit it for everything), and the next cursor.
    ETag = the cursor the page ends at: `If-None-Match: "<since>"` gives 304 when nothing is new.
    `X-Forms-ETag` is the ETag of `GET /forms`: the phone lists the forms only when it changed."""
    user = actor()
    out = sync_service.feed(db.session, user, args.get("since"))
    _, forms_etag = forms_service.listing(db.session)
    db.session.commit()
    resp = with_etag(SyncOut().dump(out), f'"{out["cursor"]}"')
    resp.headers["X-Forms-ETag"] = forms_etag
    return resp
