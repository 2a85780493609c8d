"""A reorganisation of the unit tree on an effective date: merge (A + B -> C), split (A -> C1, C2), move
(a commune under another parent), rename, and a level retired (the districts on 1/7/2025).

Input: a mapping CSV (columns ``old_code,new_code``; other columns, such as the shared 2025 file's
names and notes, are ignored) and, optionally, the new units (``level,code,name,parent_code``, the
import format), which are created in force from the effective date. ``plan`` works out everything and
writes nothing (the units page shows it as the preview); ``apply`` writes it in one transaction.

What the plan infers:
- each old unit named in the mapping is retired on the effective date; its kind is ``split`` when it
  has several new units (the first takes its houses), ``merge`` when its new unit receives several,
  ``move`` when the parent changes, else ``rename``;
- a unit left with no child in force is retired too (``retire_level``), its things going to the
  lowest new unit that holds all its children's (a district -> the new province);
- children of a retired unit that the mapping does not name (villages) get a new version under
  their parent's successor (``move``);
- accounts: a user whose unit is retired moves to its successor only when that never widens what
  they see (the successor is new and everything in it comes from their old subtree); otherwise the
  account is flagged ``needs_rescope`` and sees nothing of today's tree until an admin gives it a unit.

A reorganisation is applied on or after its effective date (never before: accounts are re-scoped when
it is applied), so the latest tree is today's (``unit_history``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session

from forms.text import Catalogue
from server.errors import DomainError
from server.models import House, OrgUnit, Reorganisation, UnitSuccession, User
from server.services.accounts import audit
from server.services.programme import unit_history

PROBLEMS = Catalogue({
    "columns": {"vi": "Tệp ánh xạ cần các cột {columns}.", "en": "The mapping needs the columns {columns}."},
    "unit_columns": {"vi": "Tệp đơn vị mới cần các cột {columns}.", "en": "The new units need the columns {columns}."},
    "empty": {"vi": "Dòng {line}: thiếu mã.", "en": "Line {line}: a code is missing."},
    "unknown_old": {"vi": "Dòng {line}: không có đơn vị {code} đang hoạt động ngày {day}.",
                    "en": "Line {line}: no unit {code} is in force on {day}."},
    "unknown_new": {"vi": "Dòng {line}: đơn vị mới {code} không có trong tệp đơn vị mới và không đang hoạt động.",
                    "en": "Line {line}: new unit {code} is neither in the new units nor in force."},
    "new_retired": {"vi": "Dòng {line}: đơn vị {code} vừa bị giải thể vừa nhận đơn vị khác.",
                    "en": "Line {line}: unit {code} is both retired and a successor."},
    "unknown_parent": {"vi": "Đơn vị mới {code}: không có đơn vị cấp trên {parent}.",
                       "en": "New unit {code}: no parent {parent}."},
    "code_twice": {"vi": "Mã {code} sẽ có hai đơn vị cùng hoạt động.", "en": "Code {code} would name two units in force."},
    "no_common": {"vi": "{name}: các đơn vị trực thuộc chuyển về những nơi không chung cấp trên.",
                  "en": "{name}: its units go to places with no common parent."},
    "nothing": {"vi": "Tệp ánh xạ không có dòng nào.", "en": "The mapping has no rows."},
})


@dataclass
class Step:
    old: OrgUnit
    new_code: str
    kind: str
    primary: bool = True


@dataclass
class Plan:
    effective: dt.date
    new_units: list[dict] = field(default_factory=list)      # level, code, name, parent_code, path
    steps: list[Step] = field(default_factory=list)
    moved_users: list[tuple[User, str]] = field(default_factory=list)     # (user, new code)
    flagged_users: list[tuple[User, str]] = field(default_factory=list)   # (user, reason)
    houses: int = 0
    problems: list[tuple[str, dict]] = field(default_factory=list)
    olds: list[OrgUnit] = field(default_factory=list)   # the units the mapping names, found or not applied

    def problem_texts(self, lang: str = "vi") -> list[str]:
        return [PROBLEMS.text(key, lang, **params) for key, params in self.problems]

    def counts(self) -> dict:
        kinds: dict[str, int] = {}
        for s in self.steps:
            kinds[s.kind] = kinds.get(s.kind, 0) + 1
        levels: dict[str, int] = {}
        for s in {s.old.id: s for s in self.steps}.values():
            levels[s.old.level] = levels.get(s.old.level, 0) + 1
        return {"new_units": len(self.new_units), "retired": len({s.old.id for s in self.steps}),
                "kinds": kinds, "retired_by_level": levels, "houses": self.houses,
                "users_moved": len(self.moved_users), "users_flagged": len(self.flagged_users)}


def _rows(text: str, columns: tuple[str, ...], key: str, plan: Plan) -> list[tuple[int, dict]]:
    reader = csv.DictReader(io.StringIO((text or "").lstrip("\ufeff")))
    if not reader.fieldnames or any(c not in reader.fieldnames for c in columns):
        plan.problems.append((key, {"columns": ", ".join(columns)}))
        return []
    return [(line, {k: (v or "").strip() for k, v in row.items() if k}) for line, row in enumerate(reader, start=2)]


def plan(session: Session, mapping_csv: str, effective: dt.date, units_csv: str = "") -> Plan:
    """Everything the reorganisation would do; writes nothing. ``plan.problems`` lists what stops it."""
    p = Plan(effective)
    before = effective - dt.timedelta(days=1)
    new_rows = _rows(units_csv, ("level", "code", "name", "parent_code"), "unit_columns", p) if units_csv else []
    new_by_code = {r["code"]: r for _, r in new_rows if r.get("code")}
    targets: dict[int, list[str]] = {}
    olds: dict[int, OrgUnit] = {}
    mapping = _rows(mapping_csv, ("old_code", "new_code"), "columns", p)
    if not mapping and not p.problems:
        p.problems.append(("nothing", {}))
    for line, row in mapping:
        if not row["old_code"] or not row["new_code"]:
            p.problems.append(("empty", {"line": line}))
            continue
        old = unit_history.by_code(session, row["old_code"], before)
        if old is None or not old.in_force(before) or old.valid_to is not None:
            p.problems.append(("unknown_old", {"line": line, "code": row["old_code"], "day": before.isoformat()}))
            continue
        olds[old.id] = old
        p.olds.append(old)
        if row["new_code"] not in targets.setdefault(old.id, []):
            targets[old.id].append(row["new_code"])
    retired_codes = {u.code for u in olds.values()}
    for line, row in mapping:
        code = row.get("new_code")
        if code and code not in new_by_code:
            unit = unit_history.by_code(session, code)
            if unit is None or unit.valid_to is not None:
                p.problems.append(("unknown_new", {"line": line, "code": code}))
            elif code in retired_codes:
                p.problems.append(("new_retired", {"line": line, "code": code}))
    if p.problems:
        return p
    paths = _new_paths(session, new_rows, retired_codes, p)
    if p.problems:
        return p
    _steps_for_mapping(p, olds, targets, paths)
    _retire_emptied_parents(session, p, before, paths)
    _move_unmapped_children(session, p, before, paths)
    _check_codes(session, p, paths)
    if not p.problems:
        _plan_users(session, p, paths)
        ids = [s.old.id for s in p.steps]
        q, d = unit_history.join_unit(sa.select(sa.func.count(House.id)).select_from(House), House.org_unit_id)
        p.houses = session.scalar(q.where(d.id.in_(ids))) or 0  # the houses in those units today
    return p


def _new_paths(session: Session, new_rows, retired_codes: set[str], p: Plan) -> dict[str, str]:
    """code -> path of every unit in force after the change that a step may point at (new ones first)."""
    paths: dict[str, str] = {}
    pending = [r for _, r in new_rows if r.get("code")]
    while pending:
        rest = []
        for r in pending:
            parent = r.get("parent_code") or ""
            if not parent:
                paths[r["code"]] = f"/{r['code']}/"
            elif parent in paths:
                paths[r["code"]] = paths[parent] + r["code"] + "/"
            else:
                unit = unit_history.by_code(session, parent)
                if unit is not None and unit.valid_to is None and parent not in retired_codes:
                    paths[r["code"]] = unit.path + r["code"] + "/"
                else:
                    rest.append(r)
                    continue
            p.new_units.append({**{k: r[k] for k in ("level", "code", "name")}, "parent_code": parent,
                                "path": paths[r["code"]]})
        if len(rest) == len(pending):
            p.problems += [("unknown_parent", {"code": r["code"], "parent": r["parent_code"]}) for r in rest]
            break
        pending = rest
    return paths


def _path_of(session: Session, code: str, paths: dict[str, str]) -> str:
    if code in paths:
        return paths[code]
    return unit_history.by_code(session, code).path


def _steps_for_mapping(p: Plan, olds: dict[int, OrgUnit], targets: dict[int, list[str]], paths) -> None:
    received: dict[str, int] = {}
    for codes in targets.values():
        for c in codes:
            received[c] = received.get(c, 0) + 1
    for uid, codes in targets.items():
        old = olds[uid]
        for i, code in enumerate(codes):
            if len(codes) > 1:
                kind = "split"
            elif received[code] > 1:
                kind = "merge"
            else:
                parent_path = old.path[: old.path.rstrip("/").rfind("/") + 1]
                new_path = paths.get(code, "")
                kind = "rename" if new_path[: new_path.rstrip("/").rfind("/") + 1] == parent_path else "move"
            p.steps.append(Step(old, code, kind, primary=i == 0))


def _successor_path(session: Session, p: Plan, unit_id: int, paths) -> str | None:
    for s in p.steps:
        if s.old.id == unit_id and s.primary:
            return _path_of(session, s.new_code, paths)
    return None


def _retire_emptied_parents(session: Session, p: Plan, before: dt.date, paths) -> None:
    """A unit whose children in force are all retired goes too (a level retired), to the lowest unit that
    receives all its children's things."""
    while True:
        retired = {s.old.id for s in p.steps}
        parents = {s.old.parent_id for s in p.steps if s.old.parent_id and s.old.parent_id not in retired}
        added = False
        for pid in sorted(parents):
            parent = session.get(OrgUnit, pid)
            kids = unit_history.children(session, parent, before)
            if not kids or any(k.id not in retired for k in kids):
                continue
            goes = [_successor_path(session, p, k.id, paths) for k in kids]
            common = _common_path([g for g in goes if g])
            if common == parent.path:  # its children's things stay inside it (a province losing its districts)
                continue
            target = _code_at(session, common, paths)
            if target is None:
                p.problems.append(("no_common", {"name": parent.name}))
                return
            level = _level_of(session, target, p)
            p.steps.append(Step(parent, target, "merge" if level == parent.level else "retire_level"))
            added = True
        if not added:
            return


