"""The household record to print (A4): the household, the answers of its assessment under their labels, the
photos, a small map, the funding, the history with who / when / why, and the signature lines — the paper
that goes into the commune's dossier."""

from __future__ import annotations

from forms.display import answer_rows
from forms.tables import Flattener
from server.extensions import db
from server.models import House, OrgUnit, Submission
from server.services.houses import funding as funding_service
from server.services.houses import reading as houses_service
from server.services.reports.formatting import vn_time
from server.services.surveys import review as review_service
from server.services.surveys import review_queue, survey_facts
from server.services.surveys.review import ASSESSMENT_FORMS
from server.web import detail

MAP_SIZE = 180  # pixels of the square map
MAP_SPAN_M = 400  # metres from edge to edge
GRID_M = 50  # a grid line every 50 m


def basis_survey(house: House) -> Submission | None:
    """The assessment the record shows: the last approved one, else the last received."""
    q = db.select(Submission).where(Submission.house_id == house.id, Submission.form_id.in_(ASSESSMENT_FORMS))
    approved = db.session.scalar(q.where(Submission.review_status == "approved")
                                 .order_by(Submission.reviewed_at.desc(), Submission.id.desc()).limit(1))
    return approved or db.session.scalar(q.order_by(Submission.received_at.desc(), Submission.id.desc()).limit(1))


def small_map(lat: float | None, lon: float | None, accuracy: float | None) -> dict | None:
    """A static map (no tiles, prints anywhere): the house at the centre of a 400 m square with a 50 m grid,
    its GPS accuracy as a circle, a scale bar and north."""
    if lat is None or lon is None:
        return None
    px_per_m = MAP_SIZE / MAP_SPAN_M
    lines = [round(i * GRID_M * px_per_m, 1) for i in range(1, MAP_SPAN_M // GRID_M)]
    radius = min(MAP_SIZE / 2, max(3.0, (accuracy or 0) * px_per_m))
    return {"size": MAP_SIZE, "centre": MAP_SIZE / 2, "lines": lines, "accuracy_r": round(radius, 1),
            "accuracy": accuracy, "scale_px": round(100 * px_per_m, 1), "where": f"{lat:.6f}, {lon:.6f}",
            "dms": f"{_dms(lat, 'N', 'S')} {_dms(lon, 'E', 'W')}"}


def _dms(value: float, pos: str, neg: str) -> str:
    v = abs(value)
    d = int(v)
    m = int((v - d) * 60)
    s = (v - d - m / 60) * 3600
    return f"{d}°{m:02d}′{s:04.1f}″{pos if value >= 0 else neg}"


def _place(unit: OrgUnit | None) -> tuple[str, str]:
    """(commune, village) names for the house's unit."""
    if unit is None:
        return "", ""
    if unit.level == houses_service.VILLAGE and unit.parent_id:
        parent = db.session.get(OrgUnit, unit.parent_id)
        return (parent.name if parent else ""), unit.name
    return unit.name, ""


def _chain(unit: OrgUnit | None) -> list[str]:
    """The unit's ancestors' names, top first (province, district)."""
    out = []
    node = db.session.get(OrgUnit, unit.parent_id) if unit is not None and unit.parent_id else None
    while node is not None:
        out.append(node.name)
        node = db.session.get(OrgUnit, node.parent_id) if node.parent_id else None
    return list(reversed(out))


def answer_sections(rows: list) -> list[dict]:
    """The answers outside repeats, one section per top-level group (a paper lays them out in two columns);
    the repeats' items are tables of their own (``repeat_tables``)."""
    sections: list[dict] = [{"title": "", "rows": []}]
    for row in rows:
        if "[" in row.path:
            continue
        if row.is_group and row.depth == 0:
            sections.append({"title": row.label, "rows": []})
        else:
            sections[-1]["rows"].append(row)
    return [s for s in sections if s["rows"]]


def repeat_tables(form, answers: dict, lg: str) -> list[dict]:
    """Each repeat (household members…) as a small table: one row per item, a column per question."""
    flat = Flattener(form, lg)
    out = [{"title": t.title, "headers": [c.header for c in t.columns], "rows": []} for t in flat.tables]
    for index, position, cells in flat.repeat_rows(answers):
        out[index]["rows"].append([position, *cells])
    return [t for t in out[1:] if t["rows"]]


def record_context(house: House, lg: str) -> dict:
    unit = db.session.get(OrgUnit, house.org_unit_id)
    commune, village = _place(unit)
    if not village and house.village:
        village = db.session.scalar(db.select(OrgUnit.name).where(OrgUnit.code == house.village)) or house.village
    sub = basis_survey(house)
    sections, repeats, photos, survey = [], [], [], None
    if sub is not None:
        form = survey_facts.form_of(db.session, sub) or detail.EMPTY_FORM
        rows = answer_rows(form, sub.answers or {}, lg, images=False,
                           value_texts={k: v[lg] for k, v in detail.YES_NO.items()})
        sections = answer_sections(detail.with_unit_names(form, rows))
        repeats = repeat_tables(form, sub.answers or {}, lg)
        photos = detail.photo_views(sub, form, lg)
        survey = {"form": review_queue.form_title(db.session, sub, lg), "received_at": vn_time(sub.received_at),
                  "review_status_label": review_service.review_label(sub.review_status, lg),
                  "reviewed_at": vn_time(sub.reviewed_at), "instance_id": sub.instance_id}
    chain = [n for n in _chain(unit) if n != commune]  # province, district (whatever the levels are called)
    return {"h": {"id": house.id, "uuid": house.uuid, "head_name": house.head_name or "", "id_number": house.id_number,
                  "birth_year": house.birth_year, "commune": commune, "village": village, "status": house.status,
                  "status_label": houses_service.status_label(house.status, lg), "above": ", ".join(reversed(chain)),
                  "district": chain[-1] if chain else "",
                  "unit_name": unit.name if unit else ""},
            "survey": survey, "sections": sections, "repeats": repeats, "photos": photos,
            "map": small_map(house.lat, house.lon, house.accuracy),
            "funding": funding_service.house_funding(db.session, house.id, lg),
            "events": houses_service.history(db.session, house.id, lg)}


__all__ = ["record_context", "small_map", "basis_survey"]
