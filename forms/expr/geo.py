"""ODK geo functions on 'lat lon [alt accuracy]' points; traces and shapes join points with ';'."""

import math

from forms.expr.calls import Spec, eager, flatten
from forms.expr.values import NAN, to_string

EARTH_RADIUS = 6_378_100.0  # metres, as JavaRosa's GeoUtils


def parse_point(text):
    """'lat lon [alt acc]' -> (lat, lon) in degrees, or None."""
    parts = text.split()
    if len(parts) < 2 or len(parts) > 4:
        return None
    try:
        lat, lon = float(parts[0]), float(parts[1])
    except ValueError:
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat, lon


def points(values):
    """Arguments (geopoints, a node-set of them, or one trace/shape) -> [(lat, lon)], None if any is bad."""
    texts: list[str] = []
    for v in flatten(values):
        texts.extend(t for t in to_string(v).split(";") if t.strip())
    out = [parse_point(t) for t in texts]
    return None if any(p is None for p in out) else out


def _haversine(a, b):
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS * math.asin(min(1.0, math.sqrt(h)))


def distance(*values):
    """Length in metres of the path through the points, in order."""
    pts = points(values)
    if not pts or len(pts) < 2:
        return NAN
    return sum(_haversine(pts[k], pts[k + 1]) for k in range(len(pts) - 1))


def area(value):
    """Area in square metres of a closed shape on a sphere (Chamberlain & Duquette, as JavaRosa)."""
    pts = points([value])
    if pts is None:
        return NAN
    if len(pts) > 1 and pts[0] == pts[-1]:
        pts = pts[:-1]
    if len(pts) < 3:
        return 0.0
    total = 0.0
    for k in range(len(pts)):
        (lat1, lon1), (lat2, lon2) = pts[k], pts[(k + 1) % len(pts)]
        dlon = math.radians(lon2 - lon1)
        total += dlon * (2 + math.sin(math.radians(lat1)) + math.sin(math.radians(lat2)))
    return abs(total * EARTH_RADIUS * EARTH_RADIUS / 2.0)


FUNCTIONS = {
    "distance": Spec(1, None, eager(distance), "num"),
    "area": Spec(1, 1, eager(area), "num"),
}
