"""The outbox: finished surveys waiting for the server, their state machine and retry schedule.

States (a transition table, checked on every change):

    queued ──> sending ──> sent                      (server accepted, no photo missing)
                  │ ├────> waiting_photos ──> sent   (envelope accepted; photos uploaded, confirmed)
                  │ ├────> failed_permanent          (409 conflict, other permanent 4xx)
                  │ └────> queued                    (network / 5xx: retry later with backoff)
                  └──────> (editable draft again)    (422: the server's per-field errors shown)

`finish` turns a draft into an outbox item in ONE transaction, after `forms.validate` (the one judge)
accepted the answers; it is idempotent (finishing twice returns the same item). Nothing is deleted
before the server has confirmed: the draft row stays (status `finished`) until the item is `sent`.
Retries use exponential backoff with full jitter: delay = uniform(0, min(cap, base * 2**(n-1))).
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from mobile.core.store import DEVICE_ID, USERNAME, Store, StoreError

TRANSITIONS: dict[str, frozenset[str]] = {
    "queued": frozenset({"sending"}),
    "sending": frozenset({"queued", "waiting_photos", "sent", "failed_permanent"}),
    "waiting_photos": frozenset({"waiting_photos", "sent", "failed_permanent"}),
    "failed_permanent": frozenset({"queued"}),  # the user may try again by hand
    "sent": frozenset(),
}
DUE_STATES = ("queued", "waiting_photos")
BASE_DELAY_S = 10.0
MAX_DELAY_S = 3600.0
JPEG = "image/jpeg"


class TransitionError(RuntimeError):
    pass


class FinishError(ValueError):
    """The answers are not valid yet: `issues` is the engine's list (field, code, message)."""

    def __init__(self, issues: list, code: str = "invalid_answers"):
        super().__init__(f"{code}: {len(issues)} issue(s)")
        self.issues = issues
        self.code = code


@dataclass
class OutboxItem:
    instance_id: str
    draft_id: int | None
    form_id: str
    form_version: str
    house_id: str | None
    envelope: dict
    envelope_hash: str
    state: str
    attempts: int
    next_attempt_at: float
    last_error: str | None
    server_status: str | None
    created_at: str
    updated_at: str
    sent_at: str | None


@dataclass
class Attachment:
    instance_id: str
    name: str
    sha256: str
    size: int
    path: str
    content_type: str
    uploaded_bytes: int
    state: str


def backoff_delay(
    attempts: int, rng: random.Random, base: float = BASE_DELAY_S, cap: float = MAX_DELAY_S
) -> float:
    """Full jitter: a uniform delay in [0, min(cap, base * 2**(attempts-1))] seconds (attempts >= 1)."""
    ceiling = min(cap, base * (2 ** max(0, min(attempts - 1, 30))))
    return rng.uniform(0, ceiling)


