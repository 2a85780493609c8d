"""A machine without a system package the tests need stops the run with one line naming it and ./setup."""

import os
import subprocess
import sys

from tests.conftest import ROOT


def _run(test: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pytest", "-q", test], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=120)


def test_without_chromium_the_browser_tests_stop_with_one_clear_line():
    r = _run("tests/e2e/test_browser_review.py", MAIAM_CHROMIUM="/nonexistent/chromium")
    assert r.returncode == 4
    out = r.stdout + r.stderr
    assert "missing system packages: chromium" in out and "./setup" in out
    assert "Traceback" not in out


def test_without_a_display_library_the_ui_tests_stop_with_one_clear_line():
    r = _run("tests/mobile/ui", MAIAM_LIBEGL="no-such-egl-library")
    assert r.returncode == 4
    out = r.stdout + r.stderr
    assert "libegl1" in out and "./setup" in out and "Traceback" not in out
