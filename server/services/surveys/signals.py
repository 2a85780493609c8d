"""Data-quality signals, computed ONCE (at ingest, and again when a photo arrives) and stored in
``submission_signals``; the review page explains them, the queue filters on them, the dashboard counts them.

Codes (SIGNALS): the same photo in another survey (identical bytes, or near-identical by perceptual hash),
a photo's EXIF position far from the house or its EXIF time long before the survey, the same CCCD in
another household, another house at the same point; and on the money of the survey's house: a source
disbursed above what was committed, committed support above the programme's rule amount.

The distances, ages and hash bits are ``Thresholds`` (config keys SIGNAL_*, docs/production.md).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import BIT
from sqlalchemy.orm import Session

from forms.text import Catalogue
from server.errors import DomainError
from server.models import Attachment, House, OrgUnit, Submission, SubmissionSignal, User
from server.models.base import utcnow
from server.models.funding import HouseFunding
from server.models.submissions import PHASH_BANDS
from server.services.accounts import access
from server.services.files import photo_facts
from server.services.houses import funding
from server.services.surveys import survey_facts as facts

CLOSED = ("rejected", "withdrawn")
# the survey's own flags: photos not (yet) received, no GPS, a point typed by hand without accuracy, poor GPS,
# a point far from the commune's other houses or a commune answer that is not the survey's unit, the form's
# own verdict against the household
FLAGS = ("missing_photos", "no_gps", "gps_manual", "gps_poor", "outside_commune", "eligibility")
GPS_POOR_METRES = 50.0
OUTSIDE_KM = 15.0
MONEY = ("money_overspent", "support_above_rule")  # the signals of a house's money, not of one survey


@dataclass(frozen=True)
class Thresholds:
    photo_far_metres: float = 500.0   # SIGNAL_PHOTO_FAR_M (MAIAM_SIGNAL_PHOTO_FAR_M)
    photo_old_days: float = 30        # SIGNAL_PHOTO_OLD_DAYS
    same_point_metres: float = 5.0    # SIGNAL_SAME_POINT_M
    phash_bits: int = photo_facts.PHASH_MAX_DISTANCE  # SIGNAL_PHASH_BITS: "near-identical" photos

    @classmethod
    def from_config(cls, cfg: Mapping) -> Thresholds:
        base = cls()
        return cls(photo_far_metres=float(cfg.get("SIGNAL_PHOTO_FAR_M", base.photo_far_metres)),
                   photo_old_days=float(cfg.get("SIGNAL_PHOTO_OLD_DAYS", base.photo_old_days)),
                   same_point_metres=float(cfg.get("SIGNAL_SAME_POINT_M", base.same_point_metres)),
                   phash_bits=int(cfg.get("SIGNAL_PHASH_BITS", base.phash_bits)))


DEFAULT = Thresholds()

SIGNALS = Catalogue({  # code -> the explanation on the review page
    "photo_reused": {"vi": "Ảnh này (giống hệt từng byte) đã có trong một khảo sát khác.",
                    "en": "This exact photo is already in another survey."},
    "photo_similar": {"vi": "Ảnh này gần như giống một ảnh của khảo sát khác (có thể là ảnh cũ lưu lại hoặc thu nhỏ).",
                     "en": "This photo is nearly the same as one in another survey (re-saved or resized)."},
    "photo_far": {"vi": "Vị trí GPS trong ảnh cách vị trí nhà quá xa (mặc định hơn 500 m).",
                 "en": "The photo's GPS is far from the house (by default over 500 m)."},
    "photo_old": {"vi": "Ảnh được chụp quá lâu trước ngày khảo sát (mặc định hơn 30 ngày).",
                 "en": "The photo was taken long before the survey (by default over 30 days)."},
    "cccd_elsewhere": {"vi": "Số CCCD này có trong một hộ khác (có thể ở xã khác).",
                      "en": "This CCCD number is in another household (maybe in another commune)."},
    "same_point": {"vi": "Có một nhà khác ở cùng vị trí GPS (mặc định cách dưới 5 m).",
                  "en": "Another house is at the same GPS point (by default < 5 m)."},
    "money_overspent": {"vi": "Nhà này đã được giải ngân nhiều hơn số tiền đã cam kết cho một nguồn vốn.",
                       "en": "This house received more than was committed from a funding source."},
    "support_above_rule": {"vi": "Tiền hỗ trợ cam kết cho nhà này cao hơn mức hỗ trợ theo quy định "
                                 "cho nhóm đối tượng và loại công trình.",
                          "en": "The support committed to this house is above the rule amount for its "
                                "beneficiary group and build kind."},
})


def counts(session: Session, actor: User, within: OrgUnit | None = None) -> list[tuple[str, int]]:
    """(code, number of surveys carrying it) over the surveys the actor may see in ``within``'s subtree,
    in SIGNALS order; codes no survey carries are left out."""
    visible = access.visible_submissions(session, actor, within).with_only_columns(Submission.id)
    rows = dict(session.execute(
        sa.select(SubmissionSignal.code, sa.func.count(sa.distinct(SubmissionSignal.submission_id)))
        .where(SubmissionSignal.submission_id.in_(visible)).group_by(SubmissionSignal.code)).all())
    return [(code, rows[code]) for code in SIGNALS if rows.get(code)]


def metres(a, b) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 12_742_000.0 * math.asin(min(1.0, math.sqrt(h)))


def explain(code: str, lang: str = "vi") -> str:
    return SIGNALS.text(code, lang) if code in SIGNALS else code


def codes(session: Session, submission_id: int) -> list[str]:
    return sorted(set(session.scalars(sa.select(SubmissionSignal.code)
                                      .where(SubmissionSignal.submission_id == submission_id))))


def refresh(session: Session, sub: Submission, storage=None, thresholds: Thresholds = DEFAULT,
            form=None, new: bool = False, new_house: bool = False) -> list[str]:
    """Compute and store the flags and signals of one survey (replacing those stored before); their codes.
    ``form``: the survey's engine form when the caller holds it; ``new``: a survey stored in this very
    transaction (nothing stored before to replace); ``new_house``: its house too (no money on it yet)."""
    form = form if form is not None else facts.form_of(session, sub)
    around = _around(session, sub, form, thresholds)
    found: dict[str, dict] = {code: {} for code in flags(session, sub, form, around)}
    _photos(session, sub, storage, found, thresholds)
    _household(sub, around, found, thresholds)
    if sub.house_id is not None and not new_house:
        found.update(money(session, session.get(House, sub.house_id)))
    if not new:
        session.execute(sa.delete(SubmissionSignal).where(SubmissionSignal.submission_id == sub.id))
    if found:
        session.execute(sa.insert(SubmissionSignal.__table__),
                        [{"submission_id": sub.id, "code": code, "detail": detail, "created_at": utcnow()}
                         for code, detail in found.items()])
    return sorted(found)


PHOTO_SIGNALS = ("photo_reused", "photo_similar", "photo_far", "photo_old")


def photo_arrived(session: Session, sub: Submission, photo: Attachment, storage,
                  thresholds: Thresholds = DEFAULT, exif: dict | None = None, new_bytes: bool = False) -> None:
    """A photo of an already judged survey arrived: judge that photo alone and merge what it shows into the
    stored signals (the other flags and signals do not depend on photos and stay as stored); drop
    `missing_photos` once none is missing. ``exif``: what the photo's EXIF says, when the caller read it
    from the bytes it holds (else it is read from storage: a GET on S3); ``new_bytes``: the storage did not
    hold these bytes before (no other survey can have them). The stored signals are read only when this
    photo shows something to merge into them."""
    found: dict[str, dict] = {}
    _photos(session, sub, storage, found, thresholds, only=[photo],
            exif_known={photo.sha256: exif} if exif is not None else None, new_bytes=new_bytes)
    complete = not any(not a.received for a in sub.attachments)
    if not found:  # nothing to merge (the usual case): at most the `missing_photos` flag to drop
        if complete:
            session.execute(sa.delete(SubmissionSignal).where(SubmissionSignal.submission_id == sub.id,
                                                              SubmissionSignal.code == "missing_photos"))
        return
    stored = {row.code: row for row in session.scalars(
        sa.select(SubmissionSignal).where(SubmissionSignal.submission_id == sub.id))}
    for code, detail in found.items():
        row = stored.get(code)
        if row is None:
            stored[code] = SubmissionSignal(submission_id=sub.id, code=code, detail=detail)
            session.add(stored[code])
        elif "surveys" in detail:  # reused / similar: the surveys of every photo, as a full refresh lists them
            limit = 5 if code == "photo_similar" else None
            row.detail = {"surveys": sorted(set(row.detail.get("surveys", [])) | set(detail["surveys"]))[:limit]}
    if "missing_photos" in stored and complete:
        session.delete(stored.pop("missing_photos"))
    session.flush()


def flags(session: Session, sub: Submission, form, around: _Around | None = None) -> list[str]:
    """The survey's own flags (FLAGS), judged from its answers, its photos and its commune (``around``: what
    `_around` read for it, when the caller holds it)."""
    answers = sub.answers or {}
    out = []
    declared = list(sub.attachments)
    if any(not a.received for a in declared) or (
            not declared and any(isinstance(v, str) and v.lower().endswith(".jpg") for v in answers.values())):
        out.append("missing_photos")
    unit = session.get(OrgUnit, sub.org_unit_id) if sub.org_unit_id else None
    commune = session.get(OrgUnit, unit.parent_id) if unit is not None and unit.level == "village" else unit
    point = facts.location(form, answers)
    if point is None:
        out.append("no_gps")
    else:
        if point[2] is None:
            out.append("gps_manual")  # "lat lon" typed by hand: nobody measured how accurate it is
        elif point[2] > GPS_POOR_METRES:
            out.append("gps_poor")
        centre = (around or _around(session, sub, form, DEFAULT)).centre
        if centre is not None and metres(point, centre) / 1000 > OUTSIDE_KM:
            out.append("outside_commune")
    answered = facts.answer(form, "commune", answers)
    if answered and commune is not None and commune.level == "commune" and str(answered) != str(commune.code) \
            and "outside_commune" not in out:
        out.append("outside_commune")
    if facts.says_no(form, "eligibility", answers) or facts.says_no(form, "land_status", answers) \
            or facts.says_yes(form, "helped_before", answers):
        out.append("eligibility")
    return out


@dataclass(frozen=True)
class _Around:
    """What a survey's place and household are compared with: the mean position of its unit's houses (when it
    has at least 3: `outside_commune`), the other open houses with its CCCD and those at its GPS point."""

    centre: tuple[float, float] | None
    cccd_houses: list[int]
    near_points: list[tuple[int, float, float]]


def _around(session: Session, sub: Submission, form, th: Thresholds) -> _Around:
    """`_Around` in one round trip (three small reads joined by UNION ALL, each by its own index)."""
    own = {sub.house_id, sub.duplicate_of_house_id} - {None}
    other_open = [House.status.notin_(CLOSED), *([House.id.notin_(own)] if own else [])]
    parts = []
    if facts.location(form, sub.answers or {}) is not None and sub.org_unit_id:
        parts.append(sa.select(sa.literal("centre").label("kind"), sa.func.count(House.id).label("id"),
                               sa.func.avg(House.lat).label("lat"), sa.func.avg(House.lon).label("lon"))
                     .where(House.org_unit_id == sub.org_unit_id, House.lat.is_not(None)))
    cccd = facts.answer(form, "id_number", sub.answers)
    if cccd:
        parts.append(sa.select(sa.literal("cccd"), House.id, House.lat, House.lon)
                     .where(House.id_number == str(cccd), *other_open).limit(5))
    if sub.lat is not None and sub.lon is not None:
        d = max(0.0001, th.same_point_metres / 100_000)  # a box a little wider, then the exact distance
        parts.append(sa.select(sa.literal("point"), House.id, House.lat, House.lon).where(
            House.lat.between(sub.lat - d, sub.lat + d), House.lon.between(sub.lon - d, sub.lon + d),
            *other_open).limit(20))
    if not parts:
        return _Around(None, [], [])
    rows = session.execute(sa.union_all(*(sa.select(part.subquery()) for part in parts))).all()
    centre = next(((float(lat), float(lon)) for kind, n, lat, lon in rows if kind == "centre" and n and n >= 3), None)
    return _Around(centre, [i for kind, i, _, _ in rows if kind == "cccd"],
                   [(i, lat, lon) for kind, i, lat, lon in rows if kind == "point"])


def money(session: Session, house: House | None, programme: funding.Programme = funding.DEFAULT_PROGRAMME) -> dict:
    """The money signals of one house: a source disbursed above its committed amount; committed support
    above the rule amount (funding.support_amount) for the house's beneficiary group and build kind."""
    if house is None:
        return {}
    rows = session.scalars(sa.select(HouseFunding).where(HouseFunding.house_id == house.id)).all()
    found: dict[str, dict] = {}
    over = sorted(r.source for r in rows if r.disbursed > r.planned)
    if over:
        found["money_overspent"] = {"sources": over}
    committed = sum(r.planned for r in rows if r.source in funding.SUPPORT_SOURCES)
    if committed and house.support_kind:
        try:
            rule = funding.support_amount(house.beneficiary_group or "other", house.support_kind,
                                          funding.is_poor_district(session, house.org_unit_id), programme)
        except DomainError:  # an unknown group or kind: no rule to compare with
            rule = None
        if rule is not None and committed > rule:
            found["support_above_rule"] = {"committed": committed, "rule": rule}
    return found


