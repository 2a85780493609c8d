"""Forms on the phone (mobile/core/sync_client.py `refresh_forms`): downloaded again only when they change,
their media files checked by sha256, the forms list asked for only when the feed says it changed."""

from __future__ import annotations

from mobile.core import store as st


def test_forms_are_downloaded_again_only_when_the_hash_changes(store, server, client):
    assert client.refresh_forms() == ["house"]
    assert client.refresh_forms() == []
    server.forms["house"] = {**server.forms["house"], "version": "2"}
    server.form_hash["house"] = "h2"
    assert client.refresh_forms() == ["house"]
    assert store.get_form("house")["version"] == "2" and store.form_hash("house") == "h2"
    assert server.count("GET", "/api/v1/forms/house") == 2


def test_a_forms_media_files_come_with_it_checked_by_sha256(store, server, client):
    """ODK's manifest: the definition names each file with its sha256; the phone downloads the ones it
    lacks, refuses bytes that differ (the form is not updated), and loads the form with them."""
    import hashlib

    csv = "name,label,commune\n1,Thôn 1,20968\n".encode()
    definition = {**server.forms["house"], "version": "2", "media": [
        {"name": "villages.csv", "sha256": hashlib.sha256(csv).hexdigest(), "size": len(csv)}],
        "questions": [{"name": "village", "type": "select_one", "list_name": "villages.csv"}]}
    server.forms["house"], server.form_hash["house"] = definition, "h2"
    server.media[("house", "villages.csv")] = csv + b"tampered"
    result = client.sync_once()
    assert "form_media_changed" in result.errors
    assert store.get_form("house") is None  # never a form without its files
    server.media[("house", "villages.csv")] = csv
    assert client.refresh_forms() == ["house"]
    assert store.form_media("house") == {"villages.csv": csv}
    assert [c.name for c in store.load_form("house").list_items("villages.csv")] == ["1"]
    assert client.refresh_forms() == []
    assert server.count("GET", "/api/v1/forms/house/media/villages.csv") == 2


def test_unchanged_feed_is_a_304_and_the_forms_list_is_not_asked_for(store, server, client):
    client.sync_once()  # the form and the feed's first page (cursor c0)
    lists, forms = server.count("GET", "/api/v1/forms"), server.count("GET", "/api/v1/forms/house")
    client.sync_once()
    assert server.not_modified == 1  # the feed: nothing new since c0
    assert server.count("GET", "/api/v1/forms") == lists  # its X-Forms-ETag is the one saved: not asked
    server.forms["house"] = {**server.forms["house"], "version": "2"}
    server.form_hash["house"] = "h2"
    server.feed["c0"] = {"cursor": "c1", "submissions": [],
                         "houses": [{"house_id": "H1", "head_name": "Lê Văn Ba", "status": "approved"}]}
    client.sync_once()
    assert server.not_modified == 1 and server.count("GET", "/api/v1/forms/house") == forms + 1
    assert store.get_form("house")["version"] == "2" and store.get_setting(st.SYNC_CURSOR) == "c1"
    assert [h["house_id"] for h in store.list_houses()] == ["H1"]


def test_without_the_feeds_forms_etag_the_unchanged_forms_list_is_a_304(store, server, client):
    server.feed_reports_forms = False  # an older server
    client.sync_once()
    forms = server.count("GET", "/api/v1/forms/house")
    client.sync_once()
    assert server.not_modified == 2  # the feed and the forms list
    assert server.count("GET", "/api/v1/forms/house") == forms
