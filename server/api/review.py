"""POST /api/v1/submissions/{instance_id}/review — reviewers only, within their subtree."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from server import app_lifecycle
from server.api.common import Blueprint, actor
from server.extensions import db
from server.models import House
from server.services.surveys import review as review_service

blp = Blueprint("review", __name__, url_prefix="/api/v1", description="District review of submissions")


class ReviewIn(Schema):
    action = fields.String(required=True, validate=validate.OneOf(list(review_service.ACTIONS)))
    comment = fields.String(load_default=None, allow_none=True)
    override = fields.Boolean(load_default=False, metadata={
        "description": "approve despite the form's verdict (not eligible, land not valid) or an unresolved "
                       "possible duplicate; the comment is the reason (kept in the house history)"})
    duplicate = fields.String(load_default=None, allow_none=True,
                              validate=validate.OneOf(list(review_service.DUPLICATE_CHOICES)),
                              metadata={"description": "a possible duplicate: the same household as the matched "
                                                       "house, or a different one (a new house)"})


class BulkIn(Schema):
    instance_ids = fields.List(fields.String(validate=validate.Length(max=36)), required=True,
                               validate=validate.Length(max=500))


class BulkOut(Schema):
    approved = fields.Integer()
    skipped = fields.Integer(metadata={"description": "surveys left for a decision one by one (need an override)"})
    skipped_ids = fields.List(fields.String())


class ReviewOut(Schema):
    instance_id = fields.String()
    review_status = fields.String()
    review_comment = fields.String(allow_none=True)
    house_id = fields.Integer(allow_none=True)
    house_status = fields.String(allow_none=True)
    duplicate_state = fields.String(allow_none=True)


@blp.route("/submissions/<instance_id>/review", methods=["POST"])
@blp.arguments(ReviewIn)
@blp.response(200, ReviewOut)
def review_submission(body, instance_id):
    """Approve, reject or request changes (a comment is required for the last two; an approval that
    overrides the form's verdict or a possible duplicate needs ``override`` and a reason)."""
    user = actor()
    sub = review_service.decide(db.session, user, instance_id, body["action"], body.get("comment"),
                                override=body.get("override", False), duplicate=body.get("duplicate"),
                                lc=app_lifecycle.current())  # DomainError: rolled back, JSON
    db.session.commit()
    house = db.session.get(House, sub.house_id) if sub.house_id else None
    return {"instance_id": str(sub.instance_id), "review_status": sub.review_status,
            "review_comment": sub.review_comment, "house_id": sub.house_id,
            "house_status": house.status if house else None, "duplicate_state": sub.duplicate_state}


@blp.route("/review/bulk", methods=["POST"])
@blp.arguments(BulkIn)
@blp.response(200, BulkOut)
def bulk_review(body):
    """Approve several surveys at once; those that need an override are left (and counted)."""
    result = review_service.bulk_approve(db.session, actor(), body["instance_ids"], lc=app_lifecycle.current())
    db.session.commit()  # a DomainError is rolled back and rendered by the one API handler
    return {"approved": result.approved, "skipped": len(result.skipped), "skipped_ids": result.skipped}