def _move_unmapped_children(session: Session, p: Plan, before: dt.date, paths) -> None:
    """Children the mapping does not name (villages) follow their parent: a new version under its successor."""
    queue = [s for s in p.steps if s.kind not in ("retire_level",) and s.primary]
    retired = {s.old.id for s in p.steps}
    while queue:
        step = queue.pop()
        parent_path = _path_of(session, step.new_code, paths)
        for kid in unit_history.children(session, step.old, before):
            if kid.id in retired:
                continue
            if kid.code in paths:  # the new tree already has this code elsewhere
                p.problems.append(("code_twice", {"code": kid.code}))
                continue
            paths[kid.code] = parent_path + kid.code + "/"
            p.new_units.append({"level": kid.level, "code": kid.code, "name": kid.name,
                                "parent_code": step.new_code, "path": paths[kid.code]})
            moved = Step(kid, kid.code, "move")
            p.steps.append(moved)
            retired.add(kid.id)
            queue.append(moved)


def _common_path(paths: list[str]) -> str | None:
    if not paths:
        return None
    parts = [x.strip("/").split("/") for x in paths]
    common = []
    for segs in zip(*parts, strict=False):
        if len(set(segs)) != 1:
            break
        common.append(segs[0])
    return "/" + "/".join(common) + "/" if common else None