def refresh_money(session: Session, house: House) -> list[str]:
    """After the house's funding changed: store its money signals again on each of its surveys."""
    found = money(session, house)
    ids = session.scalars(sa.select(Submission.id).where(Submission.house_id == house.id)).all()
    if ids:
        session.execute(sa.delete(SubmissionSignal).where(SubmissionSignal.submission_id.in_(ids),
                                                          SubmissionSignal.code.in_(MONEY)))
        session.add_all(SubmissionSignal(submission_id=i, code=c, detail=d) for i in ids for c, d in found.items())
    session.flush()
    return sorted(found)


def _other_subs(sub: Submission):
    """Surveys of another household than this one (not this survey, not a survey of its own house)."""
    cond = [Submission.id != sub.id]
    if sub.house_id is not None:
        cond.append(sa.or_(Submission.house_id.is_(None), Submission.house_id != sub.house_id))
    return cond


def _photos(session: Session, sub: Submission, storage, found: dict, th: Thresholds,
            only: list[Attachment] | None = None, exif_known: dict[str, dict] | None = None,
            new_bytes: bool = False) -> None:
    """The photo signals of the survey's received photos (``only``: of these photos; ``exif_known``: their
    EXIF facts by sha256, when already read; ``new_bytes``: bytes the storage did not hold before this
    upload, so no other survey can have them: `photo_reused` is not looked for)."""
    mine = [a for a in (sub.attachments if only is None else only) if a.received]
    if not mine:
        return
    others = sa.select(Attachment.sha256, Attachment.phash, Submission.instance_id).join(
        Submission, Submission.id == Attachment.submission_id).where(Attachment.received.is_(True), *_other_subs(sub))
    shas = {a.sha256 for a in mine}
    if not new_bytes:  # bytes the storage held before may be in another survey too
        same = session.execute(others.where(Attachment.sha256.in_(shas)).limit(5)).all()
        if same:
            found["photo_reused"] = {"surveys": sorted({r.instance_id for r in same})}
    hashes = [a.phash for a in mine if photo_facts.informative(a.phash)]
    if hashes:
        near: set[str] = set()
        candidates = others.where(Attachment.sha256.notin_(shas), _near_hashes(hashes, th.phash_bits))
        if distance_in_sql(session.get_bind().dialect):  # true matches only: a plain query, no cursor
            rows = session.execute(candidates.where(_within_in_sql(hashes, th.phash_bits)).limit(50))
        else:  # candidates, tested below
            rows = session.execute(candidates.execution_options(yield_per=50))
        try:
            for r in rows:
                if any(photo_facts.similar(h, r.phash, th.phash_bits) for h in hashes):
                    near.add(r.instance_id)
                    if len(near) == 5:  # five surveys say enough
                        break
        finally:
            rows.close()
        if near:
            found["photo_similar"] = {"surveys": sorted(near)}
    if storage is not None:
        _photo_places(sub, mine, storage, found, th, exif_known)


