"""Houses on a map: every house of a view, grouped by the server when a view holds many.

The dashboard's map asks for one view at a time (its bounding box and zoom, ``view``). When the view holds
at most ``POINTS_LIMIT`` houses they come as points (the browser groups them with Leaflet.markercluster);
above that the database groups them by a grid of cells about 64 screen pixels wide at that zoom (count and
mean position per cell), so a province of 500,000 houses costs one GROUP BY and a few hundred circles,
never 500,000 markers (bench/search_map.py measured both). Nothing is left out: the clusters' counts add
up to every house in the view.
"""

from __future__ import annotations

import math

import sqlalchemy as sa
from sqlalchemy.orm import Session

from server.models import House, OrgUnit, User
from server.services.accounts import access
from server.services.surveys.signals import metres

POINTS_LIMIT = 5000  # a view with at most this many houses gets them one by one
CELL_PIXELS = 64
NEIGHBOUR_METRES = 1000
NEIGHBOUR_LIMIT = 50


def _visible(session: Session, actor: User, unit: OrgUnit):
    return access.visible_houses(session, actor, unit).where(House.lat.is_not(None), House.lon.is_not(None))


def extent(session: Session, actor: User, unit: OrgUnit) -> tuple[float, float, float, float] | None:
    """(south, west, north, east) of the houses with a position the actor sees in ``unit``; None: none."""
    q = _visible(session, actor, unit).with_only_columns(
        sa.func.min(House.lat), sa.func.min(House.lon), sa.func.max(House.lat), sa.func.max(House.lon))
    row = session.execute(q.order_by(None)).one()
    return None if row[0] is None else tuple(float(v) for v in row)


def cell_degrees(zoom: int) -> float:
    """The width in degrees of a cell of CELL_PIXELS screen pixels at ``zoom`` (256-pixel web tiles)."""
    return 360.0 / (2 ** zoom) * CELL_PIXELS / 256


def view(session: Session, actor: User, unit: OrgUnit, bbox: tuple[float, float, float, float], zoom: int,
         limit: int = POINTS_LIMIT) -> dict:
    """The houses of one map view: {"total", "points": [[id, lat, lon, status, label], ...]} when the view
    holds at most ``limit``, else {"total", "clusters": [[lat, lon, count], ...]} (a grid at ``zoom``)."""
    s, w, n, e = bbox
    q = _visible(session, actor, unit).where(House.lat.between(s, n), House.lon.between(w, e)).order_by(None)
    rows = session.execute(q.with_only_columns(House.id, House.lat, House.lon, House.status, House.head_name)
                           .limit(limit + 1)).all()
    if len(rows) <= limit:
        return {"total": len(rows), "points": [[i, round(la, 6), round(lo, 6), st, name or f"#{i}"]
                                                for i, la, lo, st, name in rows]}
    size = cell_degrees(zoom)
    gy, gx = sa.func.floor(House.lat / size), sa.func.floor(House.lon / size)
    cells = session.execute(q.with_only_columns(sa.func.avg(House.lat), sa.func.avg(House.lon),
                                                sa.func.count(House.id)).group_by(gy, gx)).all()
    return {"total": sum(c for _, _, c in cells),
            "clusters": [[round(float(la), 5), round(float(lo), 5), int(c)] for la, lo, c in cells]}


def neighbours(session: Session, actor: User, point: tuple[float, float], exclude=(), radius: float = NEIGHBOUR_METRES,
               limit: int = NEIGHBOUR_LIMIT) -> list[dict]:
    """Houses the actor may see within ``radius`` metres of ``point`` (nearest first, at most ``limit``)."""
    dlat = radius / 111_000
    dlon = radius / (111_000 * max(0.1, math.cos(math.radians(point[0]))))
    q = (access.visible_houses(session, actor)
         .where(House.lat.between(point[0] - dlat, point[0] + dlat), House.lon.between(point[1] - dlon, point[1] + dlon))
         .with_only_columns(House.id, House.lat, House.lon, House.status, House.head_name).limit(2000))
    if exclude:
        q = q.where(House.id.not_in([i for i in exclude if i is not None]))
    found = [(metres(point, (la, lo)), i, la, lo, st, name) for i, la, lo, st, name in session.execute(q)]
    return [{"id": i, "lat": la, "lon": lo, "status": st, "label": name or f"#{i}", "metres": round(d)}
            for d, i, la, lo, st, name in sorted(found)[:limit] if d <= radius]
