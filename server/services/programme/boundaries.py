"""Unit boundaries for the maps: an admin loads a GeoJSON FeatureCollection, each feature is matched to a
unit by the code in one of its properties, checked, simplified and stored (``unit_boundaries``).

Checked: a FeatureCollection of Features whose geometry is a Polygon or MultiPolygon of [lon, lat] numbers
on the globe, rings of at least 4 positions. Each unit keeps at most ``MAX_POINTS`` positions (Douglas-Peucker
with a tolerance that grows until it fits; positions rounded to 5 decimals, about a metre), so a page that
draws a province's districts stays small. Features whose code names no unit the admin manages are reported
back, not stored.
"""

from __future__ import annotations

import datetime as dt
import math

import sqlalchemy as sa
from sqlalchemy.orm import Session

from server.errors import DomainError
from server.models import OrgUnit, User
from server.models.boundaries import UnitBoundary
from server.params import loads_json
from server.services.accounts import access

MAX_POINTS = 2000  # positions kept per unit
MAX_FEATURES = 5000
FIRST_TOLERANCE = 0.00005  # degrees, about 5 m
DEFAULT_PROPERTY = "code"
GEOJSON_KIND = "type"


def _kind(obj: dict):
    """A GeoJSON object's kind (its ``type`` member: FeatureCollection, Polygon ...)."""
    return obj.get(GEOJSON_KIND)


def _bad(why_vi: str, why_en: str) -> DomainError:
    return DomainError("bad_geojson", params={"why": {"vi": why_vi, "en": why_en}})


def _check_ring(ring) -> list[list[float]]:
    if not isinstance(ring, list) or len(ring) < 4:
        raise _bad("mỗi vòng cần ít nhất 4 điểm", "each ring needs at least 4 positions")
    out = []
    for pos in ring:
        if not isinstance(pos, list) or len(pos) < 2 or not all(
                isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in pos[:2]):
            raise _bad("toạ độ phải là cặp số [kinh độ, vĩ độ]", "positions must be [longitude, latitude] numbers")
        lon, lat = float(pos[0]), float(pos[1])
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise _bad("toạ độ nằm ngoài trái đất", "a position lies outside the globe")
        out.append([lon, lat])
    return out


def _polygons(geometry) -> list[list[list[list[float]]]]:
    """The geometry as a list of polygons (each a list of rings), checked."""
    if not isinstance(geometry, dict) or _kind(geometry) not in ("Polygon", "MultiPolygon"):
        raise _bad("chỉ nhận vùng (Polygon, MultiPolygon)", "only Polygon and MultiPolygon geometries are accepted")
    coords = geometry.get("coordinates")
    polys = [coords] if _kind(geometry) == "Polygon" else coords
    if not isinstance(polys, list) or not polys or not all(isinstance(p, list) and p for p in polys):
        raise _bad("vùng không có toạ độ", "a geometry has no coordinates")
    return [[_check_ring(r) for r in poly] for poly in polys]


