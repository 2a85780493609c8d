"""`python -m server storage migrate --to s3`: every photo and thumbnail reaches the bucket verified by
sha256, a damaged source file is named and not copied, and a second run copies nothing again."""

from __future__ import annotations

import hashlib

from server.services.files import s3
from tests.server.world import jpeg, storage


def test_migrate_to_s3_is_verified_and_resumable(app, s3_server):
    disk = storage()
    photos = [jpeg(seed) for seed in range(5)]
    for data in photos:
        sha = hashlib.sha256(data).hexdigest()
        disk.put_bytes(sha, data)
        disk.put_thumb(sha, b"thumb of " + sha.encode())
    damaged = hashlib.sha256(b"what it was").hexdigest()
    disk.put_bytes(damaged, b"what it became")  # its bytes no longer match its name
    app.config["S3"] = s3_server.settings(s3_server.new_bucket())

    out = app.test_cli_runner().invoke(args=["storage", "migrate", "--to", "s3"])
    assert out.exit_code == 1, out.output
    assert f"FAILED {damaged}" in out.output and "copied 5 photo(s)" in out.output and "1 failed" in out.output
    bucket = s3.blobs(app.config["S3"])
    for data in photos:
        sha = hashlib.sha256(data).hexdigest()
        with bucket.open(sha) as fh:
            assert fh.read() == data
        with bucket.open(sha, thumb=True) as fh:
            assert fh.read() == b"thumb of " + sha.encode()
    assert not bucket.holds(damaged, len(b"what it became"))

    disk.blobs.path(damaged).unlink()
    again = app.test_cli_runner().invoke(args=["storage", "migrate", "--to", "s3"])
    assert again.exit_code == 0, again.output
    assert "copied 0 photo(s) (0 bytes), 5 already there, 0 thumbnail(s), 0 failed" in again.output
    assert disk.blobs.holds(hashlib.sha256(photos[0]).hexdigest(), len(photos[0]))  # the source is left as it was
