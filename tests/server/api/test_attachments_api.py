"""PUT /api/v1/submissions/{id}/attachments/{name}: checked by content, resumable, idempotent."""

import hashlib
import io

import pytest
from PIL import Image

from server.extensions import db
from server.models import Attachment
from tests.server.conftest import STORAGES
from tests.server.world import envelope, jpeg, publish, storage, stored


@pytest.fixture(params=STORAGES)
def storage_backend(request):
    return request.param


@pytest.fixture
def sent(client, make_user, auth_header, app):
    make_user("volunteer", "volunteer", "20968")
    headers = auth_header("volunteer")
    form_row = publish()
    env, blobs = envelope(form_row, seed=5)
    assert client.post("/api/v1/submissions", json=env, headers=headers).status_code == 201
    return env, blobs, headers


def _url(env, name):
    return f"/api/v1/submissions/{env['instance_id']}/attachments/{name}"


def test_whole_put_stores_by_content_and_is_idempotent(app, client, sent):
    env, blobs, h = sent
    name, data = next(iter(blobs.items()))
    r = client.put(_url(env, name), data=data, headers=h)
    assert r.status_code == 200 and r.get_json()["received"] is True
    assert stored(hashlib.sha256(data).hexdigest()) == data
    assert client.put(_url(env, name), data=data, headers=h).status_code == 200
    left = r.get_json()["missing_attachments"]
    for other in left:
        client.put(_url(env, other), data=blobs[other], headers=h)
    final = client.get(f"/api/v1/submissions/{env['instance_id']}", headers=h).get_json()
    assert final["missing_attachments"] == []
    assert storage().partial_bytes([(env["instance_id"], n) for n in blobs]) == 0
    from pathlib import Path

    assert not list((Path(app.config["MEDIA_ROOT"]) / "partial").rglob("*"))  # no partial or lock left


def test_ranged_chunks_resume_from_server_offset(client, sent):
    env, blobs, h = sent
    name, data = next(iter(blobs.items()))
    third = len(data) // 3
    r = client.put(_url(env, name), data=data[:third], headers={**h, "Content-Range": f"bytes 0-{third - 1}/{len(data)}"})
    assert r.status_code == 200 and r.get_json()["received"] is False and r.get_json()["offset"] == third
    head = client.head(_url(env, name), headers=h)
    assert head.headers["Upload-Offset"] == str(third)
    # a chunk that does not continue the file is refused with the real offset
    r = client.put(_url(env, name), data=data[third + 5:], headers={**h, "Content-Range": f"bytes {third + 5}-{len(data) - 1}/{len(data)}"})
    assert r.status_code == 416 and r.get_json()["error"]["fields"]["offset"] == third
    r = client.put(_url(env, name), data=data[third:], headers={**h, "Content-Range": f"bytes {third}-{len(data) - 1}/{len(data)}"})
    assert r.status_code == 200 and r.get_json()["received"] is True


def test_a_chunk_sent_again_overlapping_what_is_held_is_accepted(app, client, sent):
    """On a weak link the answer to a chunk can be lost after the server wrote it; the phone sends
    the chunk again from its own older offset. The bytes already held are skipped, not refused."""
    env, blobs, h = sent
    name, data = next(iter(blobs.items()))
    half = len(data) // 2
    r = client.put(_url(env, name), data=data[:half], headers={**h, "Content-Range": f"bytes 0-{half - 1}/{len(data)}"})
    assert r.get_json()["offset"] == half
    back = half // 2
    r = client.put(_url(env, name), data=data[back:], headers={**h, "Content-Range": f"bytes {back}-{len(data) - 1}/{len(data)}"})
    assert r.status_code == 200 and r.get_json()["received"] is True
    assert stored(hashlib.sha256(data).hexdigest()) == data


