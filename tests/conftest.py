"""Settings every test shares. Package-specific fixtures live in the conftest.py of each test package."""

import os
import tempfile
from pathlib import Path

# Kivy reads these at import time: never write ~/.kivy, never parse pytest's argv, render offscreen.
_KIVY_HOME = tempfile.mkdtemp(prefix="maiam-kivy-")
os.environ.setdefault("KIVY_HOME", _KIVY_HOME)
os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
os.environ.setdefault("KIVY_NO_FILELOG", "1")
os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
PHOTOS = SHARED / "fixtures" / "photos"
DOMAIN = SHARED / "domain"
