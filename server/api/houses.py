"""GET /api/v1/houses?org_unit=CODE&status=..., GET /api/v1/houses/{id} (with history)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from server.api.common import Blueprint, actor, request_lang, unit_for
from server.errors import DomainError
from server.extensions import db
from server.models import OrgUnit
from server.params import MAX_PAGE
from server.services.houses import funding as funding_service
from server.services.houses import lifecycle
from server.services.houses import reading as houses_service

blp = Blueprint("houses", __name__, url_prefix="/api/v1", description="Houses and their life")


class HousesQuery(Schema):
    org_unit = fields.String(load_default=None)
    status = fields.String(load_default=None)
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE))


class HouseItem(Schema):
    id = fields.Integer()
    label = fields.String()
    status = fields.String()
    status_label = fields.String()
    unit_code = fields.String()
    unit_name = fields.String()
    support = fields.Integer()
    lat = fields.Float(allow_none=True)
    lon = fields.Float(allow_none=True)


class HouseList(Schema):
    items = fields.List(fields.Nested(HouseItem))
    total = fields.Integer()
    page = fields.Integer()
    more = fields.Boolean()


class Event(Schema):
    at = fields.String(allow_none=True)
    who = fields.String()
    kind = fields.String()
    from_status = fields.String(allow_none=True)
    to_status = fields.String()
    what = fields.String()
    why = fields.String(allow_none=True)


class HouseDetail(HouseItem):
    history = fields.List(fields.Nested(Event))
    funding = fields.List(fields.Dict())
    surveys = fields.List(fields.Dict())


@blp.route("/houses")
@blp.arguments(HousesQuery, location="query")
@blp.response(200, HouseList)
def list_houses(query):
    """Houses in the caller's subtree (or in ``org_unit`` inside it), 100 a page."""
    user = actor()
    unit = unit_for(user, query.get("org_unit"), "list_houses")
    status = query.get("status")
    if status and status not in lifecycle.STATUS_LABELS:
        raise DomainError("bad_status", field="status")
    items, total, more = houses_service.list_houses(db.session, user, unit, status, query["page"],
                                                    request_lang())
    return {"items": items, "total": total, "page": query["page"], "more": more}


@blp.route("/houses/<id:house_id>")
@blp.response(200, HouseDetail)
def get_house(house_id):
    """One house with its audit trail (every review and status change), funding and surveys."""
    user = actor()
    lang = request_lang()
    h = houses_service.get_in_scope(db.session, user, house_id)
    unit = db.session.get(OrgUnit, h.org_unit_id)
    return {"id": h.id, "label": houses_service.label(h), "status": h.status,
            "status_label": lifecycle.status_label(h.status, lang), "unit_code": unit.code,
            "unit_name": unit.name, "lat": getattr(h, "lat", None), "lon": getattr(h, "lon", None),
            "support": sum(f["planned"] for f in funding_service.house_funding(db.session, h.id, lang)),
            "history": houses_service.history(db.session, h.id, lang),
            "funding": funding_service.house_funding(db.session, h.id, lang),
            "surveys": houses_service.surveys(db.session, h.id, lang)}
