"""The Android background service's entry point, run as a plain process against a live server: one
cycle of the app's auto-sync loop sends the waiting survey and pulls the feed, with no window."""

import os
import subprocess
import sys

import pytest

from forms.compile import compile_file, media_files
from mobile.background import sync_lock
from mobile.core.example import fill_survey
from mobile.core.outbox import Outbox
from mobile.core.store import SERVER_URL, TOKEN, USERNAME, Store
from tests.conftest import PHOTOS
from tests.e2e.conftest import live_server  # noqa: F401 - the shared live server (python -m server --demo)
from tests.mobile.ui.conftest import ROOT
from tests.mobile.ui.test_survey_flow import LIBRARY_FORM

pytestmark = pytest.mark.ui


def phone(path, server):
    store = Store(path)
    store.save_form(compile_file(LIBRARY_FORM), "local", media=media_files(LIBRARY_FORM))
    store.set_setting(SERVER_URL, server.url)
    store.set_setting(USERNAME, "volunteer")
    store.set_setting(TOKEN, server.token("volunteer"))
    item = fill_survey(store, Outbox(store), "house_assessment", seed=7, photo_files=[PHOTOS / "DSCN0021.jpg"] * 4)
    store.close()
    return item.instance_id


def run_service(data, *extra):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "mobile.background", "--data", str(data), "--cycles", "1", *extra],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_one_cycle_of_the_service_sends_the_waiting_survey(live_server, tmp_path):  # noqa: F811
    iid = phone(tmp_path / "phone", live_server)
    proc = run_service(tmp_path / "phone")
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "sync: sent=1 retrying=0 failed=0" in proc.stdout
    assert "Traceback" not in proc.stderr
    store = Store(tmp_path / "phone")
    try:
        assert Outbox(store).get(iid).state == "sent"
        assert store.list_houses(), "the feed was pulled too: my new house is listed"
    finally:
        store.close()


def test_the_service_waits_while_the_app_syncs(live_server, tmp_path):  # noqa: F811
    iid = phone(tmp_path / "phone", live_server)
    with sync_lock(tmp_path / "phone") as mine:
        assert mine
        proc = run_service(tmp_path / "phone")
    assert proc.returncode == 0 and "sync:" not in proc.stdout, proc.stderr[-3000:]
    store = Store(tmp_path / "phone")
    try:
        assert Outbox(store).get(iid).state == "queued"
    finally:
        store.close()
