"""Photo and GPS actions of the form presenter (mixed into FormPresenter).

Photos: `prepare_photo` (upright, resized to the question's max-pixels, EXIF GPS kept) into the
store's photo folder, registered, and the file name becomes the answer. GPS: fixes are fed to the
core's accept-when-better `FixSelector` (the status shows the accuracy improving; «Dùng vị trí này»
takes the best so far); the accepted fix is stored as an ODK geopoint with its accuracy. A photo's EXIF
position records a conservative accuracy; typed coordinates take the accuracy typed in its own field,
and without one are kept as "lat lon" and marked «vị trí nhập tay».
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mobile.core import location, photos
from mobile.core.presenters.strings import tr

if TYPE_CHECKING:
    from mobile.core.presenters.fieldview import FieldView
    from mobile.core.presenters.form import Change
    from mobile.core.store import Store


class MediaActions:
    if TYPE_CHECKING:  # what FormPresenter, which mixes this in, provides
        store: Store
        lang: str
        shown_errors: dict[str, str]

        def view(self, path: str) -> FieldView: ...
        def answer(self, path: str, value: Any) -> Change: ...

    def __init__(self):
        self._gps_field: str | None = None
        self._gps: location.FixSelector | None = None
        self._gps_status: dict[str, str] = {}

    # ---- photos ---------------------------------------------------------------------------------
    def photo_file(self, name: str) -> str | None:
        path = self.store.photo_dir / name
        return str(path) if path.exists() else None

    def photo_preview(self, name: str) -> str | None:
        """What the thumbnail shows: a small copy of the photo (never the photo decoded at full size)."""
        path = self.photo_file(name)
        return None if path is None else str(photos.preview(path))

    def max_pixels(self, path: str) -> int:
        params = self.view(path).parameters
        try:
            return int(params.get("max-pixels") or photos.DEFAULT_MAX_PIXELS)
        except (TypeError, ValueError):
            return photos.DEFAULT_MAX_PIXELS

    def attach_photo(self, path: str, source: str):
        """Prepare the photo at `source` for question `path` and answer with its file name."""
        try:
            info = photos.prepare_photo(source, self.store.photo_dir, max_pixels=self.max_pixels(path))
        except photos.PhotoError as exc:
            self.shown_errors[path] = tr(f"error.{exc.code}", self.lang)
            return self._change({path})
        name = self.store.add_photo(info)
        return self.answer(path, name)

    # ---- GPS ------------------------------------------------------------------------------------
    def gps_busy(self, path: str) -> bool:
        return self._gps_field == path and self._gps is not None and self._gps.accepted is None

    def gps_best(self, path: str):
        """The best fix of the search running for `path` (None when none runs or none came yet)."""
        return self._gps.best if self._gps_field == path and self._gps is not None else None

    def gps_status(self, path: str) -> str:
        return self._gps_status.get(path, "")

    def start_gps(self, path: str, threshold_m: float | None = None):
        self._gps_field = path
        self._gps = location.FixSelector(threshold_m or location.DEFAULT_THRESHOLD_M)
        self._gps_status[path] = tr("gps.waiting", self.lang)
        return self._change({path})

    def gps_fix(self, fix: location.GpsFix):
        """One fix from the location device; answers automatically when it is good enough."""
        path, selector = self._gps_field, self._gps
        if path is None or selector is None:
            return self._change(set())
        if selector.offer(fix):
            return self._take_fix(path, fix, "gps.accepted")
        best = selector.best
        if best is not None:
            self._gps_status[path] = tr("gps.improving", self.lang, accuracy=f"{best.accuracy:.0f}",
                                        threshold=f"{selector.threshold_m:.0f}")
        return self._change({path})

    def stop_gps(self):
        """The user stops the search: the best fix so far is used (if any)."""
        path, selector = self._gps_field, self._gps
        if path is None or selector is None:
            return self._change(set())
        fix = selector.accept()
        if fix is None:
            self._gps_field = self._gps = None
            self._gps_status[path] = tr("q.gps_unavailable", self.lang)
            return self._change({path})
        return self._take_fix(path, fix, "gps.accepted")

    def cancel_gps(self):
        """«Dừng»: the search stops and nothing is taken (the answer stays as it was)."""
        path = self._gps_field
        self._gps_field = self._gps = None
        if path is None:
            return self._change(set())
        self._gps_status[path] = ""
        return self._change({path})

    def gps_unavailable(self, path: str):
        self._gps_field = self._gps = None
        self._gps_status[path] = tr("q.gps_unavailable", self.lang)
        return self._change({path})

    def geopoint_from_photo(self, path: str, source: str):
        try:
            gps = photos.read_photo_info(source).gps
        except photos.PhotoError as exc:
            self.shown_errors[path] = tr(f"error.{exc.code}", self.lang)
            return self._change({path})
        fix = location.fix_from_photo(gps)
        if fix is None:
            self._gps_status[path] = tr("gps.photo_has_no_location", self.lang)
            return self._change({path})
        return self._take_fix(path, fix, "gps.from_photo")

    def typed_geopoint(self, path: str, text: str, accuracy: str = ""):
        """Coordinates typed by hand, with the accuracy (metres) in its own field or none."""
        try:
            fix = location.parse_coordinates(text, accuracy)
        except location.CoordinateError as exc:
            self.shown_errors[path] = tr(f"error.{exc.code}", self.lang)
            return self._change({path})
        return self._take_fix(path, fix, "gps.manual" if fix.manual else "gps.typed")

    def _take_fix(self, path, fix, key):
        if self._gps_field == path:
            self._gps_field = self._gps = None
        self._gps_status[path] = tr(key, self.lang, accuracy=f"{fix.accuracy:.0f}")
        return self.answer(path, location.to_geopoint(fix))

    def _change(self, fields):
        from mobile.core.presenters.form import Change

        return Change(fields=set(fields))
