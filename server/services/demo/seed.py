"""Demo data (demo database only): today's country. Quảng Nam's 2024 units, demo villages and accounts,
the library forms, a handful of houses in several states made through the real ingest and review paths
(dated March 2024 to February 2025), the targets; then the 1/7/2025 reorganisation (the district level
retired, Quảng Nam part of Thành phố Đà Nẵng, province 48), so the dashboard shows province 48's communes
while the 2024 year-end report still has 2024's districts. The demo accounts are then given units that
exist today (an admin's decision, made here on purpose): manager and admin Thành phố Đà Nẵng (48),
volunteer and reviewer Xã Tam Xuân (20971, formed from Tam Xuân I and II)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import uuid
from pathlib import Path

import sqlalchemy as sa
from PIL import Image
from sqlalchemy.orm import Session

from forms import clock
from forms.envelope import make_envelope
from forms.example import generate
from server.errors import DomainError
from server.models import Attachment, House, HouseEvent, OrgUnit, Submission, User
from server.models.funding import HouseFunding, HouseFundingEvent
from server.services.files.storage import Storage
from server.services.houses.funding import FUND_ROLES, WORKDAYS
from server.services.programme import forms as forms_service
from server.services.programme import org_units, reorganise, targets, unit_history
from server.services.surveys import ingest, review

DATA = Path(__file__).resolve().parents[2] / "data"
LIBRARY = Path(__file__).resolve().parents[3] / "forms" / "library"
VILLAGES = [("2096801", "Thôn 1"), ("2096802", "Thôn 2"), ("2096803", "Thôn 3")]
ACCOUNTS = [("volunteer", "volunteer", "20968", "Nguyễn Văn Cựu"), ("reviewer", "reviewer", "517", "Trần Thị Duyệt"),
            ("manager", "manager", "49", "Lê Văn Quản"), ("admin", "admin", "49", "Quản trị hệ thống")]
PASSWORD = "demo"
REORGANISED = dt.date(2025, 7, 1)
TODAYS_UNITS = {"volunteer": "20971", "reviewer": "20971", "manager": "48", "admin": "48"}
DATED = (dt.datetime(2024, 3, 1, 8, tzinfo=clock.VIETNAM), dt.datetime(2025, 2, 28, 17, tzinfo=clock.VIETNAM))


def refuse_in_production(production: bool) -> None:
    """Demo accounts with the well-known password 'demo' never reach a production database."""
    if production:
        raise DomainError("demo_in_production")


def seed(session: Session, storage: Storage | str, *, production: bool = False, today: dt.date | None = None) -> bool:
    """Idempotent: does nothing when the demo accounts already exist. Returns True when it seeded."""
    refuse_in_production(production)
    if session.scalar(sa.select(User).where(User.username == "volunteer")) is not None:
        return False
    org_units.import_csv(session, (DATA / "quang_nam_units.csv").read_text(encoding="utf-8"))
    commune = session.scalar(sa.select(OrgUnit).where(OrgUnit.code == "20968"))
    for code, name in VILLAGES:
        session.add(OrgUnit(code=code, name=name, level="village", parent_id=commune.id,
                            path=commune.path + code + "/"))
    session.flush()
    users = {}
    for username, role, code, full in ACCOUNTS:
        unit = session.scalar(sa.select(OrgUnit).where(OrgUnit.code == code))
        user = User(username=username, role=role, org_unit_id=unit.id, full_name=full)
        user.password = PASSWORD  # demo only: deliberately outside the password rule (auth.check_new_password)
        session.add(user)
        users[username] = user
    session.flush()
    for path in sorted(LIBRARY.glob("*.xlsx")):
        forms_service.publish_file(session, path)

    targets.seed_demo(session, "49")
    _sample_houses(session, users, storage if isinstance(storage, Storage) else Storage(storage))
    _date_in_2024(session)
    _reorganise(session, users, today or clock.today())
    session.commit()
    return True


def _date_in_2024(session: Session) -> None:
    """Spread the sample's times (made within seconds) over March 2024 - February 2025, keeping their order."""
    cols = [(House, "created_at"), (House, "updated_at"), (HouseEvent, "created_at"), (Submission, "created_at"),
            (Submission, "received_at"), (Submission, "reviewed_at"), (Attachment, "received_at"),
            (HouseFunding, "updated_at"), (HouseFundingEvent, "created_at")]
    seen = [v for model, col in cols for v in session.scalars(sa.select(getattr(model, col))) if v is not None]
    if not seen:
        return
    seen = [clock.in_vietnam(v) for v in seen]
    first, span = min(seen), (max(seen) - min(seen)) or dt.timedelta(seconds=1)

    def moved(v):
        return None if v is None else DATED[0] + (clock.in_vietnam(v) - first) / span * (DATED[1] - DATED[0])

    for model, col in cols:
        for row in session.scalars(sa.select(model)):
            setattr(row, col, moved(getattr(row, col)))
    session.flush()


def _reorganise(session: Session, users: dict, today: dt.date) -> None:
    """The 1/7/2025 reorganisation (shared mapping, Đà Nẵng's 94 units), then today's units for the demo logins."""
    plan = reorganise.plan(session, (DATA / "quang_nam_units_2025_mapping.csv").read_text(encoding="utf-8"),
                           REORGANISED, (DATA / "da_nang_units_2025.csv").read_text(encoding="utf-8"))
    reorganise.apply(session, plan, today=max(today, REORGANISED), note="Nghị quyết 1659/NQ-UBTVQH15")
    city = unit_history.by_code(session, "48")
    targets.seed_demo_unit(session, city.id, depth=1, effective_from=REORGANISED, reason="Thành phố Đà Nẵng từ 1/7/2025")
    for username, code in TODAYS_UNITS.items():
        reorganise.rescope(session, None, users[username], code, reason="demo")


