"""GPS logic: pick the best fix, format/parse ODK geopoints, read typed coordinates, fix from a photo.

A geopoint answer carries the accuracy only when it is known (ODK `"lat lon alt accuracy"`; a point
typed by hand without one is stored as `"lat lon"`, never with a made-up accuracy, so no "within 50 m"
rule passes on it and the server flags it `gps_manual` for the reviewer). A photo's EXIF position
without GPSHPositioningError records a conservative accuracy, and `estimated` says so.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from mobile.core.i18n import CodedError

DEFAULT_THRESHOLD_M = 10.0
PHOTO_ACCURACY_M = 50.0  # phone GPS in EXIF: usually 5-50 m; record the pessimistic end


class CoordinateError(CodedError, ValueError):
    """Typed coordinates were not understood; `code` is an i18n error code."""


@dataclass(frozen=True)
class GpsFix:
    lat: float
    lon: float
    alt: float = 0.0
    accuracy: float = math.inf  # metres (68 %); inf = unknown
    source: str = "gps"  # gps | photo | typed
    estimated: bool = False  # accuracy is our conservative guess, not measured

    def geopoint(self) -> str:
        return to_geopoint(self)

    @property
    def manual(self) -> bool:
        """A point typed by hand without an accuracy («vị trí nhập tay»)."""
        return not math.isfinite(self.accuracy)


def to_geopoint(fix: GpsFix) -> str:
    """The ODK geopoint string `"lat lon alt accuracy"`, or `"lat lon"` when the accuracy is unknown."""
    if not math.isfinite(fix.accuracy):
        return f"{_num(fix.lat, 7)} {_num(fix.lon, 7)}"
    return f"{_num(fix.lat, 7)} {_num(fix.lon, 7)} {_num(fix.alt or 0.0, 2)} {_num(fix.accuracy, 2)}"


def parse_geopoint(text: str) -> GpsFix:
    """Read an ODK geopoint (`lat lon [alt [accuracy]]`) back into a fix."""
    parts = str(text).split()
    if not 2 <= len(parts) <= 4:
        raise CoordinateError("coordinates_format", text)
    try:
        numbers = [float(p) for p in parts]
    except ValueError as exc:
        raise CoordinateError("coordinates_format", text) from exc
    _check_range(numbers[0], numbers[1])
    alt = numbers[2] if len(numbers) > 2 else 0.0
    accuracy = numbers[3] if len(numbers) > 3 else math.inf
    return GpsFix(numbers[0], numbers[1], alt, accuracy)


_NUMBER = r"[-+]?\d+(?:[.,]\d+)?"
_DOT_PAIR = re.compile(r"^\s*([-+]?\d+(?:\.\d+)?)\s*[,;\s]\s*([-+]?\d+(?:\.\d+)?)\s*$")
_SEPARATED_PAIR = re.compile(rf"^\s*({_NUMBER})\s*(?:;|\s)\s*({_NUMBER})\s*$")


_ACCURACY = re.compile(r"\s*(?:±|\+/-|\+-)\s*(\d+(?:[.,]\d+)?)\s*m?\s*$", re.IGNORECASE)


def parse_coordinates(text: str, accuracy: str | float | None = None) -> GpsFix:
    """Typed decimal degrees "lat, lon": dot decimals ("15.57, 108.47"), comma decimals
    ("15,57 108,47" or "15,57; 108,47"). The accuracy a GPS receiver showed comes in its own field
    (`accuracy`, metres, "8" or "4,5"), or after the point ("… ±8 m", "+/-8"); without one the point
    has no accuracy (`manual`)."""
    text = str(text or "").replace("°", " ").strip()
    stated = _ACCURACY.search(text)
    metres = parse_accuracy(accuracy)
    if stated:
        metres = parse_accuracy(stated.group(1), code="coordinates_format")
        text = text[: stated.start()]
    match = _DOT_PAIR.match(text) or _SEPARATED_PAIR.match(text)
    if not match:
        raise CoordinateError("coordinates_format", text)
    lat, lon = (float(g.replace(",", ".")) for g in match.groups())
    _check_range(lat, lon)
    return GpsFix(lat, lon, 0.0, math.inf if metres is None else metres, source="typed")


def parse_accuracy(value: str | float | None, code: str = "accuracy_format") -> float | None:
    """Metres typed in the accuracy field ("8", "4,5", "8 m"); None when empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        metres = float(str(value).lower().replace("m", "").replace(",", ".").strip())
    except ValueError:
        raise CoordinateError(code, str(value)) from None
    if not 0 < metres <= 10_000:
        raise CoordinateError(code, str(value))
    return metres


def fix_from_photo(gps, accuracy: float = PHOTO_ACCURACY_M) -> GpsFix | None:
    """A fix from a photo's EXIF (`photos.PhotoGps` or None). The camera's own positioning error is
    used when it wrote one; otherwise a conservative `accuracy` is recorded and flagged as estimated."""
    if gps is None:
        return None
    measured = getattr(gps, "accuracy", None)
    return GpsFix(
        gps.lat,
        gps.lon,
        gps.alt or 0.0,
        float(measured) if measured else float(accuracy),
        source="photo",
        estimated=not measured,
    )


class FixSelector:
    """Accept-when-better-than: feed fixes as they arrive; the first with accuracy <= threshold is
    accepted automatically; until then the best seen is kept and the user may accept it by hand."""

    def __init__(self, threshold_m: float = DEFAULT_THRESHOLD_M):
        self.threshold_m = threshold_m
        self.best: GpsFix | None = None
        self.accepted: GpsFix | None = None
        self.count = 0

    def offer(self, fix: GpsFix) -> bool:
        """Take one fix; True when this fix was accepted automatically."""
        if self.accepted is not None or not _valid(fix):
            return False
        self.count += 1
        if self.best is None or fix.accuracy < self.best.accuracy:
            self.best = fix
        if fix.accuracy <= self.threshold_m:
            self.accepted = fix
            return True
        return False

    def accept(self) -> GpsFix | None:
        """The user accepts the best fix so far (None if there is none yet)."""
        if self.accepted is None and self.best is not None:
            self.accepted = self.best
        return self.accepted

    def reset(self) -> None:
        self.best = self.accepted = None
        self.count = 0

    @property
    def good_enough(self) -> bool:
        return self.best is not None and self.best.accuracy <= self.threshold_m


def _valid(fix: GpsFix) -> bool:
    return (
        all(math.isfinite(v) for v in (fix.lat, fix.lon))
        and -90 <= fix.lat <= 90
        and -180 <= fix.lon <= 180
        and not math.isnan(fix.accuracy)
        and fix.accuracy >= 0
    )


def _check_range(lat: float, lon: float) -> None:
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise CoordinateError("coordinates_range", f"{lat} {lon}")


def _num(value: float, places: int) -> str:
    text = f"{value:.{places}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
