"""The types are part of the test command: `mypy forms mobile/core` must be clean (pyproject.toml sets the rules)."""

import subprocess
import sys

from tests.conftest import ROOT


def test_mypy_is_clean_on_the_form_engine_and_the_phone_core():
    r = subprocess.run(
        [sys.executable, "-m", "mypy", "forms", "mobile/core"], cwd=ROOT, capture_output=True, text=True
    )
    assert r.returncode == 0, r.stdout + r.stderr
