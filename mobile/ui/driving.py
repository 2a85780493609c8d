"""Drive the running app step by step (screenshots, UI tests): a generator yields the seconds to wait
before its next step; the app stops when it ends. Errors are kept in `Driver.error`."""

from __future__ import annotations

import os
import traceback
from pathlib import Path

from kivy.clock import Clock
from kivy.core.window import Window


class Driver:
    def __init__(self, app, scenario, start_delay: float = 0.3):
        self.app = app
        self.scenario = scenario
        self.error: str | None = None
        self._gen = None
        Clock.schedule_once(self._start, start_delay)

    def _start(self, _dt):
        try:
            self._gen = self.scenario(self.app)
        except Exception:  # noqa: BLE001 - reported to the caller
            self._fail()
            return
        self._step(0)

    def _step(self, _dt):
        try:
            delay = next(self._gen)
        except StopIteration:
            self.app.stop()
            return
        except Exception:  # noqa: BLE001 - reported to the caller
            self._fail()
            return
        Clock.schedule_once(self._step, delay or 0)

    def _fail(self):
        self.error = traceback.format_exc()
        self.app.stop()


def capture(path: str | Path) -> Path:
    """Render the window now and save it as exactly `path` (Kivy itself appends a counter)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    Window.dispatch("on_draw")
    written = Window.screenshot(str(path.with_name(path.stem + "-shot.png")))
    os.replace(written, path)
    return path


def press(button):
    """Tap a button (or toggle) the way a finger does: press then release."""
    if button.disabled:
        raise RuntimeError(f"{button.__class__.__name__} {getattr(button, 'text', '')!r} is disabled")
    button._do_press()
    button.dispatch("on_press")
    button._do_release()
    button.dispatch("on_release")
