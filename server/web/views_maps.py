"""Maps: the houses of one map view (JSON for the dashboard's map), what every map page draws (base layer,
boundaries), and the page where an admin loads the units' boundaries (GeoJSON)."""

from __future__ import annotations

from flask import abort, current_app, flash, g, jsonify, redirect, render_template, request, url_for

from server.errors import DomainError
from server.extensions import db
from server.models import OrgUnit
from server.params import bbox, zoom
from server.services.houses import map as map_service
from server.services.programme import boundaries as boundaries_service
from server.web import bp
from server.web.guards import requires, unit_for, user_unit
from server.web.i18n import lang, t


def tiles() -> dict | None:
    """The base layer the browser loads when online (config MAP_TILE_URL); None: the grid only."""
    url = current_app.config.get("MAP_TILE_URL")
    if not url:
        return None
    return {"url": url, "attribution": current_app.config.get("MAP_TILE_ATTRIBUTION") or "",
            "max_zoom": current_app.config.get("MAP_TILE_MAX_ZOOM", 19)}


def map_config(points: list[dict] | None = None, unit: OrgUnit | None = None, *, live: bool = False,
               lines: list | None = None, around: OrgUnit | None = None, shapes: list | None = None) -> dict:
    """What ``_map.html`` hands to app.js: points drawn as they are, or (``live``) the houses of ``unit``
    asked view by view; the boundaries of ``unit`` and its children (or of the units ``around`` a place:
    its own and its parent's); the base layer."""
    if shapes is None and around is not None:
        shapes = boundaries_service.around(db.session, around)
    elif shapes is None:
        shapes = boundaries_service.for_map(db.session, unit) if unit is not None else []
    cfg: dict = {"tiles": tiles(), "points": points or [], "lines": lines or [], "boundaries": shapes}
    if live and unit is not None:
        cfg["src"] = url_for("web.map_houses", unit=unit.code)
        cfg["house_url"] = url_for("web.house", house_id=0)
        cfg["extent"] = map_service.extent(db.session, g.web_user, unit)
    return cfg


@bp.route("/map/houses")
@requires("view_progress")
def map_houses():
    """The houses of one view of a unit's map: points, or the server's clusters above POINTS_LIMIT."""
    unit = unit_for("view_progress", request.args.get("unit"))
    try:
        view, z = bbox(request.args.get("bbox")), zoom(request.args.get("zoom"))
    except ValueError:
        abort(400)
    response = jsonify(map_service.view(db.session, g.web_user, unit, view, z))
    response.headers["Cache-Control"] = "private, max-age=60"
    return response


@bp.route("/boundaries", methods=["GET", "POST"])
@requires("manage_units")
def boundaries():
    """Load the units' boundaries from a GeoJSON file (features matched by unit code)."""
    prop = (request.form.get("property") or boundaries_service.DEFAULT_PROPERTY).strip()[:40]
    status = 200
    if request.method == "POST":
        upload = request.files.get("file")
        limit = current_app.config["MAX_BOUNDARY_BYTES"]
        data = upload.read(limit + 1) if upload else b""
        try:
            if len(data) > limit:
                raise DomainError("bad_geojson", params={"why": {"vi": f"tệp lớn hơn {limit // 2**20} MB",
                                                                 "en": f"the file is larger than {limit // 2**20} MB"}})
            saved, unmatched = boundaries_service.load(db.session, g.web_user, data, prop)
            db.session.commit()
            flash(t("boundaries_loaded", n=len(saved)))
            if unmatched:
                flash(t("boundaries_unmatched", n=len(unmatched), codes=", ".join(unmatched[:20])), "error")
            return redirect(url_for("web.boundaries"))
        except DomainError as err:
            db.session.rollback()
            flash(err.message(lang()), "error")
            status = err.status
    home = user_unit()
    return render_template("boundaries.html", rows=boundaries_service.loaded(db.session, g.web_user), prop=prop,
                           mb=current_app.config["MAX_BOUNDARY_BYTES"] // 2**20, home=home,
                           map=map_config(shapes=boundaries_service.all_loaded(db.session, g.web_user)),
                           nav="boundaries"), status
