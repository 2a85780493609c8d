"""UI tests run the real app in a child process (one Kivy window per process; a window failure
must not kill pytest): `run_driver` starts tests/mobile/ui/driver.py and returns its JSON result."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.conftest import live_server  # noqa: F401 - the shared live server (python -m server --demo)

DRIVER = Path(__file__).with_name("driver.py")
ROOT = Path(__file__).resolve().parents[3]


def driver_env(tmp_path: Path) -> dict:
    env = dict(os.environ)
    env.pop("KIVY_NO_CONSOLELOG", None)  # a crash in the child must show its traceback
    env.update(
        SDL_VIDEODRIVER="offscreen",
        KIVY_NO_ARGS="1",
        KCFG_KIVY_LOG_LEVEL="error",
        KIVY_NO_FILELOG="1",
        KIVY_HOME=str(tmp_path / "kivy-home"),
        PYTHONPATH=str(ROOT),
    )
    return env


def parse_result(stdout: str) -> dict:
    for line in reversed(stdout.splitlines()):
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT "):])
    raise AssertionError(f"the driver printed no RESULT line:\n{stdout[-3000:]}")


@pytest.fixture
def run_driver(tmp_path):
    def run(scenario: str, data_dir: Path, params: dict | None = None, timeout: float = 240,
            env: dict | None = None) -> dict:
        """`env`: more variables, e.g. MAIAM_TEST_WINDOW=720x1280, KIVY_METRICS_FONTSCALE=1.3."""
        proc = subprocess.run(
            [sys.executable, str(DRIVER), scenario, str(data_dir), json.dumps(params or {})],
            cwd=ROOT, env={**driver_env(tmp_path), **(env or {})}, capture_output=True, text=True, timeout=timeout,
        )
        result = parse_result(proc.stdout) if "RESULT " in proc.stdout else None
        if proc.returncode != 0 or result is None or result.get("error"):
            detail = (result or {}).get("error") or proc.stderr[-4000:]
            raise AssertionError(f"driver {scenario} failed (exit {proc.returncode}):\n{detail}")
        return result

    return run
