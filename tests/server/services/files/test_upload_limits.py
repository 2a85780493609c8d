"""Photo uploads within limits: declared sizes, content-addressed re-use, ranged growth, the unfinished
bytes of one account, expiry of unfinished uploads, full decoding, one bounded thumbnail per photo."""

from __future__ import annotations

import hashlib
import io
import os
import random
import struct
import time
import zlib
from pathlib import Path

import pytest
from PIL import Image

from server.extensions import db
from server.models import Attachment, Submission
from server.services.files import images
from server.services.files.storage import CLEAN_MARKER
from tests.conftest import PHOTOS
from tests.server.conftest import STORAGES
from tests.server.world import age_upload, envelope, publish, sign_in, storage, stored


@pytest.fixture(params=STORAGES)
def storage_backend(request):
    return request.param


def _url(env, name):
    return f"/api/v1/submissions/{env['instance_id']}/attachments/{name}"


def _noise_png(size=(300, 200), seed=1) -> bytes:
    rnd = random.Random(seed)
    img = Image.frombytes("RGB", size, bytes(rnd.getrandbits(8) for _ in range(size[0] * size[1] * 3)))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def _post(client, h, data_by_index: dict[int, bytes] | None = None, seed=8, **declared):
    """POST a valid survey whose first photos are `data_by_index` (real bytes) or `declared` values."""
    env, blobs = envelope(publish(), seed=seed)
    for i, data in (data_by_index or {}).items():
        env["attachments"][i].update(sha256=hashlib.sha256(data).hexdigest(), size=len(data))
        blobs[env["attachments"][i]["name"]] = data
    env["attachments"][0].update(declared)
    return env, blobs, client.post("/api/v1/submissions", json=env, headers=h)


@pytest.fixture
def h(make_user, auth_header):
    make_user("volunteer", "volunteer", "20968")
    return auth_header("volunteer")


# --- declared size ---------------------------------------------------------------------------------

@pytest.mark.parametrize("size", [10**15, 2**63, 2**80])
def test_a_declared_photo_over_the_limit_is_refused_and_nothing_is_written(client, h, size):
    env, _, r = _post(client, {**h, "Accept-Language": "en"}, size=size)
    assert r.status_code == 413, r.get_json()
    err = r.get_json()["error"]
    assert err["code"] == "attachment_too_large" and "too large" in err["message"]
    assert err["fields"][0]["name"] == env["attachments"][0]["name"]
    assert err["fields"][0]["max_bytes"] == 20 * 1024 * 1024
    assert db.session.query(Submission).count() == 0 and db.session.query(Attachment).count() == 0
    vi = client.post("/api/v1/submissions", json=env, headers=h).get_json()["error"]["message"]
    assert vi.startswith("Ảnh quá lớn")


# --- content-addressed re-use ----------------------------------------------------------------------

def test_another_photos_sha256_with_a_wrong_size_is_not_received(client, h, make_user, auth_header):
    env, blobs, r = _post(client, h)
    name = env["attachments"][0]["name"]
    assert client.put(_url(env, name), data=blobs[name], headers=h).get_json()["received"] is True
    sha, size = env["attachments"][0]["sha256"], env["attachments"][0]["size"]

    make_user("other", "volunteer", "20968")
    h2 = auth_header("other")
    env2, _, r = _post(client, h2, seed=9, sha256=sha, size=size + 1)
    assert r.status_code == 201 and env2["attachments"][0]["name"] in r.get_json()["missing_attachments"]
    # the same photo (sha256 AND size) is re-used without an upload
    env3, _, r = _post(client, h2, seed=10, sha256=sha, size=size)
    assert r.status_code == 201 and env3["attachments"][0]["name"] not in r.get_json()["missing_attachments"]


# --- growth of a partial file ----------------------------------------------------------------------

def test_ranged_chunks_cannot_grow_a_photo_past_the_limit(app, client, h):
    data = _noise_png((120, 100))
    env, _, r = _post(client, h, {0: data})
    name = env["attachments"][0]["name"]
    app.config["MAX_ATTACHMENT_BYTES"] = len(data) // 3  # declared before the limit was lowered
    chunk = len(data) // 4
    r = client.put(_url(env, name), data=data[:chunk], headers={**h, "Content-Range": f"bytes 0-{chunk - 1}/{len(data)}"})
    assert r.status_code == 413 and r.get_json()["error"]["code"] == "attachment_too_large"
    assert client.head(_url(env, name), headers=h).headers["Upload-Offset"] == "0"


# --- unfinished bytes of one account ---------------------------------------------------------------

