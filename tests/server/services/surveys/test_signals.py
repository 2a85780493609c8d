"""Data-quality signals: the perceptual hash of photos (measured in bench/photo_signals.py) and the stored
signals of surveys (same photo in two houses, same CCCD elsewhere, same point)."""

from __future__ import annotations

import hashlib
import io
import itertools
import random
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from PIL import Image, ImageOps

from forms.envelope import make_envelope
from forms.example import generate
from server.extensions import db
from server.models import Attachment, Submission, SubmissionSignal
from server.services.files import photo_facts
from server.services.files.images import check_and_thumbnail
from server.services.programme import forms as forms_service
from server.services.surveys import signals
from tests.server.world import publish, storage

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "photos"


def _readable_fixtures() -> list[Path]:
    out = []
    for p in sorted(FIXTURES.glob("*.jpg")):
        try:
            with Image.open(p) as img:
                img.load()
            out.append(p)
        except OSError:
            continue
    return out


def _stored_hash(data: bytes, tmp: Path, name: str) -> str:
    """As the server does: thumbnail the photo, hash the thumbnail."""
    photo = tmp / name
    photo.write_bytes(data)
    _, thumb = check_and_thumbnail(photo, 10**9)
    (tmp / f"{name}.thumb").write_bytes(thumb)
    return photo_facts.phash(tmp / f"{name}.thumb")


def _resaved(path: Path, scale: float = 0.5, quality: int = 60) -> bytes:
    with Image.open(path) as img:
        img = ImageOps.exif_transpose(img).convert("RGB")
        img = img.resize((int(img.width * scale), int(img.height * scale)))
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def test_phash_catches_a_resized_reencoded_copy_and_no_fixture_pair(tmp_path):
    photos = _readable_fixtures()
    assert len(photos) >= 8
    originals = [_stored_hash(p.read_bytes(), tmp_path, p.name) for p in photos]
    for p, h in zip(photos, originals, strict=True):
        copy = _stored_hash(_resaved(p), tmp_path, "copy-" + p.name)
        assert photo_facts.similar(h, copy), (p.name, photo_facts.distance(h, copy))
    for a, b in itertools.combinations(originals, 2):
        assert not photo_facts.similar(a, b), photo_facts.distance(a, b)


# ---- stored signals, through the real API ----------------------------------------------------------------
@pytest.fixture
def world(app, make_user, auth_header):
    make_user("vol_a", "volunteer", "20968")
    make_user("vol_b", "volunteer", "20968")
    return {"form": publish(), "a": auth_header("vol_a"), "b": auth_header("vol_b")}


def send(client, world, who, seed, photo: bytes, **preset) -> str:
    form = forms_service.engine_form(world["form"])
    answers = generate(form, seed=seed, preset=preset or None)
    names = form.image_files(answers)
    atts = [{"name": n, "sha256": hashlib.sha256(photo).hexdigest(), "size": len(photo),
             "content_type": "image/jpeg"} for n in names[:1]]
    for n in names[1:]:  # the other photos: distinct solid pictures
        other = io.BytesIO()
        Image.new("RGB", (60, 40), (seed * 7 % 255, len(n) * 9 % 255, 33)).save(other, "JPEG")
        atts.append({"name": n, "sha256": hashlib.sha256(other.getvalue()).hexdigest(),
                     "size": len(other.getvalue()), "content_type": "image/jpeg", "_data": other.getvalue()})
    env = make_envelope(form, str(uuid.uuid4()), answers,
                        [{k: v for k, v in a.items() if k != "_data"} for a in atts], "2026-11-28T10:00:00+07:00",
                        form_version=world["form"].version)
    r = client.post("/api/v1/submissions", json=env, headers=world[who])
    assert r.status_code == 201, r.get_json()
    for a in atts:
        if a["name"] in r.get_json()["missing_attachments"]:
            r2 = client.put(f"/api/v1/submissions/{env['instance_id']}/attachments/{a['name']}",
                            data=a.get("_data", photo), headers=world[who])
            assert r2.status_code == 200, r2.get_json()
    return env["instance_id"]


