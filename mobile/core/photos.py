"""Photo preparation on the phone: upright, resized, JPEG, EXIF GPS and time kept, named by sha256.

`prepare_photo` applies the EXIF orientation to the pixels, shrinks the long side to `max_pixels`
(the question's `max-pixels`, default 1600), writes a JPEG (quality ~80) carrying a small EXIF block
(orientation reset to 1, camera make/model, DateTimeOriginal, the whole GPS IFD), and names the file
`<sha256>.jpg`. The write is atomic (temp file, fsync, rename), so a crash never leaves half a photo.
"""

from __future__ import annotations

import hashlib
import math
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from mobile.core.i18n import CodedError

DEFAULT_MAX_PIXELS = 1600
DEFAULT_QUALITY = 80

ORIENTATION = 0x0112
MAKE, MODEL, DATETIME = 0x010F, 0x0110, 0x0132
EXIF_IFD, GPS_IFD = 0x8769, 0x8825
DATETIME_ORIGINAL, OFFSET_TIME_ORIGINAL = 0x9003, 0x9011
GPS_LAT_REF, GPS_LAT, GPS_LON_REF, GPS_LON, GPS_ALT_REF, GPS_ALT = 1, 2, 3, 4, 5, 6
GPS_H_POSITIONING_ERROR = 31


class PhotoError(CodedError, ValueError):
    """The file is not a readable image; `code` is an i18n error code."""


@dataclass(frozen=True)
class PhotoGps:
    lat: float
    lon: float
    alt: float | None = None
    accuracy: float | None = None  # GPSHPositioningError when the camera wrote it

    def as_dict(self) -> dict:
        return {"lat": self.lat, "lon": self.lon, "alt": self.alt, "accuracy": self.accuracy}


@dataclass(frozen=True)
class PhotoInfo:
    path: Path
    sha256: str
    size: int
    width: int
    height: int
    taken_at: str | None  # camera local time "YYYY-MM-DDTHH:MM:SS[+HH:MM]" (not UTC unless the offset says)
    gps: PhotoGps | None

    @property
    def name(self) -> str:
        return self.path.name


def prepare_photo(
    src_path: str | Path,
    dest_dir: str | Path,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    quality: int = DEFAULT_QUALITY,
) -> PhotoInfo:
    """Write the upright, resized JPEG of `src_path` into `dest_dir` as `<sha256>.jpg`."""
    dest_dir = Path(dest_dir)
    dest_dir.mkdir(parents=True, exist_ok=True)
    try:
        with Image.open(src_path) as img:
            exif = img.getexif()
            _draft_for(img, max_pixels)
            ImageOps.exif_transpose(img, in_place=True)  # no second copy of the pixels when upright already
            upright = img
            if upright.mode != "RGB":
                upright = upright.convert("RGB")
            if max(upright.size) > max_pixels:
                scale = max_pixels / max(upright.size)
                new_size = (max(1, round(upright.width * scale)), max(1, round(upright.height * scale)))
                upright = upright.resize(new_size, Image.Resampling.LANCZOS, reducing_gap=2.0)
            gps = read_gps(exif)
            taken_at = read_taken_at(exif)
            out_exif = _output_exif(exif)
            fd, tmp = tempfile.mkstemp(prefix=".photo-", suffix=".jpg", dir=dest_dir)
            try:
                with os.fdopen(fd, "wb") as fh:
                    upright.save(fh, "JPEG", quality=quality, optimize=True, exif=out_exif.tobytes())
                    fh.flush()
                    os.fsync(fh.fileno())
                digest, size = file_sha256(tmp)
                final = dest_dir / f"{digest}.jpg"
                os.replace(tmp, final)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        if isinstance(exc, PhotoError):
            raise
        raise PhotoError("photo_unreadable", f"{src_path}: {exc}") from exc
    _fsync_dir(dest_dir)
    return PhotoInfo(final, digest, size, upright.width, upright.height, taken_at, gps)


PREVIEW_DIR = "previews"
PREVIEW_PIXELS = 480


def preview(photo_path: str | Path, max_pixels: int = PREVIEW_PIXELS) -> Path:
    """A small JPEG beside the photo (`previews/<name>`) for the form's thumbnail: the screen shows a
    160dp box, so it never decodes the 1600 px photo (7.7 MB as a texture). Made once, on first use."""
    photo_path = Path(photo_path)
    out = photo_path.parent / PREVIEW_DIR / photo_path.name
    if out.exists():
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        with Image.open(photo_path) as img:
            img.draft("RGB", (max_pixels, max_pixels))
            img.thumbnail((max_pixels, max_pixels), Image.Resampling.BILINEAR)
            fd, tmp = tempfile.mkstemp(prefix=".preview-", suffix=".jpg", dir=out.parent)
            with os.fdopen(fd, "wb") as fh:
                img.convert("RGB").save(fh, "JPEG", quality=75)
            os.replace(tmp, out)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return photo_path  # the photo itself is shown (or its own error) rather than nothing
    return out