def test_an_upload_still_being_written_elsewhere_gets_busy_not_a_mixed_file(app, client, sent):
    """While another request (say a cut connection the server has not noticed yet) holds the partial
    file, a second writer is told to come back later instead of interleaving bytes."""
    env, blobs, h = sent
    name, data = next(iter(blobs.items()))
    with storage().writing(env["instance_id"], name):
        r = client.put(_url(env, name), data=data, headers=h)
        assert r.status_code == 409 and r.get_json()["error"]["code"] == "upload_busy"
        assert client.head(_url(env, name), headers=h).headers["Upload-Offset"] == "0"
    r = client.put(_url(env, name), data=data, headers=h)
    assert r.status_code == 200 and r.get_json()["received"] is True


def test_wrong_sha256_is_refused_and_forgotten(app, client, make_user, auth_header):
    make_user("volunteer", "volunteer", "20968")
    h = auth_header("volunteer")
    env, blobs = envelope(publish(), seed=6)
    name = env["attachments"][0]["name"]
    other = jpeg(99)
    env["attachments"][0]["sha256"] = hashlib.sha256(b"something else").hexdigest()
    env["attachments"][0]["size"] = len(other)
    assert client.post("/api/v1/submissions", json=env, headers=h).status_code == 201
    r = client.put(_url(env, name), data=other, headers=h)
    assert r.status_code == 422 and r.get_json()["error"]["code"] == "checksum_mismatch"
    assert client.head(_url(env, name), headers=h).headers["Upload-Offset"] == "0"


def _declare(client, h, make_bytes):
    env, _ = envelope(publish(), seed=8)
    data = make_bytes()
    env["attachments"][0].update(sha256=hashlib.sha256(data).hexdigest(), size=len(data))
    assert client.post("/api/v1/submissions", json=env, headers=h).status_code == 201
    return env, env["attachments"][0]["name"], data


def test_content_is_sniffed_not_the_name(client, make_user, auth_header):
    make_user("volunteer", "volunteer", "20968")
    h = auth_header("volunteer")
    env, name, data = _declare(client, h, lambda: b"<?php echo 'not a photo'; ?>" * 10)
    r = client.put(_url(env, name), data=data, headers=h)
    assert r.status_code == 415 and r.get_json()["error"]["code"] == "not_an_image"
    gif = io.BytesIO()
    Image.new("RGB", (10, 10)).save(gif, "GIF")
    env, name, data = _declare(client, h, gif.getvalue)
    assert client.put(_url(env, name), data=data, headers=h).status_code == 415


def test_decompression_bomb_is_refused(app, client, make_user, auth_header):
    app.config["MAX_IMAGE_PIXELS"] = 1_000_000
    make_user("volunteer", "volunteer", "20968")
    h = auth_header("volunteer")

    def bomb():
        buf = io.BytesIO()
        Image.new("1", (4000, 4000)).save(buf, "PNG")  # 16 Mpx in a few KB
        return buf.getvalue()

    env, name, data = _declare(client, h, bomb)
    r = client.put(_url(env, name), data=data, headers=h)
    assert r.status_code == 422 and r.get_json()["error"]["code"] == "image_too_big"


@pytest.mark.parametrize("name", ["..%2F..%2Fetc%2Fpasswd", "a%00b.jpg", "..", "nope.jpg"])
def test_path_tricks_and_undeclared_names(client, sent, name):
    env, _, h = sent
    r = client.put(f"/api/v1/submissions/{env['instance_id']}/attachments/{name}", data=b"x", headers=h)
    assert r.status_code in (400, 404) and r.is_json
    assert r.get_json()["error"]["code"] in ("bad_attachment_name", "undeclared_attachment", "not_found")


def test_someone_elses_submission_is_not_found(client, sent, make_user, auth_header):
    env, blobs, _ = sent
    make_user("other", "volunteer", "20968")
    name, data = next(iter(blobs.items()))
    r = client.put(_url(env, name), data=data, headers=auth_header("other"))
    assert r.status_code == 404
    assert not db.session.query(Attachment).filter_by(received=True).count()


def test_oversized_declared_and_sent(app, client, sent):
    env, blobs, h = sent
    name, data = next(iter(blobs.items()))
    r = client.put(_url(env, name), data=data + b"extra bytes", headers=h)
    assert r.status_code == 422 and r.get_json()["error"]["code"] == "size_mismatch"