def _photo(storage: Storage, seed: int) -> tuple[str, int]:
    img = Image.new("RGB", (64, 48), ((seed * 53) % 255, (seed * 97) % 255, 120))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=80)
    data = buf.getvalue()
    sha = hashlib.sha256(data).hexdigest()
    if not storage.holds(sha, len(data)):
        storage.put_bytes(sha, data)
    return sha, len(data)


def _submit(session, storage, user, form_id, seed, preset=None, house_id=None, want_eligible=False, photo_seed=None):
    """One survey through the real ingest; its photos are made from ``photo_seed`` (default ``seed``)."""
    form_row = forms_service.latest_one(session, form_id)
    form = forms_service.engine_form(form_row)
    answers = generate(form, seed=seed, meta={"username": user.username}, preset=preset)
    if want_eligible and answers.get("eligible") != "yes":
        return None
    attachments = []
    for i, name in enumerate(form.image_files(answers)):
        sha, size = _photo(storage, (photo_seed or seed) * 10 + i)
        attachments.append({"name": name, "sha256": sha, "size": size, "content_type": "image/jpeg"})
    envelope = make_envelope(form, str(uuid.UUID(int=seed + (1 << 100))), answers, attachments,
                             dt.datetime.now(dt.UTC), house_id=house_id, form_version=form_row.version)
    _, receipt = ingest.ingest(session, user, envelope, storage)
    return session.get(Submission, receipt.id)


# The survey asks no money of its own: the programme's support amount is committed (funding.commit_support),
# plus the household's own contribution.
def _fund_names(session, form_id: str) -> dict[str, str]:
    """Question name -> funding source, from the roles the form declares (the demo fills answers by name)."""
    form = forms_service.engine_form(forms_service.latest_one(session, form_id))
    return {form.node_for(role).name: src for role, src in FUND_ROLES.items() if form.node_for(role) is not None}


def _request_none(session) -> dict:
    names = _fund_names(session, "house_assessment")
    return {**{name: 0 for name in names}, **{name: 10_000_000 for name, src in names.items() if src == "household"}}


def _received(session, house_id: int, stage: str) -> dict:
    """Money received to date that follows the rules: never more than committed per source (half of
    it once building has started, all of it once completed), and the pledged workdays at most."""

    share = {"started": 2, "completed": 1, "handed_over": 1}[stage]
    rows = {f.source: f for f in session.scalars(sa.select(HouseFunding).where(HouseFunding.house_id == house_id))}
    out = {key: (rows[src].planned // share // 1000 * 1000 if src in rows else 0)
           for key, src in _fund_names(session, "construction_progress").items()}
    pledged = rows["household"].workdays if "household" in rows else 0
    workdays = forms_service.engine_form(forms_service.latest_one(session, "construction_progress")).node_for(WORKDAYS)
    if workdays is not None:
        out[workdays.name] = pledged // share
    return out


def _sample_houses(session: Session, users: dict, storage: Storage) -> None:
    """Six houses: waiting, approved, started, completed, handed over, changes requested."""

    volunteer, reviewer = users["volunteer"], users["reviewer"]
    plan = ["received", "approved", "started", "completed", "handed_over", "changes_requested"]
    first = None  # (seed, survey) of the first household: the signal examples copy from it
    for n, goal in enumerate(plan, start=1):
        sub = None
        for attempt in range(200):  # an eligible household, so that approval makes sense
            sub = _submit(session, storage, volunteer, "house_assessment", n * 100 + attempt, _request_none(session),
                          want_eligible=True)
            if sub is not None:
                first = first or (n * 100 + attempt, sub)
                break
        if sub is None or goal == "received":
            continue
        if goal == "changes_requested":
            review.decide(session, reviewer, sub.instance_id, "request_changes",
                          "Ảnh mái nhà bị mờ, đề nghị chụp lại.")
            continue
        review.decide(session, reviewer, sub.instance_id, "approve", None)
        house_uuid = session.get(House, sub.house_id).uuid
        for stage in ("started", "completed", "handed_over"):
            if plan.index(stage) > plan.index(goal):
                break
            progress = _submit(session, storage, volunteer, "construction_progress", n * 1000 + plan.index(stage),
                               {"house_id": house_uuid, "stage": stage, **_received(session, sub.house_id, stage)},
                               house_id=house_uuid)
            review.decide(session, reviewer, progress.instance_id, "approve", None)
    if first is not None:
        _signal_examples(session, volunteer, storage, *first)
    session.flush()


def _signal_examples(session: Session, volunteer: User, storage: Storage, seed: int, sub: Submission) -> None:
    """Two surveys for the review queue's data-quality checks: another household's survey giving the first
    one's CCCD (a possible duplicate, and `cccd_elsewhere`), and a survey of a third household whose photos
    are the very bytes of the first one's (`photo_reused`)."""
    form = forms_service.engine_form(forms_service.latest_one(session, "house_assessment"))
    cccd = form.node_for("id_number")
    same_cccd = {cccd.name: sub.answers[cccd.name]} if cccd is not None and sub.answers.get(cccd.name) else {}
    _submit(session, storage, volunteer, "house_assessment", 90_001, {**_request_none(session), **same_cccd})
    _submit(session, storage, volunteer, "house_assessment", 90_002, _request_none(session), photo_seed=seed)
