"""One lifecycle for the whole app: with HOUSE_EXTRA_STEPS set, the API's progress counts a house at an
extra step exactly as the dashboard does (before, the API used the default table and lost it)."""

import re

from server import app_lifecycle
from server.extensions import db
from server.services.houses import writes as house_writes
from server.services.houses.lifecycle import from_config
from tests.server.world import make_house, make_units, make_user, sign_in


def test_api_progress_and_dashboard_use_the_configured_steps(app, client):
    app.config["HOUSE_EXTRA_STEPS"] = ("funded",)
    make_units()
    manager = make_user("manager", "manager", "49")
    h = make_house("20968")
    for step in ("approved", "funded"):
        house_writes.transition(db.session, h, step, actor_id=manager.id, reason="test", lc=from_config(app.config))
    db.session.commit()
    with app.test_request_context():
        assert app_lifecycle.current().steps[:3] == ("assessed", "approved", "funded")

    token = client.post("/api/v1/auth/token", json={"username": "manager", "password": "demo",
                                                    "device_id": "t"}).get_json()["token"]
    api = client.get("/api/v1/progress", headers={"Authorization": f"Bearer {token}"}).get_json()
    assert api["totals"]["approved"] == 1  # a funded house has been approved

    sign_in(client, "manager")
    page = client.get("/dashboard").get_data(as_text=True)
    approved = re.search(r'id="kpi-approved"[^>]*>\s*([\d.,]+)', page)
    assert approved and approved.group(1) == "1"
