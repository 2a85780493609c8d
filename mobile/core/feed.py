"""Applying one page of the server's sync feed (`GET /api/v1/sync?since=CURSOR`) to the phone's store.

My houses are upserted; a submission whose review is `changes_requested` becomes an editable draft
(same house, the submission's answers, the reviewer's comment) with a NEW instance_id, once: the
`reopened` table remembers it, so reading the same feed again never creates a second draft. The
page and the new cursor are applied in one transaction.
"""

from __future__ import annotations

import json

from mobile.core import store as st

CHANGES_REQUESTED = "changes_requested"


def _submissions(feed: dict) -> list[dict]:
    for key in ("submissions", "reviews", "review_outcomes"):
        if isinstance(feed.get(key), list):
            return feed[key]
    return []


def _review_status(sub: dict) -> str | None:
    review = sub.get("review")
    if isinstance(review, dict):
        return review.get("status") or review.get("action")
    return sub.get("review_status") or sub.get("status") or review


def _comment(sub: dict) -> str | None:
    review = sub.get("review")
    if isinstance(review, dict) and review.get("comment"):
        return review["comment"]
    return sub.get("review_comment") or sub.get("comment")


def apply_feed(store: st.Store, feed: dict) -> int:
    """Apply one feed page; returns how many submissions were turned back into drafts."""
    reopened = 0
    with store.tx() as c:
        for house in feed.get("houses") or []:
            if isinstance(house, dict) and house.get("house_id") is not None:
                store.upsert_house(c, {**house, "house_id": str(house["house_id"])})
        for sub in _submissions(feed):
            if isinstance(sub, dict) and sub.get("instance_id") and _review_status(sub):
                # the review outcome of a sent survey: its photos may be freed once it is decided
                c.execute("UPDATE outbox SET server_status = ? WHERE instance_id = ?",
                          (_review_status(sub), str(sub["instance_id"])))
            if not isinstance(sub, dict) or _review_status(sub) != CHANGES_REQUESTED:
                continue
            iid = str(sub.get("instance_id") or "")
            if not iid or c.execute("SELECT 1 FROM reopened WHERE instance_id = ?", (iid,)).fetchone():
                continue
            if sub.get("answers") is None or not sub.get("form_id"):
                continue  # nothing to reopen from; the house status still shows the comment
            draft_id = store.create_draft(
                sub["form_id"],
                str(sub.get("form_version") or ""),
                house_id=None if sub.get("house_id") is None else str(sub["house_id"]),
                answers=sub["answers"],
                reviewer_comment=_comment(sub),
                source_instance_id=iid,
                conn=c,
            )
            c.execute(
                "INSERT INTO reopened (instance_id, draft_id, at) VALUES (?, ?, ?)",
                (iid, draft_id, store.now()),
            )
            reopened += 1
        cursor = feed.get("cursor", feed.get("next_cursor"))
        if cursor is not None:
            c.execute(
                "INSERT INTO settings (key, value) VALUES (?, json(?)) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (st.SYNC_CURSOR, json.dumps(cursor)),
            )
    return reopened
