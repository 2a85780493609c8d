"""CPU of the checks every uploaded photo goes through (server/services/files/attachments.py `_store`), one by
one, on unique ~300 KB JPEGs made from a fixture photo (tests/fixtures/photos): sha256, the full decode +
thumbnail that refuses a broken file, the pHash of the thumbnail, EXIF, the durable copy into storage.
Prints ms of CPU per photo for each (process time, single thread).

    .venv/bin/python bench/photo_checks.py [--photos 60]
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.ingest import base_photo, unique_jpeg  # noqa: E402
from server.services.files import images, photo_facts  # noqa: E402
from server.services.files.storage import file_sha256  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--photos", type=int, default=60)
    args = ap.parse_args()
    photo_facts.warm_up()
    base = base_photo()
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i in range(args.photos):
            p = Path(tmp, f"{i}.jpg")
            p.write_bytes(unique_jpeg(base, str(i)))
            paths.append(p)
        thumbs = {}

        def thumb(p):
            thumbs[p] = images.check_and_thumbnail(p, 24_000_000)[1]

        def durable_copy(p):
            with open(p, "rb") as src, open(f"{p}.stored", "wb") as dst:
                dst.write(src.read())
                dst.flush()
                os.fsync(dst.fileno())

        steps = [("sha256", file_sha256), ("decode + thumbnail", thumb),
                 ("pHash of the thumbnail", lambda p: photo_facts.phash(io.BytesIO(thumbs[p]))),
                 ("EXIF", photo_facts.exif), ("durable copy (write + fsync)", durable_copy)]
        total = 0.0
        print(f"{args.photos} photos of ~{len(paths[0].read_bytes()) // 1024} KB")
        for name, step in steps:
            t0 = time.process_time()
            for p in paths:
                step(p)
            ms = 1000 * (time.process_time() - t0) / len(paths)
            total += ms
            print(f"  {name:30s} {ms:5.2f} ms")
        print(f"  {'all checks':30s} {total:5.2f} ms per photo")
    return 0


if __name__ == "__main__":
    sys.exit(main())
