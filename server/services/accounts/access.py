"""The access gate: who may do what to which thing, for the API and the web pages alike.

Two halves, each written once:

- the role half, ``VERBS``: which roles may ever do a verb (a volunteer never decides, a reviewer
  never sets targets);
- the thing half: where the thing lies in the org-unit tree and whose it is. Every account belongs to
  a unit (a volunteer a commune, a reviewer a district, managers and admins a province) and reaches
  only that unit's subtree (materialised ``path`` prefix). A volunteer sees only their own surveys and
  the houses they surveyed (any survey of theirs names the house); there is no assignment of houses
  to volunteers yet, so "houses to follow up" are the surveyed ones.

``can(actor, verb, thing)`` answers yes or no; ``require`` raises ``DomainError``: ``forbidden`` (403)
when the role may never do the verb, ``not_found`` (404) when the thing does not exist or lies outside
what the actor may see (its existence must not leak), and a specific 403 when the actor sees the thing
but a rule forbids the verb on it (``own_submission``: nobody decides on a survey they sent).
List endpoints use the query helpers below (``visible_houses`` ...) so that a list and a single
object follow the same rule.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session, object_session

from server.errors import DomainError
from server.models import Attachment, DeviceToken, FormDraft, House, OrgUnit, Submission, User
from server.services.programme import unit_history

VOLUNTEER, REVIEWER, MANAGER, ADMIN = ROLES = ("volunteer", "reviewer", "manager", "admin")
EVERYONE = ROLES
READERS = (REVIEWER, MANAGER, ADMIN)
DECIDERS = (REVIEWER, ADMIN)
MANAGERS = (MANAGER, ADMIN)

# verb -> the roles that may ever do it (the roles x verbs table of docs/architecture.md, "Access")
VERBS: dict[str, tuple[str, ...]] = {
    "view": EVERYONE,            # a survey, house, photo, unit or account the actor may see
    "list_houses": EVERYONE,     # house lists (a volunteer: the houses they surveyed)
    "submit": EVERYONE,          # send a survey about a place or house of one's subtree
    "upload": EVERYONE,          # send a survey's photos: its author, or an admin of the subtree
    "view_progress": READERS,    # dashboard, roll-up, map
    "review": DECIDERS,          # the queue of surveys awaiting review
    "decide": DECIDERS,          # approve / reject / request changes; never one's own survey
    "change_status": READERS,    # move a house through its life
    "fund": READERS,             # record a house's funding
    "manage_targets": MANAGERS,  # targets and poor-district flags
    "report": READERS,           # half-year / year-end reports of a unit of the subtree (a district's, a commune's)
    "export": MANAGERS,          # CSV / XLSX exports
    "manage_devices": (ADMIN,),  # signed-in phones: revoke, lock
    "manage_accounts": (ADMIN,),  # accounts of the subtree: create, edit, reset password, set up a phone
    "manage_forms": MANAGERS,    # upload, preview and publish XLSForms; their drafts within the subtree
    "manage_units": (ADMIN,),    # the unit tree: import, add, rename, reorganise, re-scope accounts; map boundaries
}

# a role may hand out the roles up to its own rank, never above (an admin: every role)
RANK = {VOLUNTEER: 0, REVIEWER: 1, MANAGER: 2, ADMIN: 3}


def allowed(actor: User | None, verb: str) -> bool:
    """The role half only: may this role ever do ``verb`` (menus, page guards)."""
    if verb not in VERBS:
        raise ValueError(f"unknown verb {verb!r}")
    return actor is not None and actor.role in VERBS[verb]


def assignable_roles(actor: User | None) -> tuple[str, ...]:
    """The roles ``actor`` may give an account (create, edit, import): none unless they manage accounts,
    and never a role ranked above their own."""
    if not allowed(actor, "manage_accounts"):
        return ()
    return tuple(role for role in ROLES if RANK[role] <= RANK[actor.role])


def can(actor: User | None, verb: str, thing) -> bool:
    """May ``actor`` do ``verb`` to ``thing`` (an OrgUnit, House, Submission, Attachment, User,
    DeviceToken or FormDraft: an uploaded form, in its uploader's unit)? ``None`` (a thing that does not exist) is never allowed."""
    return _judge(actor, verb, thing) is None


def require(actor: User | None, verb: str, thing):
    """``thing`` when ``can(actor, verb, thing)``; otherwise raise the DomainError that says why."""
    code = _judge(actor, verb, thing)
    if code is not None:
        raise DomainError(code)
    return thing


def _judge(actor, verb, thing) -> str | None:
    if actor is None:
        return "unauthorized"
    if not allowed(actor, verb):
        return "forbidden"
    if thing is None:
        return "not_found"
    session = _session_of(thing, actor)
    if verb == "submit":  # about a place of the subtree (a follow-up may name any house there)
        return None if _in_home(session, actor, _unit_id(thing)) else "not_found"
    if not _sees(session, actor, thing):
        return "not_found"
    if verb == "decide" and thing.user_id == actor.id:
        return "own_submission"
    if verb == "upload" and thing.user_id != actor.id and actor.role != ADMIN:
        return "not_found"
    if verb == "manage_accounts" and isinstance(thing, User) and RANK[thing.role] > RANK[actor.role]:
        return "forbidden"
    return None


def _sees(session: Session, actor: User, thing) -> bool:
    if isinstance(thing, OrgUnit):  # a retired unit: where its things are today
        return contains(home(session, actor), unit_history.unit_at(session, thing.id))
    if isinstance(thing, Attachment):
        return _sees(session, actor, thing.submission or session.get(Submission, thing.submission_id))
    if isinstance(thing, DeviceToken):
        return _sees(session, actor, thing.user or session.get(User, thing.user_id))
    if not _in_home(session, actor, _unit_id(thing)):
        return False
    if actor.role != VOLUNTEER:
        return True
    if isinstance(thing, Submission):
        return thing.user_id == actor.id
    if isinstance(thing, House):
        return bool(session.scalar(sa.select(sa.exists().where(Submission.house_id == thing.id,
                                                                 Submission.user_id == actor.id))))
    return thing.id == actor.id  # a User


def _unit_id(thing) -> int:
    if isinstance(thing, OrgUnit):
        return thing.id
    if isinstance(thing, (House, Submission, User, FormDraft)):
        return thing.org_unit_id
    raise TypeError(f"no access rule for {type(thing).__name__}")


def _session_of(thing, actor) -> Session:
    session = object_session(thing) or object_session(actor)
    if session is None:
        raise RuntimeError("the access gate needs objects loaded from a session")
    return session


# ---- the subtree ---------------------------------------------------------------------------------------
def home(session: Session, actor: User) -> OrgUnit:
    """The root of the actor's subtree: the unit the account belongs to, as stored — never carried forward
    through a reorganisation (that could widen it): an account whose unit was retired sees nothing of
    today's tree until an admin gives it a unit (``User.needs_rescope``)."""
    return actor.org_unit or session.get(OrgUnit, actor.org_unit_id)


def contains(unit: OrgUnit, other: OrgUnit | None) -> bool:
    """``other`` lies in ``unit``'s subtree (itself included): the only Python-side subtree test."""
    return other is not None and unit.contains(other)


def _in_home(session: Session, actor: User, unit_id: int) -> bool:
    """The thing recorded in ``unit_id`` lies, by today's tree, in the actor's subtree."""
    return contains(home(session, actor), unit_history.unit_at(session, unit_id))


def in_subtree(path_col, prefix: str):
    """SQL: ``path_col`` lies under ``prefix`` (a materialised path): ``LIKE 'prefix%'`` with the prefix
    rendered into the SQL (``literal_execute``), so that a prepared statement never falls back to a
    generic plan that cannot tell one province (1/63 of the rows) from the whole country."""
    if "%" in prefix or "_" in prefix or "\\" in prefix:
        return path_col.startswith(prefix, autoescape=True)
    return path_col.like(sa.bindparam(None, prefix + "%", type_=sa.String, literal_execute=True))


def unit_in_scope(session: Session, actor: User, code: str | None, day=None) -> OrgUnit:
    """``code``'s unit (the one in force on ``day``, default today) when the actor may see it (404
    otherwise: no leak of what exists); no code: home. A retired unit is seen where its things are today."""
    if not code:
        return home(session, actor)
    return require(actor, "view", unit_history.by_code(session, str(code), day))


def require_unit(session: Session, actor: User, verb: str, code: str | None, day=None) -> OrgUnit:
    """The unit named by ``code`` (no code: the actor's own) for ``verb``: 403 for a role that never does
    ``verb`` (judged first, whatever the code), 404 for a unit the actor may not see."""
    if not allowed(actor, verb):
        raise DomainError("forbidden")
    return require(actor, verb, unit_in_scope(session, actor, code, day))


def _prefix(session: Session, actor: User, within: OrgUnit | None) -> str:
    mine = home(session, actor)
    if within is None:
        return mine.path
    if within.valid_to is not None:  # a retired unit's things: where they are today
        within = unit_history.unit_at(session, within.id)
    if not contains(mine, within):
        raise DomainError("not_found")
    return within.path


# ---- query scoping (lists follow the same rule as single objects) ---------------------------------------
def visible_submissions(session: Session, actor: User, within: OrgUnit | None = None):
    """A select of the submissions the actor may see (joined to their OrgUnit), optionally inside
    ``within`` (a unit the actor may see)."""
    q, d = unit_history.join_unit(sa.select(Submission), Submission.org_unit_id, None, OrgUnit)
    q = q.where(in_subtree(d.path, _prefix(session, actor, within)))
    if actor.role == VOLUNTEER:
        q = q.where(Submission.user_id == actor.id)
    return q


def visible_houses(session: Session, actor: User, within: OrgUnit | None = None):
    """A select of the houses the actor may see (joined to their OrgUnit), optionally inside ``within``."""
    q, d = unit_history.join_unit(sa.select(House), House.org_unit_id, None, OrgUnit)
    q = q.where(in_subtree(d.path, _prefix(session, actor, within)))
    if actor.role == VOLUNTEER:
        q = q.where(sa.exists().where(Submission.house_id == House.id, Submission.user_id == actor.id))
    return q


def visible_house_ids(session: Session, actor: User):
    """The ids of ``visible_houses``, as a subquery for ``IN (...)``."""
    return visible_houses(session, actor).with_only_columns(House.id)


def visible_users(session: Session, actor: User):
    """A select of the accounts of the actor's subtree (joined to their unit, carried to today's tree so that
    an admin finds the accounts a reorganisation left on a retired unit); a volunteer: themself."""
    q, d = unit_history.join_unit(sa.select(User), User.org_unit_id, None, OrgUnit)
    q = q.where(in_subtree(d.path, home(session, actor).path))
    if actor.role == VOLUNTEER:
        q = q.where(User.id == actor.id)
    return q


def scope_communes(session: Session, actor: User) -> tuple[list[OrgUnit], str | None]:
    """The communes in force today inside the actor's subtree (by name), and the default one: the account's
    own commune, or the only one. The phone offers them by name on the commune question; ingest refuses
    any other (``can(actor, "submit", unit)``), so the list and the check follow the same subtree."""
    mine = home(session, actor)
    rows = list(session.scalars(
        sa.select(OrgUnit).where(OrgUnit.level == "commune", OrgUnit.valid_to.is_(None),
                                 in_subtree(OrgUnit.path, mine.path))
        .order_by(OrgUnit.name, OrgUnit.code)))
    default = mine.code if any(u.id == mine.id for u in rows) else (rows[0].code if len(rows) == 1 else None)
    return rows, default
