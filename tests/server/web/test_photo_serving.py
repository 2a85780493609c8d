"""Photos from an S3 bucket reach the browser streamed through the server (default) or, with
MAIAM_S3_PRESIGN_SECONDS, by a redirect to a short-lived presigned URL that the page's CSP allows."""

from __future__ import annotations

import hashlib

import pytest
import requests

from tests.conftest import PHOTOS
from tests.server.world import envelope, publish, sign_in


@pytest.fixture(params=["s3", "s3-presign"])
def storage_backend(request):
    return request.param


def test_a_photo_in_the_bucket_reaches_the_browser(app, client, make_user, auth_header, s3_server):
    make_user("volunteer", "volunteer", "20968")
    h = auth_header("volunteer")
    photo = (PHOTOS / "DSCN0010.jpg").read_bytes()
    env, _ = envelope(publish(), seed=8)
    env["attachments"][0].update(sha256=hashlib.sha256(photo).hexdigest(), size=len(photo))
    assert client.post("/api/v1/submissions", json=env, headers=h).status_code == 201
    name = env["attachments"][0]["name"]
    url = f"/api/v1/submissions/{env['instance_id']}/attachments/{name}"
    assert client.put(url, data=photo, headers=h).get_json()["received"] is True

    page = sign_in(app.test_client(), "volunteer")
    r = page.get(f"/photos/{env['instance_id']}/{name}")
    csp = r.headers["Content-Security-Policy"]
    if app.config["S3"]["presign_seconds"]:
        assert r.status_code == 302 and r.location.startswith(s3_server.endpoint + "/")
        assert "X-Amz-Signature=" in r.location and "X-Amz-Expires=60" in r.location
        assert f"img-src 'self' data: {s3_server.endpoint}" in csp
        got = requests.get(r.location, timeout=10)
        assert got.status_code == 200 and got.content == photo and got.headers["Content-Type"] == "image/jpeg"
    else:
        assert r.status_code == 200 and r.data == photo and r.headers["Content-Type"] == "image/jpeg"
        assert s3_server.endpoint not in csp  # streamed through the server: the bucket is not an image source
        streamed = page.get(f"/photos/{env['instance_id']}/{name}", buffered=False)
        pieces = list(streamed.response)  # the body as the server hands it out: 64 KB pieces, never whole
        assert len(pieces) > 1 and max(map(len, pieces)) <= 64 * 1024 and b"".join(pieces) == photo
        streamed.close()
    thumb = page.get(f"/photos/{env['instance_id']}/{name}?thumb=1")
    assert thumb.status_code in (200, 302)
    other = sign_in(app.test_client(), "volunteer")
    assert other.get(f"/photos/{env['instance_id']}/nope.jpg").status_code == 404