def _photo_places(sub: Submission, mine: list[Attachment], storage, found: dict, th: Thresholds,
                  exif_known: dict[str, dict] | None) -> None:
    """`photo_far` / `photo_old`: where and when the photos' EXIF says they were taken."""
    point = (sub.lat, sub.lon) if sub.lat is not None else None
    when = sub.created_at or sub.received_at
    if when is not None and when.tzinfo is None:  # SQLite hands stored UTC times back naive
        when = when.replace(tzinfo=dt.UTC)
    for a in mine:
        info = (exif_known or {}).get(a.sha256)
        if info is None:
            try:
                with storage.open(a.sha256) as fh:
                    info = photo_facts.exif(fh)
            except (ValueError, FileNotFoundError):
                continue
        if point and "lat" in info and metres(point, (info["lat"], info["lon"])) > th.photo_far_metres:
            found["photo_far"] = {"photo": a.name, "metres": round(metres(point, (info["lat"], info["lon"])))}
        if when and "taken" in info:
            taken = info["taken"].replace(tzinfo=dt.timezone(dt.timedelta(hours=7)))
            if (when - taken) > dt.timedelta(days=th.photo_old_days):
                found["photo_old"] = {"photo": a.name, "taken": info["taken"].isoformat()}


def _near_hashes(hashes: list[str], bits: int):
    """SQL: a stored hash that may be within ``bits`` of one of ``hashes``. Within 7 bits, two hashes differ by
    at most one bit in some band (PHASH_BANDS): each band's index is probed at the band's value and its
    one-bit neighbours. A wider threshold reads every stored hash."""
    if bits >= 2 * len(PHASH_BANDS):
        return Attachment.phash.is_not(None)
    return sa.or_(*(sa.func.substr(Attachment.phash, start + 1, length).in_(_one_bit_away(h[start:start + length]))
                    for h in hashes for start, length in PHASH_BANDS))


