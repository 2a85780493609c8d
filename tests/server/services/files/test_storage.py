"""The partial-upload lock under real threads: one writer at a time, and no lock file left behind."""

from __future__ import annotations

import threading

from server.services.files.storage import Storage, UploadBusy


def test_concurrent_writers_never_overlap_and_leave_no_lock_files(tmp_path):
    storage = Storage(tmp_path)
    inside = 0
    overlaps = entered = busy = 0
    guard = threading.Lock()
    start = threading.Barrier(8)

    def writer():
        nonlocal inside, overlaps, entered, busy
        start.wait()
        for _ in range(200):
            try:
                with storage.writing("survey-1", "photo.jpg") as partial:
                    with guard:
                        inside += 1
                        entered += 1
                        overlaps += inside > 1
                    with open(partial, "ab") as fh:
                        fh.write(b"x")
                    with guard:
                        inside -= 1
            except UploadBusy:
                with guard:
                    busy += 1

    threads = [threading.Thread(target=writer) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert overlaps == 0 and entered + busy == 1600 and entered > 0
    assert storage.offset("survey-1", "photo.jpg") == entered  # every write landed in the one file
    left = [p.name for p in (tmp_path / "partial").rglob("*") if p.is_file()]
    assert left == [storage.partial("survey-1", "photo.jpg").name]  # the .part only: no .lock


def test_head_of_an_unknown_upload_creates_no_folder(tmp_path):
    storage = Storage(tmp_path)
    assert storage.offset("never-sent", "photo.jpg") == 0
    assert not (tmp_path / "partial").exists()
