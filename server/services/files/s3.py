"""The S3 client, built from settings (server/config.py reads them from the environment): an endpoint
for any S3-compatible server (MinIO, SeaweedFS, Ceph RGW, a Vietnamese cloud; none for AWS itself), the
region, path-style or virtual-host addressing, and credentials (else boto3's own chain: AWS_* variables,
~/.aws, an instance role)."""

from __future__ import annotations

import boto3
from botocore.config import Config

from server.services.files.blobs import S3Blobs


def client(settings: dict):
    cfg = Config(signature_version="s3v4", retries={"max_attempts": 5, "mode": "standard"},
                 s3={"addressing_style": settings.get("addressing") or "path"},
                 connect_timeout=10, read_timeout=60)
    kwargs = {"region_name": settings.get("region") or "us-east-1", "config": cfg}
    if settings.get("endpoint"):
        kwargs["endpoint_url"] = settings["endpoint"]
    if settings.get("access_key"):
        kwargs["aws_access_key_id"] = settings["access_key"]
        kwargs["aws_secret_access_key"] = settings.get("secret_key") or ""
    return boto3.session.Session().client("s3", **kwargs)


def blobs(settings: dict) -> S3Blobs:
    if not settings.get("bucket"):
        raise RuntimeError("MAIAM_S3_BUCKET must be set when MAIAM_STORAGE=s3")
    return S3Blobs(client(settings), settings["bucket"], settings.get("prefix") or "",
                   int(settings.get("presign_seconds") or 0))
