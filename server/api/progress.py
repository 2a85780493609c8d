"""GET /api/v1/progress?org_unit=CODE — totals and one row per child unit against the target in force."""

from __future__ import annotations

from marshmallow import Schema, fields

from server import app_clock, app_lifecycle
from server.api.common import Blueprint, actor, unit_for
from server.extensions import db
from server.services.reports import progress as progress_service

blp = Blueprint("progress", __name__, url_prefix="/api/v1", description="Progress roll-up by org unit")


class ProgressQuery(Schema):
    org_unit = fields.String(load_default=None)
    as_of = fields.String(load_default=None, metadata={"description": "YYYY-MM-DD: by the unit tree of that day "
                                                                      "(default today)"})


class ProgressRow(Schema):
    code = fields.String()
    name = fields.String()
    level = fields.String()
    target = fields.Integer(allow_none=True)
    assessed = fields.Integer()
    approved = fields.Integer()
    started = fields.Integer()
    completed = fields.Integer()
    handed_over = fields.Integer()
    rejected = fields.Integer()
    withdrawn = fields.Integer()
    pct_completed = fields.Float(allow_none=True)
    support_committed = fields.Integer()
    support_disbursed = fields.Integer()
    workdays = fields.Integer()


class ProgressOut(Schema):
    org_unit = fields.Dict()
    as_of = fields.String()
    totals = fields.Nested(ProgressRow)
    rows = fields.List(fields.Nested(ProgressRow))


@blp.route("/progress")
@blp.arguments(ProgressQuery, location="query")
@blp.response(200, ProgressOut)
def get_progress(query):
    """Counts are cumulative: a completed house also counts as assessed, approved and started.
    ``as_of`` (default today in Vietnam, Asia/Ho_Chi_Minh) is the day whose unit tree the rows follow."""
    day = app_clock.as_of(query.get("as_of") or "")
    unit = unit_for(actor(), query.get("org_unit"), "view_progress", day)
    return progress_service.rollup(db.session, unit, today=app_clock.today(), lc=app_lifecycle.current(),
                                   as_of=day).as_dict()
