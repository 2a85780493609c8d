"""`python -m server check-totals` recounts every level from the raw rows; the demo's money follows the rules."""

import datetime as dt

from server.extensions import db
from server.models import OrgUnit
from server.models.funding import HouseFunding
from server.services.demo import seed as demo
from server.services.reports import progress

AT = dt.datetime(2026, 11, 29, 21, 21, tzinfo=dt.UTC)


def test_check_totals_on_the_demo_agrees_and_the_demo_never_pays_more_than_committed(app, tmp_path):
    app.config["CLOCK"] = lambda: AT
    demo.seed(db.session, str(tmp_path / "media"))
    for row in db.session.scalars(db.select(HouseFunding)):
        assert row.disbursed <= row.planned, (row.house_id, row.source, row.planned, row.disbursed)
    province = db.session.scalar(db.select(OrgUnit).where(OrgUnit.code == "49"))
    totals = progress.rollup(db.session, province).totals
    assert 0 < totals.support_disbursed <= totals.support_committed and not totals.overspent

    runner = app.test_cli_runner()
    r = runner.invoke(args=["check-totals"])
    assert r.exit_code == 0, r.output
    assert r.output.strip().splitlines()[-1].startswith("all totals agree: ")
    assert "year_end 2026 at 31/10/2026" in r.output  # the last period closed on 30/11/2026 (Vietnam)
    r = runner.invoke(args=["check-totals", "--org-unit", "517"])
    assert r.exit_code == 0 and "all totals agree" in r.output
    r = runner.invoke(args=["check-totals", "--org-unit", "nope"])
    assert r.exit_code != 0 and "no org unit nope" in r.output


def test_check_totals_reports_a_mismatch(app):
    """A unit whose stored path disagrees with its parent: the dashboard (children by parent) and the
    recount (ancestors by path) disagree, and the command lists it and exits 1."""
    from tests.server.world import make_house, make_units

    app.config["CLOCK"] = lambda: AT
    units = make_units()
    make_house("20968", "approved")
    db.session.commit()
    assert app.test_cli_runner().invoke(args=["check-totals"]).exit_code == 0
    units["20968"].path = "/49/502/20968/"
    db.session.commit()
    r = app.test_cli_runner().invoke(args=["check-totals"])
    assert r.exit_code == 1, r.output
    assert "20968 Xã Tam Xuân I [today] assessed: service 0, recount 1" in r.output
    assert r.output.strip().splitlines()[-1].startswith(tuple(f"{n} mismatch" for n in range(1, 100)))


def test_the_demo_shows_a_possible_duplicate_and_a_reused_photo_in_the_queue(app, tmp_path):
    from server.models import User
    from server.services.surveys import review_queue

    app.config["CLOCK"] = lambda: AT
    demo.seed(db.session, str(tmp_path / "media"))
    reviewer = db.session.scalar(db.select(User).where(User.username == "reviewer"))
    waiting = review_queue.queue(db.session, reviewer, per_page=100).items
    assert any("duplicate" in it["flags"] for it in waiting)
    assert any(sg["code"] == "photo_reused" for it in waiting for sg in it["signals"])
    assert review_queue.queue(db.session, reviewer, flag="photo_reused").total >= 1
