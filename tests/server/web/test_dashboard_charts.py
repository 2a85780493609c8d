"""The dashboard draws its four charts as SVG in the page (no script, offline), with Vietnamese labels."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from server.extensions import db
from server.models import HouseEvent
from server.models.funding import HouseFunding
from tests.server.world import make_house, sign_in


def test_dashboard_charts(client, app, make_user):
    make_user("manager", "manager", "49")
    houses = [make_house("20968", status) for status in ("assessed", "approved", "completed", "completed")]
    for h, month in zip(houses[2:], (3, 5), strict=True):
        db.session.add(HouseEvent(house_id=h.id, kind="status", from_status="started", to_status="completed",
                                  created_at=dt.datetime(2026, month, 10, tzinfo=dt.UTC)))
    db.session.add(HouseFunding(house_id=houses[1].id, source="provincial_budget", planned=60_000_000,
                                disbursed=30_000_000, workdays=0))
    db.session.commit()
    sign_in(client, "manager")
    page = client.get("/dashboard").get_data(as_text=True)
    figures = {name: page.split(f'id="chart-{name}">', 1)[1].split("</figure>", 1)[0]
               for name in ("target_done", "funnel", "months", "money")}
    for name, figure in figures.items():
        svg = figure.split("</figcaption>", 1)[1]
        assert svg.startswith("<svg"), name
        ET.fromstring(svg)
    assert "Ngân sách tỉnh" in figures["money"] and "30 / 60" in figures["money"]
    assert "03/2026" in figures["months"] and "05/2026" in figures["months"]
    assert "04/2026" in figures["months"]  # a month without completions is a 0 on the line, not left out
    assert "Đã khảo sát" in figures["funnel"] and "Huyện Núi Thành" in figures["target_done"]
