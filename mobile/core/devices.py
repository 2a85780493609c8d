"""Camera and location behind small protocols, with the desktop (and test) implementations.

The Android implementations (plyer) live in `mobile/ui/devices/`; the app picks one at start-up.
Callbacks may be called from another thread: the UI must hop to its main loop before touching widgets.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Protocol

from mobile.core.location import CoordinateError, GpsFix, fix_from_photo, parse_coordinates
from mobile.core.photos import PhotoError, read_photo_info

PhotoCallback = Callable[[Path | None], None]  # the captured file, or None when the user cancelled
FixCallback = Callable[[GpsFix], None]


class Camera(Protocol):
    def take_photo(self, dest_dir: Path, on_done: PhotoCallback) -> None:
        """Capture (or choose) one picture and call `on_done` with its path (None if cancelled)."""


class LocationProvider(Protocol):
    def start(self, on_fix: FixCallback) -> None:
        """Start delivering fixes to `on_fix` (repeatedly, as they improve)."""

    def stop(self) -> None: ...


class FileCamera:
    """Desktop camera: the picture is a file the user chooses. `choose(on_path)` is the UI's file
    chooser; it calls back with a path or None. Without a chooser, `next_path` is used (tests)."""

    def __init__(self, choose: Callable[[Callable[[str | None], None]], None] | None = None):
        self.choose = choose
        self.next_path: str | Path | None = None

    def take_photo(self, dest_dir: Path, on_done: PhotoCallback) -> None:
        def chosen(path: str | None) -> None:
            on_done(Path(path) if path else None)

        if self.choose is not None:
            self.choose(chosen)
        else:
            chosen(str(self.next_path) if self.next_path else None)


class FixedLocation:
    """A provider that replays given fixes (tests, demos); `start` delivers them synchronously."""

    def __init__(self, fixes: Iterable[GpsFix] = ()):
        self.fixes = list(fixes)
        self.running = False

    def start(self, on_fix: FixCallback) -> None:
        self.running = True
        for fix in self.fixes:
            if not self.running:
                break
            on_fix(fix)

    def stop(self) -> None:
        self.running = False


class TypedLocation(FixedLocation):
    """Desktop location from typed coordinates ("15.5734, 108.4740"). Raises CoordinateError."""

    def __init__(self, text: str):
        super().__init__([parse_coordinates(text)])


class PhotoLocation(FixedLocation):
    """Desktop location from a photo's EXIF GPS. Raises CoordinateError('photo_has_no_location')."""

    def __init__(self, photo_path: str | Path):
        try:
            info = read_photo_info(photo_path)
        except PhotoError as exc:
            raise CoordinateError(exc.code, str(exc)) from exc
        fix = fix_from_photo(info.gps)
        if fix is None:
            raise CoordinateError("photo_has_no_location", str(photo_path))
        super().__init__([fix])
