"""POST /api/v1/submissions/{instance_id}/review — reviewers only, within their subtree."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from server import app_lifecycle
from server.api.common import Blueprint, actor
from server.extensions import db
from server.models import House
from server.services import review as review_service

blp = Blueprint("review", __name__, url_prefix="/api/v1", description="District review of submissions")


class ReviewIn(Schema):
    action = fields.String(required=True, validate=validate.OneOf(list(review_service.ACTIONS)))
    comment = fields.String(load_default=None, allow_none=True)


class ReviewOut(Schema):
    instance_id = fields.String()
    review_status = fields.String()
    review_comment = fields.String(allow_none=True)
    house_id = fields.Integer(allow_none=True)
    house_status = fields.String(allow_none=True)


@blp.route("/submissions/<instance_id>/review", methods=["POST"])
@blp.arguments(ReviewIn)
@blp.response(200, ReviewOut)
def review_submission(body, instance_id):
    """Approve, reject or request changes (a comment is required for the last two)."""
    user = actor()
    sub = review_service.decide(db.session, user, instance_id, body["action"], body.get("comment"),
                                lc=app_lifecycle.current())  # DomainError: rolled back, JSON
    db.session.commit()
    house = db.session.get(House, sub.house_id) if sub.house_id else None
    return {"instance_id": str(sub.instance_id), "review_status": sub.review_status,
            "review_comment": sub.review_comment, "house_id": sub.house_id,
            "house_status": house.status if house else None}
