"""Photo preparation with the real camera files of tests/fixtures/photos (values from SOURCES.md)."""

from __future__ import annotations

import hashlib

import pytest
from PIL import Image

from mobile.core.photos import PhotoError, prepare_photo, read_photo_info
from tests.conftest import PHOTOS

# file: (upright width, height, lat, lon, alt, taken_at)
EXPECTED = {
    "DSCN0010.jpg": (640, 480, 43.467448, 11.885127, None, "2008-10-22T16:28:39"),
    "DSCN0021.jpg": (640, 480, 43.467082, 11.884538, None, "2008-10-22T16:38:20"),
    "DSCN0040.jpg": (640, 480, 43.466012, 11.879112, None, "2008-10-22T16:55:37"),
    "iphone_hdr_NO.jpg": (3264, 2448, 40.446972, -3.724753, 639.6, "2015-04-10T20:12:23"),
    "87_OSError.jpg": (1488, 2240, 43.785594, 11.234619, 42.1, "2005-12-14T14:39:47"),
    "jolla.jpg": (3264, 2448, None, None, None, "2014-09-21T16:00:56"),
    "portrait_6.jpg": (450, 600, None, None, None, None),
    "landscape_3.jpg": (600, 450, None, None, None, None),
    "no_exif.jpg": (600, 450, None, None, None, None),
}


def _scaled(width, height, max_pixels):
    if max(width, height) <= max_pixels:
        return width, height
    scale = max_pixels / max(width, height)
    return round(width * scale), round(height * scale)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_fixture_is_upright_resized_and_keeps_gps_and_time(tmp_path, name):
    width, height, lat, lon, alt, taken_at = EXPECTED[name]
    info = prepare_photo(PHOTOS / name, tmp_path, max_pixels=1600, quality=80)
    assert (info.width, info.height) == _scaled(width, height, 1600)
    assert info.path == tmp_path / f"{info.sha256}.jpg"
    data = info.path.read_bytes()
    assert hashlib.sha256(data).hexdigest() == info.sha256 and len(data) == info.size
    assert info.taken_at == taken_at
    if lat is None:
        assert info.gps is None
    else:
        assert info.gps.lat == pytest.approx(lat, abs=2e-6)
        assert info.gps.lon == pytest.approx(lon, abs=2e-6)
        assert (info.gps.alt is None) if alt is None else info.gps.alt == pytest.approx(alt, abs=0.1)
    with Image.open(info.path) as out:
        assert out.format == "JPEG" and out.size == (info.width, info.height)
        assert out.getexif().get(0x0112) == 1
    # the output's EXIF reads back the same (GPS and time kept in the file itself)
    again = read_photo_info(info.path)
    assert again.gps == info.gps and again.taken_at == info.taken_at and again.sha256 == info.sha256


def test_portrait_6_is_rotated_so_its_top_is_at_the_top(tmp_path):
    info = prepare_photo(PHOTOS / "portrait_6.jpg", tmp_path)
    reference = prepare_photo(PHOTOS / "landscape_3.jpg", tmp_path)  # same picture style, 180° stored
    assert (info.width, info.height) == (450, 600)
    assert (reference.width, reference.height) == (600, 450)
    # landscape_3 (orientation 3) and no_exif (same pixels, no tag) must differ after transpose: one is rotated
    plain = prepare_photo(PHOTOS / "no_exif.jpg", tmp_path)
    with Image.open(reference.path) as a, Image.open(plain.path) as b:
        rotated_back = b.rotate(180)
        diff_same = _mean_abs_diff(a, rotated_back)
        diff_other = _mean_abs_diff(a, b)
    assert diff_same < diff_other / 4


def _mean_abs_diff(a: Image.Image, b: Image.Image) -> float:
    a, b = a.convert("L"), b.convert("L")
    return sum(abs(x - y) for x, y in zip(a.tobytes(), b.tobytes(), strict=True)) / (a.width * a.height)


def test_small_max_pixels_and_same_photo_twice_gives_the_same_file(tmp_path):
    one = prepare_photo(PHOTOS / "iphone_hdr_NO.jpg", tmp_path, max_pixels=800, quality=70)
    two = prepare_photo(PHOTOS / "iphone_hdr_NO.jpg", tmp_path, max_pixels=800, quality=70)
    assert (one.width, one.height) == (800, 600)
    assert one.sha256 == two.sha256 and len(list(tmp_path.glob("*.jpg"))) == 1
    assert not list(tmp_path.glob(".photo-*"))  # no temp file left behind


def test_south_latitude_written_into_a_copy_is_negative(tmp_path):
    with Image.open(PHOTOS / "DSCN0010.jpg") as img:
        exif = img.getexif()
        gps = dict(exif.get_ifd(0x8825))
        gps[1] = "S"
        exif[0x8825] = gps
        img.save(tmp_path / "south.jpg", exif=exif.tobytes())
    info = prepare_photo(tmp_path / "south.jpg", tmp_path / "out")
    assert info.gps.lat == pytest.approx(-43.467448, abs=2e-6)
    assert info.gps.lon == pytest.approx(11.885127, abs=2e-6)


def test_not_an_image_is_a_clear_error(tmp_path):
    bad = tmp_path / "notes.jpg"
    bad.write_text("this is not a photo")
    with pytest.raises(PhotoError) as err:
        prepare_photo(bad, tmp_path / "out")
    assert err.value.code == "photo_unreadable"
    with pytest.raises(PhotoError):
        prepare_photo(tmp_path / "missing.jpg", tmp_path / "out")


def test_the_thumbnail_is_a_small_preview_never_the_photo_itself(tmp_path):
    """The form shows a 160dp thumbnail: a ≤ 480 px preview beside the photo, made once."""
    from PIL import Image

    from mobile.core.photos import PREVIEW_PIXELS, preview

    info = prepare_photo(PHOTOS / "DSCN0010.jpg", tmp_path)
    small = preview(info.path)
    assert small.parent == tmp_path / "previews" and small.name == info.path.name
    with Image.open(small) as img:
        assert max(img.size) <= PREVIEW_PIXELS
    assert small.stat().st_size < info.size
    assert preview(info.path) == small  # made once
