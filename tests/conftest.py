"""Settings every test shares. Package-specific fixtures live in the conftest.py of each test package."""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

# Kivy reads these at import time: never write ~/.kivy, never parse pytest's argv, render offscreen.
_KIVY_HOME = tempfile.mkdtemp(prefix="maiam-kivy-")
atexit.register(shutil.rmtree, _KIVY_HOME, True)
os.environ.setdefault("KIVY_HOME", _KIVY_HOME)
os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
os.environ.setdefault("KIVY_NO_FILELOG", "1")
os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
PHOTOS = FIXTURES / "photos"  # real camera photos; their licence and provenance: photos/SOURCES.md

CHROMIUM = Path(os.environ.get("MAIAM_CHROMIUM", "/usr/bin/chromium"))  # Debian's package


def _missing_system_packages(items) -> list[str]:
    """System packages the selected tests need but this machine lacks (README: ./setup installs them)."""
    import ctypes.util

    missing = []
    if any(item.get_closest_marker("browser") for item in items) and not CHROMIUM.exists():
        missing.append("chromium (Debian package; /usr/bin/chromium)")
    if any(item.get_closest_marker("ui") for item in items):
        for lib, package in (("EGL", "libegl1"), ("GL", "libgl1")):
            if ctypes.util.find_library(os.environ.get(f"MAIAM_LIB{lib}", lib)) is None:
                missing.append(f"{package} (lib{lib})")
    return missing


def pytest_collection_modifyitems(session, config, items):
    missing = _missing_system_packages(items)
    if missing:
        pytest.exit(f"missing system packages: {', '.join(missing)} — run ./setup (it installs them with apt)",
                    returncode=4)



@pytest.fixture(scope="session")
def s3_server():
    """moto's S3 server on 127.0.0.1 (tests/s3_server.py), one per test run; each test makes its own bucket."""
    from tests import s3_server as s3

    server = s3.start()
    yield server
    server.server.stop()