def signals_of(instance_id: str) -> set[str]:
    db.session.expire_all()
    sub = db.session.scalar(sa.select(Submission).where(Submission.instance_id == instance_id))
    return set(db.session.scalars(sa.select(SubmissionSignal.code).where(SubmissionSignal.submission_id == sub.id)))


def test_the_same_photo_in_two_houses_is_a_stored_signal(client, world):
    photo = (_readable_fixtures()[0]).read_bytes()
    first = send(client, world, "a", 1, photo)
    assert "photo_reused" not in signals_of(first)
    second = send(client, world, "b", 2, photo)
    assert "photo_reused" in signals_of(second)
    stored = db.session.scalars(sa.select(Attachment.phash).where(Attachment.received.is_(True))).all()
    assert all(stored)  # the perceptual hash is kept with each stored photo


def test_a_resized_copy_in_another_house_is_a_similar_photo(client, world):
    fixture = _readable_fixtures()[1]
    first = send(client, world, "a", 1, fixture.read_bytes())
    second = send(client, world, "b", 2, _resaved(fixture))
    assert "photo_similar" in signals_of(second) and "photo_similar" not in signals_of(first)


def test_same_cccd_and_same_point_are_signals(client, world):
    photo_a, photo_b = (p.read_bytes() for p in _readable_fixtures()[2:4])
    send(client, world, "a", 1, photo_a, head_cccd="049201000999", gps="15.40000 108.60000 0 5")
    # another commune's volunteer would not be matched; here a different head name and year: not a duplicate,
    # yet the same CCCD and the same point are worth a look
    second = send(client, world, "b", 2, photo_b, head_cccd="049201000998", gps="15.40001 108.60001 0 5")
    assert "same_point" in signals_of(second)


# ---- money signals: a house's funding against what was committed and the programme's rule ----------------
def _house_with_survey(status="approved"):
    from tests.server.world import make_form, make_house, make_submission, make_units, make_user

    make_units()
    make_user("manager", "manager", "49")
    make_user("rev", "reviewer", "517")
    vol = make_user("vol", "volunteer", "20968")
    make_form()
    house = make_house("20968", status)
    house.support_kind, house.beneficiary_group = "new", "poor"
    sub = make_submission(vol, house)
    db.session.commit()
    return house, sub


def test_funding_above_committed_and_above_the_rule_are_money_signals_the_queue_filters_on(app):
    from tests.server.world import sign_in, token_of

    house, sub = _house_with_survey()
    c = sign_in(app.test_client(), "manager")
    fund = {"source": "provincial_budget", "planned": "70000000", "disbursed": "75000000"}
    c.post(f"/houses/{house.id}/funding", data={**fund, "csrf_token": token_of(c, f"/houses/{house.id}")})
    assert {"money_overspent", "support_above_rule"} <= signals_of(sub.instance_id)
    rev = sign_in(app.test_client(), "rev")
    page = rev.get("/review?flag=money_overspent").get_data(as_text=True)
    assert f"/review/{sub.instance_id}" in page and "Giải ngân vượt cam kết" in page
    detail = rev.get(f"/review/{sub.instance_id}").get_data(as_text=True)
    assert "nhiều hơn số tiền đã cam kết" in detail and "cao hơn mức hỗ trợ theo quy định" in detail
    fund = {"source": "provincial_budget", "planned": "60000000", "disbursed": "50000000"}
    c.post(f"/houses/{house.id}/funding", data={**fund, "csrf_token": token_of(c, f"/houses/{house.id}")})
    assert not {"money_overspent", "support_above_rule"} & signals_of(sub.instance_id)


def test_approving_a_progress_report_that_received_more_than_committed_flags_the_house(app):
    from server.models import User
    from server.services.houses import funding
    from server.services.surveys import review
    from tests.server.world import make_submission

    house, sub = _house_with_survey("approved")
    funding.set_funding(db.session, house, "central_budget", planned=5_000_000)
    vol = db.session.scalar(sa.select(User).where(User.username == "vol"))
    progress = make_submission(vol, house, {"stage": "started", "rec_central_budget": 9_000_000},
                               form_id="construction_progress")
    db.session.commit()
    assert "money_overspent" not in signals_of(sub.instance_id)
    rev = db.session.scalar(sa.select(User).where(User.username == "rev"))
    review.decide(db.session, rev, progress.instance_id, "approve")
    db.session.commit()
    assert "money_overspent" in signals_of(sub.instance_id) and "money_overspent" in signals_of(progress.instance_id)