def _code_at(session: Session, path: str | None, paths: dict[str, str]) -> str | None:
    if path is None:
        return None
    code = path.strip("/").split("/")[-1]
    return code if _path_of(session, code, paths) == path else None


def _level_of(session: Session, code: str, p: Plan) -> str:
    for u in p.new_units:
        if u["code"] == code:
            return u["level"]
    return unit_history.by_code(session, code).level


def _check_codes(session: Session, p: Plan, paths) -> None:
    retired = {s.old.id for s in p.steps}
    live = {u.code for u in session.scalars(sa.select(OrgUnit).where(OrgUnit.valid_to.is_(None)))
            if u.id not in retired}
    seen = set()
    for u in p.new_units:
        if u["code"] in live or u["code"] in seen:
            p.problems.append(("code_twice", {"code": u["code"]}))
        seen.add(u["code"])


def _plan_users(session: Session, p: Plan, paths) -> None:
    """Each account on a retired unit: moved to its successor when that never widens, else flagged."""
    successor = {s.old.id: s for s in p.steps if s.primary}
    new_codes = {u["code"] for u in p.new_units}
    users = session.scalars(sa.select(User).where(User.org_unit_id.in_(list(successor))).order_by(User.username))
    for user in users:
        step = successor[user.org_unit_id]
        target_path = _path_of(session, step.new_code, paths)
        split = any(s.old.id == user.org_unit_id and not s.primary for s in p.steps)
        landing = [s.old for s in p.steps if _path_of(session, s.new_code, paths).startswith(target_path)]
        narrow = (step.new_code in new_codes and not split and all(user.org_unit.contains(u) for u in landing)
                  and not _unfed(p, target_path))
        if narrow:
            p.moved_users.append((user, step.new_code))
        else:
            p.flagged_users.append((user, "retired_level" if step.kind == "retire_level" else step.kind))


