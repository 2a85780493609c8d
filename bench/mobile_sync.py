"""Phone core benchmark: answer-save time, 12 MP photo resize, and syncing 50 surveys x 3 photos.

    .venv/bin/python bench/mobile_sync.py [--surveys 50] [--photos 3] [--skip-sync]

Prints medians. The sync part starts `python -m server --demo` on a free 127.0.0.1 port with a
temporary SQLite database and media folder, logs in as `volunteer`, queues the surveys (answers from
`forms.example.generate`, photos prepared by `mobile.core.photos`) and times one full sync.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PIL import Image  # noqa: E402

from mobile.core.photos import prepare_photo  # noqa: E402
from mobile.core.store import Store  # noqa: E402

PHOTOS = ROOT / "tests" / "fixtures" / "photos"  # the same camera photos, with their licence note


def bench_answers(tmp: Path, n: int = 300) -> dict:
    store = Store(tmp / "answers")
    draft_id = store.create_draft("house_assessment", "1")
    one, whole = [], []
    answers = {f"q{i}": "Nguyễn Văn An, thôn 2, Tam Xuân I" for i in range(60)}
    for i in range(n):
        t = time.perf_counter()
        store.save_answer(draft_id, f"q{i % 60}", f"giá trị {i}")
        one.append(time.perf_counter() - t)
        answers[f"q{i % 60}"] = f"giá trị {i}"
        t = time.perf_counter()
        store.save_answers(draft_id, answers)
        whole.append(time.perf_counter() - t)
    store.close()
    return {
        "save_answer_median_ms": statistics.median(one) * 1000,
        "save_answer_p95_ms": sorted(one)[int(n * 0.95)] * 1000,
        "save_answers_whole_median_ms": statistics.median(whole) * 1000,
    }


def bench_photo(tmp: Path, runs: int = 5) -> dict:
    src = tmp / "camera_12mp.jpg"
    with Image.open(PHOTOS / "iphone_hdr_NO.jpg") as img:
        exif = img.getexif()
        img.resize((4000, 3000), Image.Resampling.BICUBIC).save(src, "JPEG", quality=92, exif=exif.tobytes())
    times, sizes = [], []
    for i in range(runs):
        out = tmp / f"photos{i}"
        t = time.perf_counter()
        info = prepare_photo(src, out)
        times.append(time.perf_counter() - t)
        sizes.append(info.size)
    return {
        "photo_input_bytes": src.stat().st_size,
        "photo_resize_median_s": statistics.median(times),
        "photo_output_bytes": statistics.median(sizes),
        "photo_output_pixels": f"{info.width}x{info.height}",
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, proc: subprocess.Popen, seconds: float = 60) -> None:
    import requests

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            requests.get(url + "/api/v1/forms", timeout=1)
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise RuntimeError("server did not start")


def bench_sync(tmp: Path, surveys: int, per_survey: int) -> dict:
    from mobile.core.example import fill_survey
    from mobile.core.sync_client import SyncClient

    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp / 'server.db'}",
        "MEDIA_ROOT": str(tmp / "media"),
        "PYTHONPATH": str(ROOT),
    }
    log = open(tmp / "server.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-m", "server", "--demo", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_for(url, proc)
        store = Store(tmp / "phone")
        client = SyncClient(store, chunk_size=64 * 1024)
        client.login(url, "volunteer", "demo")
        client.refresh_forms()
        sources = sorted(p for p in PHOTOS.glob("*.jpg"))
        t = time.perf_counter()
        for i in range(surveys):
            photos = [sources[(i * per_survey + k) % len(sources)] for k in range(per_survey)]
            fill_survey(
                store, client.outbox, "house_assessment", seed=i, photo_files=photos, max_pixels=1600 - i
            )  # a different size per survey: every photo is new to the server (no dedup shortcut)
        queue_s = time.perf_counter() - t
        counts = client.outbox.counts()
        t = time.perf_counter()
        result = client.sync_once()
        sync_s = time.perf_counter() - t
        sent = client.outbox.counts()["sent"]
        uploaded = sum(
            a.size for item in client.outbox.items() for a in client.outbox.attachments(item.instance_id)
        )
        store.close()
        return {
            "queued": counts["queued"],
            "prepare_and_queue_s": queue_s,
            "sync_s": sync_s,
            "sent": sent,
            "photo_bytes": uploaded,
            "per_survey_ms": sync_s / max(1, sent) * 1000,
            "sync_ok": result.ok,
        }
    finally:
        proc.terminate()
        proc.wait(10)
        log.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--surveys", type=int, default=50)
    parser.add_argument("--photos", type=int, default=3)
    parser.add_argument("--skip-sync", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="maiam-bench-") as tmp:
        tmp = Path(tmp)
        results = {**bench_answers(tmp), **bench_photo(tmp)}
        if not args.skip_sync:
            results.update(bench_sync(tmp, args.surveys, args.photos))
    for key, value in results.items():
        print(f"{key:32s} {value:.3f}" if isinstance(value, float) else f"{key:32s} {value}")


if __name__ == "__main__":
    main()
