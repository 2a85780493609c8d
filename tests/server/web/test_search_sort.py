"""Search and sort on the review queue and the houses list (issue 13, item 2): accent-insensitive, by name,
CCCD, village and volunteer, filters kept in the URL; surveys come in through the real API (ingest fills the
search columns), on SQLite and PostgreSQL."""

from __future__ import annotations

import re

import pytest

from server.extensions import db
from tests.server.world import envelope, publish, sign_in

ELIGIBLE = {"residential_land": "yes", "land_dispute": "no", "household_size": 1, "floor_area": 10}
PEOPLE = [("Nguyễn Văn Em", "049201000123", "2096801"), ("Trần Thị Bích", "049201000456", "2096802"),
          ("Đặng Văn Đức", "049201000789", "2096803"), ("Bùi Thị Ánh", "049201000999", "2096801")]


@pytest.fixture
def world(app, client, make_user, auth_header):
    make_user("vol_a", "volunteer", "20968")
    make_user("reviewer", "reviewer", "517")
    form = publish()
    header = auth_header("vol_a")
    for seed, (name, cccd, village) in enumerate(PEOPLE, start=1):
        env, _ = envelope(form, seed=seed, preset={**ELIGIBLE, "head_name": name, "head_cccd": cccd,
                                                   "commune_code": "20968", "village": village})
        r = client.post("/api/v1/submissions", json=env, headers=header)
        assert r.status_code == 201, r.get_json()
    db.session.commit()
    return sign_in(client, "reviewer")


def names(html: str) -> list[str]:
    return [n for n, *_ in PEOPLE if n in html and re.search(re.escape(n), html)]


def order(html: str) -> list[str]:
    return sorted((html.index(n), n) for n, *_ in PEOPLE if n in html)


def test_queue_search_is_accent_insensitive(world):
    page = world.get("/review?q=nguyen+van").get_data(as_text=True)
    assert "Nguyễn Văn Em" in page and "Trần Thị Bích" not in page and "Đặng Văn Đức" not in page
    assert 'value="nguyen van"' in page  # the search stays in the form (and in the pager's links)
    assert "Đặng Văn Đức" in world.get("/review?q=dang+duc").get_data(as_text=True)
    assert "Đặng Văn Đức" in world.get("/review?q=ĐẶNG").get_data(as_text=True)


def test_queue_search_by_cccd_village_and_volunteer(world):
    assert names(world.get("/review?q=049201000456").get_data(as_text=True)) == ["Trần Thị Bích"]
    assert names(world.get("/review?q=000789").get_data(as_text=True)) == ["Đặng Văn Đức"]  # the end of a CCCD
    assert names(world.get("/review?q=thon+2").get_data(as_text=True)) == ["Trần Thị Bích"]
    assert len(names(world.get("/review?q=vol_a").get_data(as_text=True))) == 4
    assert names(world.get("/review?q=khong+co+ai").get_data(as_text=True)) == []


def test_queue_sorts_by_folded_name_and_newest(world):
    by_name = [n for _, n in order(world.get("/review?sort=name").get_data(as_text=True))]
    assert by_name == ["Bùi Thị Ánh", "Đặng Văn Đức", "Nguyễn Văn Em", "Trần Thị Bích"]  # Đ with D, not after Z
    oldest = [n for _, n in order(world.get("/review").get_data(as_text=True))]
    newest = [n for _, n in order(world.get("/review?sort=newest").get_data(as_text=True))]
    assert oldest == [n for n, *_ in PEOPLE] and newest == oldest[::-1]


def test_queue_bad_sort_and_date_say_so(world):
    r = world.get("/review?sort=drop+table")
    assert r.status_code == 200 and "Cách sắp xếp không hợp lệ" in r.get_data(as_text=True)
    assert "Ngày không hợp lệ" in world.get("/review?date_from=2026-13-45").get_data(as_text=True)


def test_queue_days_filter(world):
    assert len(names(world.get("/review?date_from=2000-01-01").get_data(as_text=True))) == 4
    assert names(world.get("/review?date_to=2000-01-02").get_data(as_text=True)) == []


def test_houses_search_sort_and_filters_in_the_pager(world):
    page = world.get("/houses?q=Nguyen+Van").get_data(as_text=True)
    assert names(page) == ["Nguyễn Văn Em"]
    assert "049201000123" in page  # the CCCD column
    assert names(world.get("/houses?q=049201000999").get_data(as_text=True)) == ["Bùi Thị Ánh"]
    assert names(world.get("/houses?q=thon+1").get_data(as_text=True)) == ["Nguyễn Văn Em", "Bùi Thị Ánh"]
    by_name = [n for _, n in order(world.get("/houses?sort=name").get_data(as_text=True))]
    assert by_name == ["Bùi Thị Ánh", "Đặng Văn Đức", "Nguyễn Văn Em", "Trần Thị Bích"]
    r = world.get("/houses?sort=nonsense")
    assert r.status_code == 302 and world.get(r.headers["Location"]).status_code == 200


def test_houses_pager_keeps_the_filters(world, monkeypatch):
    from server.services.houses import reading

    monkeypatch.setattr(reading, "PAGE", 1)
    page = world.get("/houses?q=thi&sort=name").get_data(as_text=True)
    assert names(page) == ["Bùi Thị Ánh"]
    nxt = re.search(r'rel="next" href="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert "q=thi" in nxt and "sort=name" in nxt and "page=2" in nxt
    assert names(world.get(nxt).get_data(as_text=True)) == ["Trần Thị Bích"]


def test_a_count_past_the_cap_says_more_than_and_the_pager_goes_on(world, monkeypatch):
    from server.services.houses import reading
    from server.services.lists import listing

    monkeypatch.setattr(listing, "COUNT_CAP", 2)
    monkeypatch.setattr(listing.Page, "cap", 2)
    monkeypatch.setattr(reading, "PAGE", 1)
    page = world.get("/houses?page=3").get_data(as_text=True)
    assert "(hơn 2)" in page and 'rel="next"' in page  # 4 houses: the count stops at 3, page 3 is full
