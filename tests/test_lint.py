"""The code style is part of the test command: `ruff check .` must be clean (pyproject.toml sets the rules)."""

import subprocess
import sys

from tests.conftest import ROOT


def test_ruff_is_clean():
    r = subprocess.run([sys.executable, "-m", "ruff", "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