def test_unfinished_bytes_of_one_account_are_capped(app, client, h):
    a, b = _noise_png((300, 200), seed=2), _noise_png((400, 300), seed=3)
    env, _, r = _post(client, h, {0: a, 1: b})
    name_a, name_b = env["attachments"][0]["name"], env["attachments"][1]["name"]
    half = len(a) // 2
    app.config["PARTIAL_BYTES_PER_USER"] = len(b) + 1000  # each photo fits alone, not with half of the other
    r = client.put(_url(env, name_a), data=a[:half], headers={**h, "Content-Range": f"bytes 0-{half - 1}/{len(a)}"})
    assert r.status_code == 200 and r.get_json()["offset"] == half
    r = client.put(_url(env, name_b), data=b, headers={**h, "Content-Range": f"bytes 0-{len(b) - 1}/{len(b)}",
                                                        "Accept-Language": "en"})
    assert r.status_code == 429 and r.get_json()["error"]["code"] == "upload_quota"
    assert "unfinished" in r.get_json()["error"]["message"]
    assert client.head(_url(env, name_b), headers=h).headers["Upload-Offset"] == "0"  # nothing written
    # finishing the first photo frees its bytes: the second one fits now
    r = client.put(_url(env, name_a), data=a[half:], headers={**h, "Content-Range": f"bytes {half}-{len(a) - 1}/{len(a)}"})
    assert r.get_json()["received"] is True
    assert client.put(_url(env, name_b), data=b, headers=h).get_json()["received"] is True