# ---- thresholds from the configuration ------------------------------------------------------------------
def test_a_photo_600_m_away_is_far_at_the_default_and_not_with_a_1000_m_threshold(app, tmp_path):
    from server import config
    from server.services.files.storage import Storage

    house, sub = _house_with_survey("assessed")
    photo = FIXTURES / "DSCN0010.jpg"
    where = photo_facts.exif(photo)
    sub.lat, sub.lon = where["lat"] + 600 / 111_195, where["lon"]  # 600 m north of where the photo was taken
    sha = hashlib.sha256(photo.read_bytes()).hexdigest()
    storage = Storage(tmp_path / "media")
    storage.put_bytes(sha, photo.read_bytes())
    db.session.add(Attachment(submission_id=sub.id, name="house_photo", sha256=sha, size=1, received=True))
    db.session.flush()
    db.session.refresh(sub)
    assert "photo_far" in signals.refresh(db.session, sub, storage,
                                          signals.Thresholds.from_config(config.load({}, tmp_path)))
    wide = signals.Thresholds.from_config(config.load({"SIGNAL_PHOTO_FAR_M": 1000}, tmp_path))
    assert wide.photo_far_metres == 1000
    assert "photo_far" not in signals.refresh(db.session, sub, storage, wide)


def test_the_surveys_own_flags_are_stored_at_ingest_and_missing_photos_clears_when_they_arrive(client, world):
    """The form's own verdict and missing photos are stored rows (the queue filters and counts them in SQL),
    not judged again on every page; a photo's arrival recomputes them."""
    from server.services.surveys.survey_facts import says_no

    form = forms_service.engine_form(world["form"])
    answers = next(a for a in (generate(form, seed=seed) for seed in range(5, 300))
                   if says_no(form, "eligibility", a))  # the form itself says: not eligible
    photo = (_readable_fixtures()[0]).read_bytes()
    names = form.image_files(answers)
    env = make_envelope(form, str(uuid.uuid4()), answers,
                        [{"name": n, "sha256": hashlib.sha256(photo).hexdigest(), "size": len(photo),
                          "content_type": "image/jpeg"} for n in names], "2026-11-28T10:00:00+07:00",
                        form_version=world["form"].version)
    assert client.post("/api/v1/submissions", json=env, headers=world["a"]).status_code == 201
    assert {"eligibility", "missing_photos"} <= signals_of(env["instance_id"])
    for n in names:
        r = client.put(f"/api/v1/submissions/{env['instance_id']}/attachments/{n}", data=photo, headers=world["a"])
        assert r.status_code == 200
    assert "missing_photos" not in signals_of(env["instance_id"]) and "eligibility" in signals_of(env["instance_id"])
    page = client.get("/api/v1/houses", headers=world["a"])  # (a read in between changes nothing stored)
    assert page.status_code == 200 and "eligibility" in signals_of(env["instance_id"])