def _rdp(ring: list[list[float]], tol: float) -> list[list[float]]:
    """Douglas-Peucker (iterative) on one closed ring; at least 4 positions are kept."""
    if len(ring) <= 4:
        return ring
    keep = [False] * len(ring)
    keep[0] = keep[-1] = True
    stack = [(0, len(ring) - 1)]
    while stack:
        a, b = stack.pop()
        (x1, y1), (x2, y2) = ring[a], ring[b]
        dx, dy = x2 - x1, y2 - y1
        norm = math.hypot(dx, dy)
        best, at = -1.0, -1
        for i in range(a + 1, b):
            x, y = ring[i]
            d = abs(dy * x - dx * y + x2 * y1 - y2 * x1) / norm if norm else math.hypot(x - x1, y - y1)
            if d > best:
                best, at = d, i
        if at > 0 and best > tol:
            keep[at] = True
            stack += [(a, at), (at, b)]
    out = [p for p, k in zip(ring, keep, strict=True) if k]
    if len(out) < 4:  # a ring reduced to a line: keep its corners
        out = [ring[0], ring[len(ring) // 3], ring[2 * len(ring) // 3], ring[-1]]
    return out


def simplify(polygons, max_points: int = MAX_POINTS) -> tuple[list, int]:
    """(polygons simplified and rounded, positions kept): the tolerance doubles until they fit."""
    tol = FIRST_TOLERANCE
    while True:
        out = [[[[round(x, 5), round(y, 5)] for x, y in _rdp(r, tol)] for r in poly] for poly in polygons]
        n = sum(len(r) for poly in out for r in poly)
        if n <= max_points or tol > 1:
            return out, n
        tol *= 2


def read(data: bytes, prop: str = DEFAULT_PROPERTY) -> dict[str, list]:
    """{unit code: polygons} from a GeoJSON file (DomainError ``bad_geojson`` when it is not one)."""
    try:
        doc = loads_json(data)
    except ValueError:
        raise _bad("không phải JSON", "not JSON") from None
    if not isinstance(doc, dict) or _kind(doc) != "FeatureCollection" or not isinstance(doc.get("features"), list):
        raise _bad("cần một FeatureCollection", "a FeatureCollection is needed")
    if len(doc["features"]) > MAX_FEATURES:
        raise _bad(f"quá {MAX_FEATURES} vùng", f"more than {MAX_FEATURES} features")
    out: dict[str, list] = {}
    for feature in doc["features"]:
        if not isinstance(feature, dict) or not isinstance(feature.get("properties"), dict):
            raise _bad("mỗi vùng cần có thuộc tính (properties)", "each feature needs properties")
        code = feature["properties"].get(prop)
        if code in (None, ""):
            raise _bad(f"một vùng không có thuộc tính «{prop}»", f"a feature has no «{prop}» property")
        out.setdefault(str(code).strip(), []).extend(_polygons(feature.get("geometry")))
    return out


def load(session: Session, actor: User, data: bytes, prop: str = DEFAULT_PROPERTY,
         now: dt.datetime | None = None) -> tuple[list[str], list[str]]:
    """Store the boundaries of ``data`` for the units the actor manages: (codes saved, codes matching no
    such unit). Nothing is stored when no feature matches (``boundaries_no_match``)."""
    shapes = read(data, prop)
    home = access.home(session, actor)
    units = {u.code: u for u in session.scalars(sa.select(OrgUnit).where(OrgUnit.code.in_(list(shapes)),
                                                                      access.in_subtree(OrgUnit.path, home.path)))}
    units = {c: u for c, u in units.items() if access.can(actor, "manage_units", u)}
    if not units:
        raise DomainError("boundaries_no_match", params={"prop": prop})
    current = {b.org_unit_id: b for b in session.scalars(sa.select(UnitBoundary).where(
        UnitBoundary.org_unit_id.in_([u.id for u in units.values()])))}
    for code, unit in units.items():
        polygons, n = simplify(shapes[code])
        geometry = {"type": "MultiPolygon", "coordinates": polygons}
        row = current.get(unit.id) or UnitBoundary(org_unit_id=unit.id)
        row.geometry, row.points, row.updated_by_id = geometry, n, actor.id
        row.updated_at = now or dt.datetime.now(dt.UTC)
        session.add(row)
    session.flush()
    return sorted(units), sorted(set(shapes) - set(units))


def of_units(session: Session, units: list[OrgUnit]) -> list[dict]:
    """[{"code", "name", "geometry"}] of those of ``units`` that have a boundary."""
    by_id = {u.id: u for u in units}
    rows = session.scalars(sa.select(UnitBoundary).where(UnitBoundary.org_unit_id.in_(list(by_id)))).all()
    return [{"code": by_id[b.org_unit_id].code, "name": by_id[b.org_unit_id].name, "geometry": b.geometry}
            for b in sorted(rows, key=lambda b: by_id[b.org_unit_id].code)]


def for_map(session: Session, unit: OrgUnit) -> list[dict]:
    """What a map of ``unit`` draws: the boundaries of its child units and its own."""
    children = session.scalars(sa.select(OrgUnit).where(OrgUnit.parent_id == unit.id)).all()
    return of_units(session, [unit, *children])


def around(session: Session, unit: OrgUnit) -> list[dict]:
    """What a map of one place in ``unit`` draws: the boundaries of the unit and of its parent (a village's
    commune)."""
    parent = session.get(OrgUnit, unit.parent_id) if unit.parent_id else None
    return of_units(session, [u for u in (parent, unit) if u is not None])


def all_loaded(session: Session, actor: User, limit: int = 500) -> list[dict]:
    """What the boundaries page draws: every boundary stored in the actor's subtree (at most ``limit``)."""
    home = access.home(session, actor)
    units = session.scalars(sa.select(OrgUnit).join(UnitBoundary, UnitBoundary.org_unit_id == OrgUnit.id)
                            .where(access.in_subtree(OrgUnit.path, home.path)).order_by(OrgUnit.path).limit(limit)).all()
    return of_units(session, list(units))


def loaded(session: Session, actor: User) -> list[dict]:
    """The boundaries stored in the actor's subtree: unit, positions kept, who loaded them and when."""
    home = access.home(session, actor)
    q = (sa.select(OrgUnit.code, OrgUnit.name, OrgUnit.level, UnitBoundary.points, UnitBoundary.updated_at,
                   User.full_name, User.username)
         .join(UnitBoundary, UnitBoundary.org_unit_id == OrgUnit.id).outerjoin(User, User.id == UnitBoundary.updated_by_id)
         .where(access.in_subtree(OrgUnit.path, home.path)).order_by(OrgUnit.path))
    return [{"code": c, "name": n, "level": lv, "points": p, "updated_at": at, "by": full or user or ""}
            for c, n, lv, p, at, full, user in session.execute(q)]
