"""The whole house assessment through the real widgets: fill, photo, finish, sync to a live server;
and a draft that survives SIGKILL mid-form."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest

from tests.conftest import PHOTOS
from tests.mobile.ui.conftest import DRIVER, ROOT, driver_env

pytestmark = pytest.mark.ui

LIBRARY_FORM = ROOT / "forms" / "library" / "house_assessment.xlsx"


def seeded_phone(path):
    """A phone that already has the library form (as if synced) and a signed-in user."""
    from forms.compile import compile_file, media_files
    from mobile.core.store import SERVER_URL, TOKEN, USERNAME, Store

    store = Store(path)
    store.save_form(compile_file(LIBRARY_FORM), "local", media=media_files(LIBRARY_FORM))
    store.set_setting(SERVER_URL, "http://127.0.0.1:9")
    store.set_setting(USERNAME, "volunteer")
    store.set_setting(TOKEN, "not-used-offline")
    store.close()
    return path


def test_fill_the_whole_house_assessment_offline(run_driver, tmp_path):
    phone = seeded_phone(tmp_path / "phone")
    result = run_driver("fill_local", phone, {"photo": str(PHOTOS / "DSCN0010.jpg"), "seed": 1})
    assert result["summary_items"] == []  # nothing missing
    assert result["screen_after_finish"] == "home"
    [item] = result["outbox"]
    assert item["state"] == "queued"  # no server: kept, to be retried
    assert item["last_error"] == "network"
    assert item["attachments"], "the photo is an attachment of the survey"
    assert all(name.endswith(".jpg") for name in item["attachments"])


def test_draft_survives_sigkill_mid_form(run_driver, tmp_path):
    phone = seeded_phone(tmp_path / "phone")
    with subprocess.Popen(
        [sys.executable, str(DRIVER), "partial", str(phone), json.dumps({"count": 3})],
        cwd=ROOT, env=driver_env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    ) as proc:
        given = None
        for line in proc.stdout:
            if line.startswith("READY "):
                given = json.loads(line[len("READY "):])["given"]
                break
        if given:
            os.kill(proc.pid, signal.SIGKILL)  # mid-form: no chance to close or flush anything
        else:
            proc.kill()
        _out, err = proc.communicate(timeout=60)
    assert given, err[-3000:]
    assert proc.returncode == -signal.SIGKILL
    result = run_driver("reopen", phone)
    assert len(result["drafts"]) == 1
    for path, text in given.items():
        assert result["shown"][path] == text, path