class Outbox:
    def __init__(
        self,
        store: Store,
        clock: Callable[[], float] = time.time,
        rng: random.Random | None = None,
        base_delay: float = BASE_DELAY_S,
        max_delay: float = MAX_DELAY_S,
    ):
        self.store = store
        self.clock = clock
        self.rng = rng or random.Random()
        self.base_delay = base_delay
        self.max_delay = max_delay

    # ---- finishing a draft ------------------------------------------------------------------------
    def finish(self, draft_id: int, lang: str = "vi", meta: dict | None = None) -> OutboxItem:
        """Validate the draft with the form engine and queue it, in one transaction. Idempotent."""
        from forms.envelope import envelope_hash, make_envelope
        from forms.validate import validate

        draft = self.store.get_draft(draft_id)
        if draft.status == "finished":
            return self.get(draft.instance_id)
        form = self.store.load_form(draft.form_id)
        if form is None:
            raise FinishError([], code="form_not_found")
        result = validate(form, draft.answers, lang=lang, meta=self._meta(draft, meta))
        if not result.ok:
            self._save_errors(draft_id, [_issue_dict(i) for i in result.errors])
            raise FinishError(list(result.errors))
        attachments: list[dict] = []
        for field, name in form.image_answers(result.answers):
            photo = self.store.get_photo(name)
            if photo is None:
                issue = {"field": field, "code": "photo_missing", "message": name}
                self._save_errors(draft_id, [issue])
                raise FinishError([issue], code="photo_missing")
            if all(a["name"] != name for a in attachments):
                attachments.append(
                    {"name": name, "sha256": photo["sha256"], "size": photo["size"], "content_type": JPEG}
                )
        envelope = make_envelope(form, draft.instance_id, result.answers, attachments, draft.created_at,
                                 house_id=draft.house_id, form_version=draft.form_version)
        return self.enqueue(draft_id, envelope, envelope_hash(envelope))

    def enqueue(self, draft_id: int, envelope: dict, digest: str) -> OutboxItem:
        """Queue a validated envelope and mark its draft finished, in ONE transaction (idempotent:
        a draft already finished keeps its item)."""
        now = self.store.now()
        iid = envelope["instance_id"]
        with self.store.tx() as c:
            row = c.execute("SELECT status FROM drafts WHERE id = ?", (draft_id,)).fetchone()
            if row is None:
                raise StoreError("draft_not_found", f"draft {draft_id}")
            if row["status"] == "editing":
                c.execute(
                    "INSERT INTO outbox (instance_id, draft_id, form_id, form_version, house_id, envelope, "
                    "envelope_hash, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?)",
                    (
                        iid,
                        draft_id,
                        envelope["form_id"],
                        envelope["form_version"],
                        envelope.get("house_id"),
                        json.dumps(envelope, ensure_ascii=False, sort_keys=True),
                        digest,
                        now,
                        now,
                    ),
                )
                for a in envelope["attachments"]:
                    c.execute(
                        "INSERT INTO attachments (instance_id, name, sha256, size, path, content_type) "
                        "VALUES (?, ?, ?, ?, ?, ?)",
                        (iid, a["name"], a["sha256"], a["size"], a["name"], a["content_type"]),
                    )
                c.execute(
                    "UPDATE drafts SET status = 'finished', errors = NULL, updated_at = ? WHERE id = ?",
                    (now, draft_id),
                )
        return self.get(iid)

    def _meta(self, draft, meta: dict | None) -> dict:
        now = self.store.clock()
        base = {
            "username": self.store.get_setting(USERNAME, ""),
            "deviceid": self.store.get_setting(DEVICE_ID, ""),
            "today": now.date().isoformat(),
            "now": now.isoformat(timespec="seconds"),
            "start": draft.created_at,
            "end": now.isoformat(timespec="seconds"),
        }
        return {**base, **(meta or {})}

    def _save_errors(self, draft_id: int, issues: list[dict]) -> None:
        with self.store.tx() as c:
            c.execute(
                "UPDATE drafts SET errors = ? WHERE id = ?",
                (json.dumps(issues, ensure_ascii=False), draft_id),
            )

    # ---- reading ----------------------------------------------------------------------------------
    def get(self, instance_id: str) -> OutboxItem:
        row = self.store.query_one("SELECT * FROM outbox WHERE instance_id = ?", (instance_id,))
        if row is None:
            raise StoreError("not_found", f"outbox item {instance_id}")
        return _item(row)

    def items(self, states: tuple[str, ...] | None = None) -> list[OutboxItem]:
        if states:
            marks = ", ".join("?" * len(states))
            rows = self.store.query(
                f"SELECT * FROM outbox WHERE state IN ({marks}) ORDER BY created_at, rowid", states
            )
        else:
            rows = self.store.query("SELECT * FROM outbox ORDER BY created_at, rowid")
        return [_item(r) for r in rows]

    def due(self) -> list[OutboxItem]:
        """Items to try now (queued or waiting for photos, and their backoff has elapsed)."""
        rows = self.store.query(
            "SELECT * FROM outbox WHERE state IN ('queued', 'waiting_photos') AND next_attempt_at <= ? "
            "ORDER BY created_at, rowid",
            (self.clock(),),
        )
        return [_item(r) for r in rows]

    def next_due_at(self) -> float | None:
        row = self.store.query_one(
            "SELECT MIN(next_attempt_at) AS t FROM outbox WHERE state IN ('queued', 'waiting_photos')"
        )
        return None if row is None else row["t"]

    def counts(self) -> dict[str, int]:
        out = {state: 0 for state in TRANSITIONS}
        for row in self.store.query("SELECT state, COUNT(*) AS n FROM outbox GROUP BY state"):
            out[row["state"]] = row["n"]
        out["drafts"] = self.store.query("SELECT COUNT(*) AS n FROM drafts WHERE status = 'editing'")[0]["n"]
        return out

    def attachments(self, instance_id: str) -> list[Attachment]:
        rows = self.store.query(
            "SELECT * FROM attachments WHERE instance_id = ? ORDER BY rowid", (instance_id,)
        )
        return [Attachment(**{k: r[k] for k in r.keys()}) for r in rows]

    def attachment_path(self, attachment: Attachment) -> str:
        return str(self.store.photo_dir / attachment.path)

    # ---- state changes ----------------------------------------------------------------------------
    def move(
        self, instance_id: str, new_state: str, *, error: str | None = None, server_status: str | None = None
    ) -> None:
        """A checked transition; resets the retry schedule when the item made progress."""
        with self.store.tx() as c:
            row = c.execute("SELECT state FROM outbox WHERE instance_id = ?", (instance_id,)).fetchone()
            if row is None:
                raise StoreError("not_found", f"outbox item {instance_id}")
            if new_state not in TRANSITIONS[row["state"]]:
                raise TransitionError(f"{row['state']} -> {new_state} is not allowed")
            now = self.store.now()
            c.execute(
                "UPDATE outbox SET state = ?, last_error = ?, server_status = COALESCE(?, server_status), "
                "updated_at = ?, sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END, "
                "attempts = CASE WHEN ? IN ('sent', 'waiting_photos') THEN 0 ELSE attempts END, "
                "next_attempt_at = CASE WHEN ? IN ('sent', 'waiting_photos') THEN 0 ELSE next_attempt_at END "
                "WHERE instance_id = ?",
                (new_state, error, server_status, now, new_state, now, new_state, new_state, instance_id),
            )
            if new_state == "sent":
                # the server has confirmed everything: the finished draft can go now
                c.execute(
                    "DELETE FROM drafts WHERE id = (SELECT draft_id FROM outbox WHERE instance_id = ?) "
                    "AND status = 'finished'",
                    (instance_id,),
                )

    def retry_later(self, instance_id: str, error: str) -> float:
        """A temporary failure: back to `queued` (or stay `waiting_photos`), attempts + 1, next try
        after the backoff delay. Returns the time of the next attempt."""
        with self.store.tx() as c:
            row = c.execute(
                "SELECT state, attempts FROM outbox WHERE instance_id = ?", (instance_id,)
            ).fetchone()
            if row is None:
                raise StoreError("not_found", f"outbox item {instance_id}")
            state = {"sending": "queued"}.get(row["state"], row["state"])
            if state not in DUE_STATES:
                raise TransitionError(f"{row['state']} cannot be retried")
            attempts = row["attempts"] + 1
            at = self.clock() + backoff_delay(attempts, self.rng, self.base_delay, self.max_delay)
            c.execute(
                "UPDATE outbox SET state = ?, attempts = ?, next_attempt_at = ?, last_error = ?, updated_at = ? "
                "WHERE instance_id = ?",
                (state, attempts, at, error, self.store.now(), instance_id),
            )
        return at

    def reopen_as_draft(self, instance_id: str, issues: list[dict]) -> int:
        """422: the server found the answers invalid. The draft becomes editable again with the
        server's per-field errors and the outbox item goes, in one transaction. Returns the draft id."""
        with self.store.tx() as c:
            row = c.execute(
                "SELECT draft_id, state FROM outbox WHERE instance_id = ?", (instance_id,)
            ).fetchone()
            if row is None or row["state"] not in ("sending", "queued"):
                raise TransitionError(f"{instance_id} cannot go back to a draft")
            c.execute(
                "UPDATE drafts SET status = 'editing', errors = ?, updated_at = ? WHERE id = ?",
                (json.dumps(issues, ensure_ascii=False), self.store.now(), row["draft_id"]),
            )
            c.execute("DELETE FROM outbox WHERE instance_id = ?", (instance_id,))
        return row["draft_id"]

    def send_now(self) -> int:
        """«Gửi ngay»: every waiting item is due now (its backoff forgotten), and one that could not be
        sent is queued again; returns how many items were touched."""
        with self.store.tx() as c:
            due = c.execute("UPDATE outbox SET next_attempt_at = 0 WHERE state IN ('queued', 'waiting_photos')"
                            ).rowcount
            again = c.execute("UPDATE outbox SET state = 'queued', next_attempt_at = 0, updated_at = ? "
                              "WHERE state = 'failed_permanent'", (self.store.now(),)).rowcount
        return due + again

    def recover(self) -> int:
        """At start-up: an item left `sending` by a crash goes back to `queued` (sending is idempotent)."""
        with self.store.tx() as c:
            return c.execute("UPDATE outbox SET state = 'queued' WHERE state = 'sending'").rowcount

    def set_attachment(
        self, instance_id: str, name: str, *, uploaded_bytes: int | None = None, state: str | None = None
    ) -> None:
        with self.store.tx() as c:
            c.execute(
                "UPDATE attachments SET uploaded_bytes = COALESCE(?, uploaded_bytes), state = COALESCE(?, state) "
                "WHERE instance_id = ? AND name = ?",
                (uploaded_bytes, state, instance_id, name),
            )


def _item(row) -> OutboxItem:
    data = {k: row[k] for k in row.keys()}
    data["envelope"] = json.loads(data["envelope"])
    return OutboxItem(**data)


def _issue_dict(issue) -> dict:
    if isinstance(issue, dict):
        return issue
    return {"field": issue.field, "code": issue.code, "message": issue.message}