def read_photo_info(path: str | Path) -> PhotoInfo:
    """The PhotoInfo of an existing (already prepared) file, without re-encoding it."""
    try:
        with Image.open(path) as img:
            exif = img.getexif()
            width, height = img.size
    except (UnidentifiedImageError, OSError) as exc:
        raise PhotoError("photo_unreadable", f"{path}: {exc}") from exc
    digest, size = file_sha256(path)
    return PhotoInfo(Path(path), digest, size, width, height, read_taken_at(exif), read_gps(exif))


def file_sha256(path: str | Path) -> tuple[str, int]:
    h = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 16), b""):
            h.update(block)
            size += len(block)
    return h.hexdigest(), size


def read_gps(exif: Image.Exif) -> PhotoGps | None:
    """Decimal WGS-84 from the GPS IFD (W/S negative; d/m/s or degrees + decimal minutes), or None."""
    try:
        gps = exif.get_ifd(GPS_IFD)
    except (KeyError, ValueError, TypeError, OSError):
        return None
    if not gps or GPS_LAT not in gps or GPS_LON not in gps:
        return None
    lat = _dms(gps[GPS_LAT])
    lon = _dms(gps[GPS_LON])
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    if _ref(gps.get(GPS_LAT_REF)) == "S":
        lat = -lat
    if _ref(gps.get(GPS_LON_REF)) == "W":
        lon = -lon
    alt = _number(gps.get(GPS_ALT))
    if alt is not None and _ref(gps.get(GPS_ALT_REF)) in ("\x01", "1"):
        alt = -alt
    accuracy = _number(gps.get(GPS_H_POSITIONING_ERROR))
    return PhotoGps(round(lat, 7), round(lon, 7), None if alt is None else round(alt, 2), accuracy)


def read_taken_at(exif: Image.Exif) -> str | None:
    """DateTimeOriginal (or DateTime) as ISO 8601 local camera time, with its offset when recorded."""
    try:
        sub = exif.get_ifd(EXIF_IFD)
    except (KeyError, ValueError, TypeError, OSError):
        sub = {}
    raw = sub.get(DATETIME_ORIGINAL) or exif.get(DATETIME)
    if not isinstance(raw, str) or len(raw) < 19 or raw[4] != ":" or raw[7] != ":":
        return None
    iso = f"{raw[0:4]}-{raw[5:7]}-{raw[8:10]}T{raw[11:19]}"
    offset = sub.get(OFFSET_TIME_ORIGINAL)
    if isinstance(offset, str) and len(offset) == 6 and offset[0] in "+-":
        iso += offset
    return iso


def _output_exif(src: Image.Exif) -> Image.Exif:
    """A small EXIF for the output: orientation 1, make/model/time, DateTimeOriginal, the GPS IFD."""
    out = Image.Exif()
    out[ORIENTATION] = 1
    for tag in (MAKE, MODEL, DATETIME):
        if isinstance(src.get(tag), str):
            out[tag] = src[tag]
    try:
        sub = src.get_ifd(EXIF_IFD)
        gps = src.get_ifd(GPS_IFD)
    except (KeyError, ValueError, TypeError, OSError):
        sub, gps = {}, {}
    kept = {t: sub[t] for t in (DATETIME_ORIGINAL, OFFSET_TIME_ORIGINAL) if isinstance(sub.get(t), str)}
    if kept:
        out[EXIF_IFD] = kept
    if gps:
        out[GPS_IFD] = dict(gps)
    return out


def _draft_for(img: Image.Image, max_pixels: int) -> None:
    """Let the JPEG decoder downscale by 1/2..1/8 while decoding (much faster for 12 MP photos)."""
    if img.format != "JPEG" or max(img.size) <= max_pixels:
        return
    scale = max_pixels / max(img.size)
    # the smallest 1/2..1/8 decode still at least the target (then one LANCZOS pass): a 12 Mpx photo is
    # decoded at 2000x1500 (9 MB of pixels), not 4000x3000 (36 MB), on a phone with little memory
    want = (math.ceil(img.width * scale), math.ceil(img.height * scale))
    img.draft("RGB", want)


def _dms(value) -> float | None:
    try:
        parts = [float(p) for p in value]
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    if not parts or any(math.isnan(p) for p in parts):
        return None
    parts += [0.0] * (3 - len(parts))
    return parts[0] + parts[1] / 60 + parts[2] / 3600


def _number(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    return None if math.isnan(number) or math.isinf(number) else number


def _ref(value) -> str:
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    return str(value or "").strip().upper()[:1]


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