def _one_bit_away(band: str) -> list[str]:
    """A band of hex digits and every value one bit away from it (17 for 4 digits)."""
    band = band.lower()
    value = int(band, 16)
    return [band] + [f"{value ^ (1 << k):0{len(band)}x}" for k in range(4 * len(band))]


def distance_in_sql(dialect) -> bool:
    """Whether the database tests the distance itself: PostgreSQL 14 or later (`bit_count`); an older one and
    SQLite hand the band candidates to Python."""
    return dialect.name == "postgresql" and (dialect.server_version_info or (0,)) >= (14,)


def _within_in_sql(hashes: list[str], bits: int):
    """PostgreSQL: the exact test in the query (the bits set in the XOR of the two hashes), so that only true
    matches leave the database; SQLite has no bit strings and tests the candidates in Python."""
    def as_bits(text):
        return sa.cast(text, BIT(64))
    stored = as_bits(sa.literal("x") + Attachment.phash)
    return sa.or_(*(sa.func.bit_count(stored.op("#")(as_bits(sa.literal("x" + h)))) <= bits for h in hashes))


def _household(sub: Submission, around: _Around, found: dict, th: Thresholds) -> None:
    if around.cccd_houses:
        found["cccd_elsewhere"] = {"houses": list(around.cccd_houses)}
    if sub.lat is not None and sub.lon is not None:
        near = [i for i, lat, lon in around.near_points if metres((sub.lat, sub.lon), (lat, lon)) < th.same_point_metres]
        if near:
            found["same_point"] = {"houses": near[:5]}
