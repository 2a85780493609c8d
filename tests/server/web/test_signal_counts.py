"""The dashboard counts the surveys carrying each data-quality signal in the unit's subtree (the access
gate's scope), each count a link to the review queue filtered by that signal."""

import re

from server.extensions import db
from server.models import SubmissionSignal
from tests.server.world import make_form, make_house, make_submission, make_units, make_user, sign_in


def _signal(sub, *codes):
    db.session.add_all(SubmissionSignal(submission_id=sub.id, code=c, detail={}) for c in codes)


def test_the_dashboard_counts_signals_in_the_subtree_and_links_to_the_queue(app):
    make_units()
    make_user("rev", "reviewer", "517")
    make_user("manager", "manager", "49")
    vol = make_user("vol", "volunteer", "20968")
    far = make_user("vol_far", "volunteer", "20335")
    make_form()
    a, b = make_house("20968"), make_house("20971", name="Lê Văn B")
    _signal(make_submission(vol, a), "photo_reused", "same_point")
    _signal(make_submission(vol, b), "photo_reused")
    _signal(make_submission(far, make_house("20335", name="Trần C")), "photo_reused", "money_overspent")
    db.session.commit()

    page = sign_in(app.test_client(), "rev").get("/dashboard").get_data(as_text=True)
    assert "Cảnh báo chất lượng dữ liệu" in page
    table = page[page.index('id="signal-counts"'):]
    rows = dict(re.findall(r'data-signal="(\w+)".*?>(\d+)</a>', table, re.S))
    assert rows == {"photo_reused": "2", "same_point": "1"}  # Tam Kỳ's survey is outside the reviewer's district
    assert "/review?flag=photo_reused&amp;commune=517" in table

    commune = sign_in(app.test_client(), "rev").get("/dashboard?unit=20968").get_data(as_text=True)
    table = commune[commune.index('id="signal-counts"'):]
    assert dict(re.findall(r'data-signal="(\w+)".*?>(\d+)</a>', table, re.S)) == {"photo_reused": "1",
                                                                                   "same_point": "1"}
    province = sign_in(app.test_client(), "manager").get("/dashboard").get_data(as_text=True)
    table = province[province.index('id="signal-counts"'):]
    assert dict(re.findall(r'data-signal="(\w+)".*?<td[^>]*>(\d+)</td>', table, re.S)) == {
        "photo_reused": "3", "same_point": "1", "money_overspent": "1"}