def test_hashes_within_the_threshold_are_found_by_the_band_indexes_and_farther_ones_are_not(client, world):
    """Near-identical photos are looked up band by band (never by reading every stored hash): every hash
    within 6 bits of a photo's hash, bits flipped anywhere, is found; one 7+ bits away is not."""
    photo = (_readable_fixtures()[0]).read_bytes()
    first = send(client, world, "a", 1, photo)
    sub = db.session.scalar(sa.select(Submission).where(Submission.instance_id == first))
    mine = next(a for a in sub.attachments if photo_facts.informative(a.phash))  # the real photo
    base = int(mine.phash, 16)
    rnd = random.Random(7)
    flips = {}
    for bits in list(range(0, 7)) * 6 + [7, 8, 12]:
        h = base
        for pos in rnd.sample(range(64), bits):
            h ^= 1 << pos
        flips[f"{h:016x}"] = bits
    for bits in range(1, 7):  # flips spread evenly over the 64 bits: as many bands touched as can be
        h = base
        for i in range(bits):
            h ^= 1 << (63 - (i * 64 // bits + 3))
        flips[f"{h:016x}"] = bits
    others = []
    for i, (h, bits) in enumerate(flips.items()):
        other = make_submission_row(sub, f"other-{i}", h)
        others.append((other, bits))
    db.session.commit()
    assert photo_facts.informative(mine.phash)
    for other, bits in others:
        found = set(signals.refresh(db.session, other))
        assert ("photo_similar" in found) == (bits <= 6), bits


def make_submission_row(like: Submission, tag: str, phash: str) -> Submission:
    """Another survey (another house) whose one received photo has this perceptual hash."""
    sub = Submission(instance_id=str(uuid.uuid4()), form_id=like.form_id, form_version=like.form_version,
                     org_unit_id=like.org_unit_id, user_id=like.user_id, answers={}, envelope_hash=tag,
                     review_status="received", complete=True)
    db.session.add(sub)
    db.session.flush()
    db.session.add(Attachment(submission_id=sub.id, name="photo_front.jpg", sha256=hashlib.sha256(tag.encode()).hexdigest(),
                              size=1, received=True, phash=phash))
    db.session.flush()
    return sub


def test_photos_arriving_one_by_one_leave_the_signals_a_full_judgement_gives(client, world, app):
    """A photo's arrival judges that photo alone and merges; the end result equals judging the whole survey."""
    fixture = _readable_fixtures()[1]
    send(client, world, "a", 1, fixture.read_bytes())
    second = send(client, world, "b", 2, _resaved(fixture))  # photo by photo, through the API
    arrived = signals_of(second)
    sub = db.session.scalar(sa.select(Submission).where(Submission.instance_id == second))
    assert "photo_similar" in arrived and "missing_photos" not in arrived
    with app.app_context():
        again = set(signals.refresh(db.session, sub, storage()))
    assert again == arrived


def test_the_band_lookup_lets_few_unrelated_hashes_through(client, world):
    """At a million photos, every candidate the band indexes let through is read: 2 % of them with 7 narrow
    bands (20,000 rows per upload), 0.1 % with 4 wide bands probed at one-bit neighbours."""
    photo = (_readable_fixtures()[0]).read_bytes()
    first = send(client, world, "a", 1, photo)
    sub = db.session.scalar(sa.select(Submission).where(Submission.instance_id == first))
    rnd = random.Random(11)
    stored = [f"{rnd.getrandbits(64):016x}" for _ in range(4000)]
    db.session.execute(sa.insert(Attachment.__table__), [
        {"submission_id": sub.id, "name": f"r{i}.jpg", "sha256": f"{i:064x}", "size": 1, "received": True,
         "phash": h} for i, h in enumerate(stored)])
    db.session.flush()
    asked = [f"{rnd.getrandbits(64):016x}" for _ in range(5)]
    let_through = db.session.scalar(sa.select(sa.func.count()).select_from(Attachment).where(
        signals._near_hashes(asked, photo_facts.PHASH_MAX_DISTANCE)))
    # expected 5 x 4,000 x 68 / 65,536 = 21 (7 narrow bands: ~400)
    assert let_through <= 45, let_through


def test_only_a_postgresql_with_bit_count_tests_the_distance_in_sql(app):
    """`bit_count` came with PostgreSQL 14: an older server (Ubuntu 20.04 ships 12) gets the band candidates
    tested in Python, like SQLite, instead of an error on every photo."""
    from types import SimpleNamespace

    assert signals.distance_in_sql(SimpleNamespace(name="postgresql", server_version_info=(15, 20)))
    assert signals.distance_in_sql(SimpleNamespace(name="postgresql", server_version_info=(14, 0)))
    assert not signals.distance_in_sql(SimpleNamespace(name="postgresql", server_version_info=(13, 9)))
    assert not signals.distance_in_sql(SimpleNamespace(name="postgresql", server_version_info=(12, 18)))
    assert not signals.distance_in_sql(SimpleNamespace(name="sqlite", server_version_info=(3, 45)))
    with app.app_context():
        assert signals.distance_in_sql(db.engine.dialect) == (db.engine.dialect.name == "postgresql")
