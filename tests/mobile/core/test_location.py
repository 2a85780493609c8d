"""GPS logic: accept-when-better-than, ODK geopoints, typed coordinates, fixes from photos, desktop devices."""

from __future__ import annotations

import math

import pytest

from mobile.core.devices import FileCamera, FixedLocation, PhotoLocation, TypedLocation
from mobile.core.location import (
    PHOTO_ACCURACY_M,
    CoordinateError,
    FixSelector,
    GpsFix,
    fix_from_photo,
    parse_coordinates,
    parse_geopoint,
    to_geopoint,
)
from mobile.core.photos import prepare_photo
from tests.conftest import PHOTOS


def test_first_fix_within_threshold_is_accepted_automatically():
    sel = FixSelector(threshold_m=10)
    assert not sel.offer(GpsFix(15.5, 108.4, 10, 65))
    assert not sel.offer(GpsFix(15.6, 108.5, 10, 30))
    assert not sel.offer(GpsFix(15.7, 108.6, 10, 40))  # worse: not kept as best
    assert sel.best.accuracy == 30 and sel.accepted is None and not sel.good_enough
    assert sel.offer(GpsFix(15.55, 108.45, 12, 8))
    assert sel.accepted.accuracy == 8
    assert not sel.offer(GpsFix(15.55, 108.45, 12, 3))  # already accepted: later fixes ignored
    assert sel.accepted.accuracy == 8


def test_user_may_accept_the_best_so_far_and_bad_fixes_are_ignored():
    sel = FixSelector(threshold_m=5)
    assert sel.accept() is None
    sel.offer(GpsFix(float("nan"), 108.0, 0, 3))
    sel.offer(GpsFix(95.0, 108.0, 0, 3))
    sel.offer(GpsFix(15.0, 108.0, 0, -1))
    assert sel.best is None and sel.count == 0
    sel.offer(GpsFix(15.0, 108.0, 0, 25))
    sel.offer(GpsFix(15.1, 108.1, 0, 12))
    assert sel.accept() == GpsFix(15.1, 108.1, 0, 12)
    sel.reset()
    assert sel.best is None and sel.accepted is None


def test_geopoint_strings_round_trip():
    fix = GpsFix(15.5734123, 108.474, 12.5, 4.25)
    assert to_geopoint(fix) == "15.5734123 108.474 12.5 4.25"
    back = parse_geopoint(to_geopoint(fix))
    assert (back.lat, back.lon, back.alt, back.accuracy) == (15.5734123, 108.474, 12.5, 4.25)
    assert parse_geopoint("15.5 108.4").accuracy == math.inf
    assert to_geopoint(GpsFix(-3.5, -70.0)) == "-3.5 -70"  # no accuracy: none written (no made-up 100 m)
    for bad in ("", "15.5", "a b", "91 10 0 1", "1 2 3 4 5"):
        with pytest.raises(CoordinateError):
            parse_geopoint(bad)


@pytest.mark.parametrize(
    "text, lat, lon",
    [
        ("15.5734, 108.4740", 15.5734, 108.474),
        ("15.5734 108.4740", 15.5734, 108.474),
        ("15,5734 108,4740", 15.5734, 108.474),
        ("15,5734; 108,4740", 15.5734, 108.474),
        ("  -3.72;-70.1 ", -3.72, -70.1),
        ("15°, 108°", 15.0, 108.0),
    ],
)
def test_typed_coordinates_with_dot_or_comma_decimals(text, lat, lon):
    fix = parse_coordinates(text)
    assert (fix.lat, fix.lon) == (lat, lon)
    assert fix.source == "typed" and fix.manual and not fix.estimated
    assert to_geopoint(fix) == f"{lat:g} {lon:g}"  # kept as typed: no accuracy to pass a 50 m rule


@pytest.mark.parametrize(
    "text, accuracy",
    [("15.5734, 108.4740 ±8", 8.0), ("15,5734 108,4740 ± 4,5 m", 4.5), ("15.5734, 108.4740 +/-12m", 12.0)],
)
def test_typed_coordinates_may_carry_the_receivers_accuracy(text, accuracy):
    """From a handheld GPS noted on paper: the accuracy it showed is kept, not our 100 m guess, so the
    form's 50 m rule can be met at the office."""
    fix = parse_coordinates(text)
    assert (fix.lat, fix.lon, fix.accuracy) == (15.5734, 108.474, accuracy)
    assert not fix.estimated
    assert to_geopoint(fix).split()[3] == f"{accuracy:g}"


def test_the_accuracy_comes_in_its_own_field():
    """Phone keyboards have no «±»: the accuracy has its own (numeric) field."""
    fix = parse_coordinates("15.5734, 108.4740", "8")
    assert (fix.accuracy, fix.manual) == (8.0, False) and to_geopoint(fix).split()[3] == "8"
    assert parse_coordinates("15,5734 108,4740", "4,5 m").accuracy == 4.5
    assert parse_coordinates("15.5734, 108.4740", "  ").manual
    for bad in ("0", "-3", "abc", "20000"):
        with pytest.raises(CoordinateError) as err:
            parse_coordinates("15.5734, 108.4740", bad)
        assert err.value.code == "accuracy_format"


@pytest.mark.parametrize(
    "text, code",
    [
        ("15.5734, 108.4740 ±0", "coordinates_format"),
        ("", "coordinates_format"),
        ("15.5", "coordinates_format"),
        ("abc def", "coordinates_format"),
        ("95, 108", "coordinates_range"),
        ("15, 190", "coordinates_range"),
    ],
)
def test_bad_typed_coordinates_say_why(text, code):
    with pytest.raises(CoordinateError) as err:
        parse_coordinates(text)
    assert err.value.code == code


def test_fix_from_photo_exif_records_a_conservative_accuracy(tmp_path):
    info = prepare_photo(PHOTOS / "iphone_hdr_NO.jpg", tmp_path)
    fix = fix_from_photo(info.gps)
    assert fix.lon < 0 and fix.source == "photo" and fix.estimated
    assert fix.accuracy == PHOTO_ACCURACY_M and fix.alt == pytest.approx(639.6, abs=0.1)
    assert fix_from_photo(None) is None


def test_desktop_devices(tmp_path):
    got = []
    PhotoLocation(PHOTOS / "87_OSError.jpg").start(got.append)
    TypedLocation("15,57 108,47").start(got.append)
    assert [round(f.lat, 4) for f in got] == [43.7856, 15.57]
    with pytest.raises(CoordinateError) as err:
        PhotoLocation(PHOTOS / "jolla.jpg")
    assert err.value.code == "photo_has_no_location"
    provider = FixedLocation([GpsFix(1, 2, 0, 30), GpsFix(1, 2, 0, 5)])
    sel = FixSelector()
    provider.start(sel.offer)
    assert sel.accepted.accuracy == 5
    camera = FileCamera()
    camera.next_path = PHOTOS / "DSCN0010.jpg"
    shots = []
    camera.take_photo(tmp_path, shots.append)
    FileCamera(choose=lambda done: done(None)).take_photo(tmp_path, shots.append)
    assert shots == [PHOTOS / "DSCN0010.jpg", None]
