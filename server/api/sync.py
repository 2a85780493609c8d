"""GET /api/v1/sync?since=CURSOR: review outcomes and houses to follow up, since the last sync."""

from __future__ import annotations

from server.api.common import Blueprint, actor
from server.api.schemas import SyncOut, SyncQuery
from server.extensions import db
from server.services.surveys import sync as sync_service

blp = Blueprint("sync", __name__, url_prefix="/api/v1", description="The sync feed")


@blp.route("/sync", methods=["GET"])
@blp.arguments(SyncQuery, location="query")
@blp.response(200, SyncOut)
def get_sync(args):
    """What changed for the caller since `since` (omit it for everything), and the next cursor."""
    user = actor()
    out = sync_service.feed(db.session, user, args.get("since"))
    db.session.commit()
    return out
