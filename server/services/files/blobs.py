"""Where stored photos live, content-addressed (`ab/cd/<sha256>`, the thumbnail `ab/cd/<sha256>.thumb.jpg`):
on the local disk (`LocalBlobs`, the default and the embedded set-up) or in an S3-compatible bucket
(`S3Blobs`: MinIO, SeaweedFS, Ceph RGW, AWS, Vietnamese clouds). Both have the same small interface:

    holds(sha256, size) · has_thumb(sha256) · put_file(sha256, path) · put_thumb(sha256, data)
    open(sha256) / open_thumb(sha256) -> a readable binary file (context manager), never the whole photo
    in memory · chunks(sha256, thumb) -> (length, iterator of bytes) for streaming to a browser ·
    url(sha256, thumb, content_type) -> a short-lived presigned URL or None · local_path(sha256, thumb) -> a Path when
    the photo is a local file · shas() -> every stored photo · size(sha256)

Nothing here knows about requests, the database or partial uploads (`partials.py`)."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

_SHA = re.compile(r"^[0-9a-f]{64}$")
THUMB_SUFFIX = ".thumb.jpg"
_CHUNK = 64 * 1024
_SPOOL = 1024 * 1024  # an S3 object read for Pillow stays in memory up to this, then spills to disk


def key_of(sha256: str, thumb: bool = False) -> str:
    """The content-addressed key of a photo (or its thumbnail): `ab/cd/<sha256>`. ValueError if not a sha256."""
    if not _SHA.match(sha256 or ""):
        raise ValueError("not a sha256")
    return f"{sha256[:2]}/{sha256[2:4]}/{sha256}{THUMB_SUFFIX if thumb else ''}"


class LocalBlobs:
    """Photos as files under `root` (MEDIA_ROOT)."""

    kind = "file"

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    def path(self, sha256: str, thumb: bool = False) -> Path:
        return self.root / key_of(sha256, thumb)

    def local_path(self, sha256: str, thumb: bool = False) -> Path | None:
        return self.path(sha256, thumb)

    def holds(self, sha256: str, size: int) -> bool:
        try:
            return self.path(sha256).stat().st_size == size
        except (ValueError, OSError):
            return False

    def size(self, sha256: str) -> int | None:
        try:
            return self.path(sha256).stat().st_size
        except (ValueError, OSError):
            return None

    def has_thumb(self, sha256: str) -> bool:
        try:
            return self.path(sha256, thumb=True).is_file()
        except ValueError:
            return False

    def put_file(self, sha256: str, source: Path) -> None:
        """Move a verified file into place atomically (os.replace on one filesystem, else a copy first)."""
        final = self.path(sha256)
        final.parent.mkdir(parents=True, exist_ok=True)
        if final.exists():
            source.unlink(missing_ok=True)
            return
        with open(source, "rb+") as fh:
            os.fsync(fh.fileno())
        try:
            os.replace(source, final)
        except OSError:  # another filesystem: copy next to it, then rename
            tmp = final.with_name(f"{final.name}.{os.getpid()}.tmp")
            shutil.copyfile(source, tmp)
            os.replace(tmp, final)
            source.unlink(missing_ok=True)

    def put_thumb(self, sha256: str, data: bytes) -> None:
        out = self.path(sha256, thumb=True)
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(f"{out.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, out)

    @contextlib.contextmanager
    def open(self, sha256: str, thumb: bool = False) -> Iterator[BinaryIO]:
        with open(self.path(sha256, thumb), "rb") as fh:
            yield fh

    def open_thumb(self, sha256: str):
        return self.open(sha256, thumb=True)

    def chunks(self, sha256: str, thumb: bool = False) -> tuple[int, Iterator[bytes]]:
        path = self.path(sha256, thumb)
        size = path.stat().st_size

        def read() -> Iterator[bytes]:
            with open(path, "rb") as fh:
                while block := fh.read(_CHUNK):
                    yield block

        return size, read()

    def url(self, sha256: str, thumb: bool = False, content_type: str = "image/jpeg") -> str | None:
        return None

    def abort_stale_uploads(self, max_age_seconds: float, now: float) -> int:
        return 0  # a local file is renamed into place whole: nothing is left half-stored

    def shas(self) -> Iterator[str]:
        for first in sorted(p for p in self.root.glob("[0-9a-f][0-9a-f]") if p.is_dir()):
            for second in sorted(p for p in first.glob("[0-9a-f][0-9a-f]") if p.is_dir()):
                for f in sorted(second.iterdir()):
                    if _SHA.match(f.name) and f.is_file():
                        yield f.name


class S3Blobs:
    """Photos as objects in one bucket (keys under `prefix`). `client` is a boto3 S3 client built by
    `s3.client(settings)`; only plain S3 calls are used, so any S3-compatible server works."""

    kind = "s3"

    def __init__(self, client, bucket: str, prefix: str = "", presign_seconds: int = 0):
        self.client = client
        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.presign_seconds = presign_seconds

    def key(self, sha256: str, thumb: bool = False) -> str:
        return self.prefix + key_of(sha256, thumb)

    def local_path(self, sha256: str, thumb: bool = False) -> Path | None:
        return None

    def _head(self, key: str) -> dict | None:
        try:
            return self.client.head_object(Bucket=self.bucket, Key=key)
        except self.client.exceptions.ClientError as err:
            if str(err.response.get("Error", {}).get("Code")) in ("404", "NoSuchKey", "NotFound"):
                return None
            raise

    def size(self, sha256: str) -> int | None:
        try:
            head = self._head(self.key(sha256))
        except ValueError:
            return None
        return None if head is None else int(head["ContentLength"])

    def holds(self, sha256: str, size: int) -> bool:
        return self.size(sha256) == size

    def has_thumb(self, sha256: str) -> bool:
        try:
            return self._head(self.key(sha256, thumb=True)) is not None
        except ValueError:
            return False

    def put_file(self, sha256: str, source: Path) -> None:
        """Upload a verified file (multipart for large ones: boto3 streams it from disk), then remove it.
        An object appears whole or not at all, so a cut upload never leaves half a photo."""
        self.client.upload_file(str(source), self.bucket, self.key(sha256),
                                ExtraArgs={"ContentType": "application/octet-stream"})
        source.unlink(missing_ok=True)

    def put_thumb(self, sha256: str, data: bytes) -> None:
        self.client.put_object(Bucket=self.bucket, Key=self.key(sha256, thumb=True), Body=data,
                               ContentType="image/jpeg")

    @contextlib.contextmanager
    def open(self, sha256: str, thumb: bool = False) -> Iterator[BinaryIO]:
        """A seekable copy (Pillow seeks): in memory up to 1 MB, on disk beyond. FileNotFoundError if absent."""
        with tempfile.SpooledTemporaryFile(max_size=_SPOOL) as spool:
            try:
                self.client.download_fileobj(self.bucket, self.key(sha256, thumb), spool)
            except self.client.exceptions.ClientError as err:
                raise FileNotFoundError(self.key(sha256, thumb)) from err
            spool.seek(0)
            yield spool  # type: ignore[misc]

    def open_thumb(self, sha256: str):
        return self.open(sha256, thumb=True)

    def chunks(self, sha256: str, thumb: bool = False) -> tuple[int, Iterator[bytes]]:
        try:
            obj = self.client.get_object(Bucket=self.bucket, Key=self.key(sha256, thumb))
        except self.client.exceptions.ClientError as err:
            raise FileNotFoundError(self.key(sha256, thumb)) from err
        body = obj["Body"]

        def read() -> Iterator[bytes]:
            try:
                yield from body.iter_chunks(_CHUNK)
            finally:
                body.close()

        return int(obj["ContentLength"]), read()

    def url(self, sha256: str, thumb: bool = False, content_type: str = "image/jpeg") -> str | None:
        """A presigned GET valid `presign_seconds` (None when photos are streamed through the server)."""
        if not self.presign_seconds:
            return None
        return self.client.generate_presigned_url(
            "get_object", ExpiresIn=self.presign_seconds,
            Params={"Bucket": self.bucket, "Key": self.key(sha256, thumb),
                    "ResponseContentType": "image/jpeg" if thumb else content_type})

    def abort_stale_uploads(self, max_age_seconds: float, now: float) -> int:
        """Abort multipart uploads of this prefix begun more than `max_age_seconds` ago (a node killed in
        the middle of storing a large photo leaves its parts behind; they are billed and never seen)."""
        aborted = 0
        pages = self.client.get_paginator("list_multipart_uploads").paginate(Bucket=self.bucket, Prefix=self.prefix)
        for page in pages:
            for up in page.get("Uploads", []):
                if now - up["Initiated"].timestamp() >= max_age_seconds:
                    self.client.abort_multipart_upload(Bucket=self.bucket, Key=up["Key"], UploadId=up["UploadId"])
                    aborted += 1
        return aborted

    def shas(self) -> Iterator[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix)
        for page in pages:
            for obj in page.get("Contents", []):
                name = obj["Key"].rsplit("/", 1)[-1]
                if _SHA.match(name):
                    yield name
