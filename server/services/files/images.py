"""Judging a photo by its bytes and making its thumbnail, with bounded pixels and memory.

`check_and_thumbnail` is run once per stored photo, at upload: it reads the header (format, size),
refuses more pixels than allowed before a single pixel is decoded, then decodes every byte of the
image (a PNG with broken pixel data is refused here, not later on a reviewer's screen) while making
the thumbnail: a JPEG is decoded at 1/2..1/8 scale (`Image.draft`), so its cost is that of the
thumbnail, not of the photo; PNG and WebP cannot be decoded scaled, their cost is bounded by the
pixel limit.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path

from PIL import Image, ImageOps

from server.errors import DomainError

ALLOWED_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
THUMB = (320, 240)


def check_and_thumbnail(path: str | Path, max_pixels: int, box: tuple[int, int] = THUMB) -> tuple[str, bytes]:
    """(content type, JPEG thumbnail bytes) of a whole photo file. Raises DomainError
    `not_an_image` (not a JPEG/PNG/WebP, or its data does not decode) or `image_too_big`."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as img:
                if img.format not in ALLOWED_FORMATS:
                    raise DomainError("not_an_image")
                width, height = img.size
                if width * height > max_pixels:
                    raise DomainError("image_too_big")
                content_type = ALLOWED_FORMATS[img.format]
                img.draft("RGB", box)  # JPEG only: decoded scaled down (DCT scaling), to no less than the box
                img.load()  # every byte decoded: broken data raises here
                thumb = _thumbnail(img, box)
    except DomainError:
        raise
    except Exception:  # Pillow raises many kinds (OSError, SyntaxError, ValueError, EOFError, ...)
        raise DomainError("not_an_image") from None
    return content_type, thumb


def _thumbnail(img: Image.Image, box: tuple[int, int]) -> bytes:
    if img.mode.startswith("I"):  # 16-bit grey PNG: resampled as 32-bit, then scaled to 8 bits
        img = img.convert("I")
        img.thumbnail(box)
        img = img.point(lambda v: v / 256).convert("L")
    else:
        img.thumbnail(box)  # in place: reduces in steps, then resamples (about the decoded image once)
    small = ImageOps.exif_transpose(img)
    if small.mode not in ("RGB", "L"):
        small = small.convert("RGB")
    buf = io.BytesIO()
    small.save(buf, "JPEG", quality=80)
    return buf.getvalue()
