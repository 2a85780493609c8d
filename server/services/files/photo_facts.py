"""What a stored photo says about itself: a perceptual hash (to find the same picture re-saved or
resized) and its EXIF position and time (to find a photo taken elsewhere or long before the survey).

The perceptual hash is imagehash's pHash (DCT of a 32x32 grey image, 64 bits, 16 hex digits), computed
from the photo's stored thumbnail (cheap, and a resized copy yields the same thumbnail). Two photos are
"the same picture" when their hashes differ in at most ``PHASH_MAX_DISTANCE`` bits; bench/photo_signals.py
measures that threshold (copies caught, false positives over fixture and generated photos).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import BinaryIO

import imagehash
from PIL import Image, ImageOps

PHASH_MAX_DISTANCE = 6  # bits of 64; see bench/photo_signals.py for the measurement


def phash(path: str | Path | BinaryIO) -> str | None:
    """The 64-bit pHash of an image file as 16 hex digits; None when it cannot be read."""

    try:
        with Image.open(path) as img:
            return str(imagehash.phash(ImageOps.exif_transpose(img).convert("L")))
    except Exception:  # Pillow raises many kinds; a photo without a hash simply is not compared
        return None


def warm_up() -> None:
    """Load what the first pHash needs (imagehash, numpy, scipy's DCT: ~0.3 s) when a server starts,
    not inside the first phone's upload. Called by `python -m server` and gunicorn's worker start."""
    imagehash.phash(Image.new("L", (64, 64)))


def distance(a: str, b: str) -> int:
    """Hamming distance of two hex hashes."""
    return bin(int(a, 16) ^ int(b, 16)).count("1")


def informative(h: str | None) -> bool:
    """A hash with content: a flat picture (one colour, a blank wall) hashes to almost no bits set, and
    all flat pictures look alike; they are never called "the same photo"."""
    return bool(h) and 4 < bin(int(h, 16)).count("1") < 60


def similar(a: str | None, b: str | None, threshold: int = PHASH_MAX_DISTANCE) -> bool:
    return informative(a) and informative(b) and distance(a, b) <= threshold


def _ratio(v) -> float:
    try:
        return float(v)
    except (TypeError, ValueError, ZeroDivisionError):
        return float(v[0]) / float(v[1])


def exif(path: str | Path) -> dict:
    """{"lat", "lon", "taken"} that the photo's EXIF gives (each may be missing); {} when none."""

    out: dict = {}
    try:
        with Image.open(path) as img:
            data = img.getexif()
            gps = data.get_ifd(0x8825)
            if gps and 2 in gps and 4 in gps:
                lat = sum(_ratio(x) / 60 ** i for i, x in enumerate(gps[2]))
                lon = sum(_ratio(x) / 60 ** i for i, x in enumerate(gps[4]))
                out["lat"] = -lat if gps.get(1) in ("S", b"S") else lat
                out["lon"] = -lon if gps.get(3) in ("W", b"W") else lon
            taken = data.get_ifd(0x8769).get(0x9003) or data.get(0x0132)  # DateTimeOriginal, DateTime
            if taken:
                out["taken"] = dt.datetime.strptime(str(taken).strip("\x00 "), "%Y:%m:%d %H:%M:%S")
    except Exception:  # unreadable or odd EXIF: the photo simply says nothing
        return out
    return out