def test_another_accounts_unfinished_bytes_do_not_count_and_a_whole_photo_never_waits_in_parts(
        app, client, h, make_user, auth_header):
    """The cap is per account: what another volunteer left unfinished does not count against this one (the
    quota is read from the unfinished uploads held, then matched to accounts). A photo that arrives whole in
    one request is checked and stored straight away: no byte of it is written as an unfinished upload."""
    from sqlalchemy import event

    make_user("other", "volunteer", "20968")
    other_h = auth_header("other")
    a, b = _noise_png((300, 200), seed=4), _noise_png((400, 300), seed=5)
    env_a, _, _ = _post(client, other_h, {0: a}, seed=9)
    half = len(a) // 2
    r = client.put(_url(env_a, env_a["attachments"][0]["name"]), data=a[:half],
                   headers={**other_h, "Content-Range": f"bytes 0-{half - 1}/{len(a)}"})
    assert r.status_code == 200 and r.get_json()["offset"] == half
    app.config["PARTIAL_BYTES_PER_USER"] = len(b) + half // 2  # b alone fits; b + the other's half would not
    env_b, _, _ = _post(client, h, {0: b})
    inserted = []
    with app.app_context():
        engine = db.engine

    def count(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("INSERT INTO UPLOAD_PARTS"):
            inserted.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        r = client.put(_url(env_b, env_b["attachments"][0]["name"]), data=b, headers=h)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert r.status_code == 200 and r.get_json()["received"] is True
    assert inserted == []


# --- expiry of unfinished uploads, lock files ------------------------------------------------------

def _age(path: Path, hours: float) -> None:
    then = time.time() - hours * 3600
    os.utime(path, (then, then))


def test_a_ranged_put_leaves_no_lock_file_behind(app, client, h):
    if storage().partials.kind != "file":
        pytest.skip("lock files exist only with MAIAM_PARTIALS=file")
    env, blobs, _ = _post(client, h)
    name, data = env["attachments"][0]["name"], blobs[env["attachments"][0]["name"]]
    client.put(_url(env, name), data=data[:100], headers={**h, "Content-Range": f"bytes 0-99/{len(data)}"})
    left = sorted(p.suffix for p in (Path(app.config["MEDIA_ROOT"]) / "partial").rglob("*") if p.is_file())
    assert left == [".part"]


def test_clean_uploads_removes_expired_partials_and_stale_locks_only(app, client, h):
    env, blobs, _ = _post(client, h)
    (old, d_old), (fresh, d_fresh), (busy, d_busy) = [(a["name"], blobs[a["name"]]) for a in env["attachments"][:3]]
    for name, data in ((old, d_old), (fresh, d_fresh), (busy, d_busy)):
        client.put(_url(env, name), data=data[:100], headers={**h, "Content-Range": f"bytes 0-99/{len(data)}"})
    age_upload(env["instance_id"], old, 80)
    age_upload(env["instance_id"], busy, 80)
    partials = storage().partials
    stale_lock = None
    if partials.kind == "file":
        stale_lock = partials.partial(env["instance_id"], "gone.jpg").with_suffix(".lock")
        stale_lock.touch()  # left by a writer of an older version
    with storage().writing(env["instance_id"], busy):  # a request still writing it is never cut
        out = app.test_cli_runner().invoke(args=["clean-uploads"])
    assert out.exit_code == 0 and "removed 1 unfinished upload(s)" in out.output, out.output
    assert client.head(_url(env, old), headers=h).headers["Upload-Offset"] == "0"
    assert client.head(_url(env, fresh), headers=h).headers["Upload-Offset"] == "100"
    assert client.head(_url(env, busy), headers=h).headers["Upload-Offset"] == "100"
    assert stale_lock is None or not stale_lock.exists()
    out = app.test_cli_runner().invoke(args=["clean-uploads", "--hours", "0"])
    assert "removed 2 unfinished upload(s)" in out.output
    assert not (Path(app.config["MEDIA_ROOT"]) / "partial").exists() or not any(
        (Path(app.config["MEDIA_ROOT"]) / "partial").iterdir())


def test_an_upload_sweeps_expired_partials_now_and_then(app, client, h):
    env, blobs, _ = _post(client, h)
    (old, d_old), (other, d_other) = [(a["name"], blobs[a["name"]]) for a in env["attachments"][:2]]
    client.put(_url(env, old), data=d_old[:100], headers={**h, "Content-Range": f"bytes 0-99/{len(d_old)}"})
    age_upload(env["instance_id"], old, 80)
    (storage().root / CLEAN_MARKER).touch()
    _age(storage().root / CLEAN_MARKER, 2)  # the last sweep was two hours ago
    assert client.put(_url(env, other), data=d_other, headers=h).get_json()["received"] is True
    assert client.head(_url(env, old), headers=h).headers["Upload-Offset"] == "0"


# --- decoding and thumbnails -----------------------------------------------------------------------

def _broken_pixels_png() -> bytes:
    """A real PNG whose IDAT chunk holds garbage (with a correct CRC, so only decoding finds it)."""
    data = _noise_png((64, 64))
    pos = data.index(b"IDAT") - 4
    length = struct.unpack(">I", data[pos:pos + 4])[0]
    garbage = bytes(random.Random(5).getrandbits(8) for _ in range(length))
    chunk = b"IDAT" + garbage
    return data[:pos] + struct.pack(">I", length) + chunk + struct.pack(">I", zlib.crc32(chunk)) + data[pos + 12 + length:]


def test_a_photo_must_decode_fully(client, h):
    data = _broken_pixels_png()
    with Image.open(io.BytesIO(data)) as img:
        img.verify()  # the header and checksums are fine: only decoding the pixels finds the damage
    env, _, _ = _post(client, h, {0: data})
    r = client.put(_url(env, env["attachments"][0]["name"]), data=data, headers={**h, "Accept-Language": "en"})
    assert r.status_code == 415 and r.get_json()["error"]["code"] == "not_an_image"
    assert not db.session.query(Attachment).filter_by(received=True).count()


def test_a_49_megapixel_image_is_refused_under_the_default_limit(client, h):
    buf = io.BytesIO()
    Image.new("1", (7000, 7000)).save(buf, "PNG")  # 49 Mpx in a few KB
    env, _, _ = _post(client, h, {0: buf.getvalue()})
    r = client.put(_url(env, env["attachments"][0]["name"]), data=buf.getvalue(), headers=h)
    assert r.status_code == 422 and r.get_json()["error"]["code"] == "image_too_big"


def test_the_thumbnail_is_made_once_at_upload_next_to_the_photo(app, client, h, monkeypatch):
    photo = (PHOTOS / "DSCN0010.jpg").read_bytes()  # a real 640x480 camera JPEG
    env, _, _ = _post(client, h, {0: photo})
    name = env["attachments"][0]["name"]
    assert client.put(_url(env, name), data=photo, headers=h).get_json()["received"] is True
    sha = hashlib.sha256(photo).hexdigest()
    assert storage().has_thumb(sha)
    with storage().open(sha, thumb=True) as fh:
        thumb = fh.read()
    with Image.open(io.BytesIO(thumb)) as img:
        assert img.format == "JPEG" and img.size[0] <= 320 and img.size[1] <= 240
    if storage().blobs.kind == "file":
        assert storage().blobs.path(sha, thumb=True).parent == storage().blobs.path(sha).parent

    def never(*_a, **_k):
        raise AssertionError("the thumbnail was made again")

    monkeypatch.setattr(images, "check_and_thumbnail", never)
    page = sign_in(app.test_client(), "volunteer")
    with page.get(f"/photos/{env['instance_id']}/{name}?thumb=1") as r:
        assert r.status_code == 200 and r.data == thumb  # served from the cache, not made again
    with page.get(f"/photos/{env['instance_id']}/{name}") as r:
        assert r.status_code == 200 and r.data == photo
    assert stored(sha) == photo
    assert not (Path(app.config["MEDIA_ROOT"]) / "thumbs").exists()


def test_a_stored_photo_that_cannot_make_a_thumbnail_is_a_404_not_a_500(app, client, h):
    """A photo stored before uploads were decoded fully (the broken PNG) gets no thumbnail page error."""
    data = _broken_pixels_png()
    env, _, _ = _post(client, h, {0: data})
    sha = hashlib.sha256(data).hexdigest()
    storage().put_bytes(sha, data)
    att = db.session.query(Attachment).filter_by(sha256=sha).one()
    att.received = True
    db.session.commit()
    page = sign_in(app.test_client(), "volunteer")
    assert page.get(f"/photos/{env['instance_id']}/{att.name}?thumb=1").status_code == 404