def _unfed(p: Plan, target_path: str) -> bool:
    """Some new unit at the bottom of ``target_path``'s subtree comes from no retired unit: territory from
    outside (Đà Nẵng's own wards inside 2025's city), so taking the whole subtree would widen."""
    inside = [u for u in p.new_units if u["path"].startswith(target_path)]
    parents = {u["path"][: u["path"].rstrip("/").rfind("/") + 1] for u in inside}
    fed = {s.new_code for s in p.steps}
    return any(u["code"] not in fed for u in inside if u["path"] not in parents)


# ---- writing -----------------------------------------------------------------------------------------
def apply(session: Session, p: Plan, *, today: dt.date, actor: User | None = None, note: str | None = None,
          move_actor_to: str | None = None) -> Reorganisation:
    """Write the plan (caller commits). Refused when it has problems or takes effect after ``today``.
    ``move_actor_to``: the acting admin chose, on the preview, to take charge of that new unit."""
    if p.problems:
        raise DomainError("bad_mapping", params={"detail": "; ".join(p.problem_texts("vi")[:5])})
    if p.effective > today:
        raise DomainError("reorganisation_in_future", params={"day": p.effective.strftime("%d/%m/%Y")})
    made: dict[str, OrgUnit] = {}
    for u in p.new_units:  # parents before children: new_units is in that order
        parent = made.get(u["parent_code"]) or (unit_history.by_code(session, u["parent_code"])
                                                if u["parent_code"] else None)
        unit = OrgUnit(code=u["code"], name=u["name"], level=u["level"], parent_id=parent.id if parent else None,
                       path=u["path"], valid_from=p.effective)
        session.add(unit)
        session.flush()
        made[u["code"]] = unit
    reorg = Reorganisation(effective=p.effective, note=note, created_by_id=actor.id if actor else None,
                           summary=json.dumps(p.counts(), ensure_ascii=False))
    session.add(reorg)
    session.flush()
    for s in p.steps:
        target = made.get(s.new_code) or unit_history.by_code(session, s.new_code)
        session.add(UnitSuccession(reorganisation_id=reorg.id, from_unit_id=s.old.id, to_unit_id=target.id,
                                   effective=p.effective, kind=s.kind, primary=s.primary))
        s.old.valid_to = p.effective
    for user, code in p.moved_users:
        user.org_unit_id, user.needs_rescope = made[code].id, None
    for user, reason in p.flagged_users:
        user.needs_rescope = reason
    session.flush()
    unit_history.rebuild(session)
    if actor is not None and move_actor_to:
        rescope(session, None, actor, move_actor_to, reason="applied the reorganisation")
    audit.record("reorganise", actor=actor.username if actor else "command line", effective=p.effective,
                 **p.counts())
    return reorg


def rescope(session: Session, actor: User | None, user: User, code: str, *, reason: str = "") -> User:
    """Give ``user`` a unit of today's tree (an admin, inside their own subtree; ``actor`` None: the shell)."""
    unit = unit_history.by_code(session, code)
    if unit is None or unit.valid_to is not None:
        raise DomainError("not_found")
    if actor is not None and not actor.org_unit.contains(unit):
        raise DomainError("not_found")
    user.org_unit_id, user.needs_rescope = unit.id, None
    session.flush()
    session.expire(user, ["org_unit"])
    audit.record("rescope", actor=actor.username if actor else "command line", user=user.username, unit=code,
                 reason=reason)
    return user
