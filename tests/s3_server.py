"""A real S3 protocol server on 127.0.0.1 for the tests: moto in server mode (`moto[server]`, the S3
implementation installable from PyPI), started in a thread of the test process. The code under test
talks to it over HTTP with boto3 exactly as to MinIO or AWS: nothing in server/ knows it is moto."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

REGION = "us-east-1"


@dataclass
class S3Server:
    endpoint: str
    server: object

    def settings(self, bucket: str) -> dict:
        return {"endpoint": self.endpoint, "bucket": bucket, "region": REGION, "prefix": "",
                "addressing": "path", "access_key": "test-key", "secret_key": "test-secret", "presign_seconds": 0}

    def env(self, bucket: str) -> dict:
        """The environment a server process reads (server/config.py) for this bucket."""
        return {"MAIAM_STORAGE": "s3", "MAIAM_S3_ENDPOINT": self.endpoint, "MAIAM_S3_BUCKET": bucket,
                "MAIAM_S3_REGION": REGION, "MAIAM_S3_ACCESS_KEY": "test-key", "MAIAM_S3_SECRET_KEY": "test-secret"}

    def new_bucket(self) -> str:
        from server.services.files import s3

        bucket = "maiam-" + uuid.uuid4().hex[:16]
        s3.client(self.settings(bucket)).create_bucket(Bucket=bucket)
        return bucket


def start() -> S3Server:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    return S3Server(f"http://{host}:{port}", server)
