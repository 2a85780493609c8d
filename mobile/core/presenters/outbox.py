"""The outbox screen: every finished survey with where it stands, in plain Vietnamese.

Per survey: waiting for the network / waiting to send / sending (bytes sent of the total, a progress
bar, the time left estimated from the rate measured while it sends) / sending its photos / sent /
sent back for changes / could not be sent, with the last error in words. «Gửi ngay» makes every
waiting survey due now. The bytes come from the store (the sync client records each photo's uploaded
bytes after every chunk and tells the app through its `on_event` callback, which refreshes this view).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from mobile.core.i18n import error_text
from mobile.core.outbox import Outbox
from mobile.core.presenters.home import label_in
from mobile.core.presenters.strings import tr

OFFLINE_ERRORS = ("network", "timeout")
RATE_WINDOW_S = 30.0  # the rate is measured over the last half minute of progress


@dataclass
class OutboxEntry:
    instance_id: str
    title: str
    state: str
    detail: str = ""
    failed: bool = False
    progress: float | None = None  # 0..1 while bytes are on their way, else None (no bar)
    bytes_text: str = ""           # «120 KB / 980 KB»
    eta: str = ""                  # «Còn khoảng 2 phút»


@dataclass
class OutboxView:
    title: str
    items: list = field(default_factory=list)
    empty: str = ""
    back: str = ""
    send_now: str = ""
    can_send_now: bool = False


class OutboxPresenter:
    def __init__(self, store, lang: str = "vi", clock: Callable[[], float] = time.monotonic):
        self.store = store
        self.lang = lang
        self.clock = clock
        self._samples: dict[str, list[tuple[float, int]]] = {}  # instance id -> [(time, bytes sent)]

    def view(self) -> OutboxView:
        outbox = Outbox(self.store)
        items = [self._entry(outbox, item) for item in outbox.items()]
        waiting = [i for i in outbox.items() if i.state in ("queued", "waiting_photos", "failed_permanent")]
        return OutboxView(
            title=tr("outbox.title", self.lang),
            items=items,
            empty=tr("outbox.empty", self.lang) if not items else "",
            back=tr("outbox.back", self.lang),
            send_now=tr("outbox.send_now", self.lang),
            can_send_now=bool(waiting),
        )

    def send_now(self) -> int:
        """Every waiting survey due now (the app then starts a sync)."""
        return Outbox(self.store).send_now()

    def _entry(self, outbox: Outbox, item) -> OutboxEntry:
        lang = self.lang
        attachments = outbox.attachments(item.instance_id)
        done = sum(1 for a in attachments if a.state == "done")
        envelope = len(_canonical(item.envelope))
        total = envelope + sum(a.size for a in attachments)
        accepted = item.state in ("waiting_photos", "sent") or item.server_status is not None
        sent = (envelope if accepted else 0) + sum(min(a.uploaded_bytes, a.size) for a in attachments)
        if item.state == "sent":
            sent = total
        state = self._state(item, done, len(attachments))
        entry = OutboxEntry(item.instance_id, self._title(item), state,
                            error_text(item.last_error, lang) if item.last_error and item.state != "sent" else "",
                            item.state == "failed_permanent"
                            or bool(item.last_error and item.last_error not in OFFLINE_ERRORS))
        if attachments and item.state not in ("sent",):
            photos = tr("outbox.photos", lang, sent=done, total=len(attachments))
            entry.detail = f"{photos}. {entry.detail}".strip() if entry.detail else photos
        if item.state in ("sending", "waiting_photos") or (item.state == "queued" and sent):
            entry.progress = sent / total if total else 1.0
            entry.bytes_text = tr("outbox.bytes", lang, sent=_size(sent), total=_size(total))
            entry.eta = self._eta(item.instance_id, sent, total)
        return entry

    def _state(self, item, done: int, photos: int) -> str:
        lang = self.lang
        if item.state == "sent":
            return tr("outbox.returned" if item.server_status == "changes_requested" else "state.sent", lang)
        if item.state == "queued" and item.last_error in OFFLINE_ERRORS:
            return tr("outbox.waiting_network", lang)
        return tr(f"state.{item.state}", lang, done=done, total=photos)

    def _eta(self, iid: str, sent: int, total: int) -> str:
        """The time left at the rate measured over the last RATE_WINDOW_S seconds of this survey."""
        now = self.clock()
        samples = [s for s in self._samples.get(iid, []) if now - s[0] <= RATE_WINDOW_S and s[1] <= sent]
        if not samples or samples[-1][1] != sent:
            samples.append((now, sent))
        self._samples[iid] = samples
        (t0, b0), (t1, b1) = samples[0], samples[-1]
        if t1 - t0 < 1.0 or b1 <= b0 or sent >= total:
            return ""
        seconds = (total - sent) / ((b1 - b0) / (t1 - t0))
        return tr("outbox.eta", self.lang, time=_duration(seconds, self.lang))

    def _title(self, item) -> str:
        answers = (item.envelope or {}).get("answers") or {}
        name = answers.get("head_name")
        form = self.store.get_form(item.form_id) or {}
        title = label_in(form.get("title"), self.lang, item.form_id)
        when = _local_time(item.created_at)
        return f"{name} — {title} ({when})" if name else f"{title} ({when})"


def _canonical(envelope: dict) -> bytes:
    from forms.envelope import canonical_json

    body = canonical_json(envelope)
    return body if isinstance(body, bytes) else body.encode("utf-8")


def _size(n: int) -> str:
    """Bytes as a person reads them: «980 KB», «1,2 MB» (Vietnamese decimal comma)."""
    if n < 1024 * 1024:
        return f"{max(1, round(n / 1024)) if n else 0} KB"
    return f"{n / 1024 / 1024:.1f}".replace(".", ",") + " MB"


def _duration(seconds: float, lang: str) -> str:
    seconds = max(1, round(seconds))
    if seconds < 60:
        return tr("outbox.seconds", lang, n=seconds)
    minutes, rest = divmod(seconds, 60)
    return tr("outbox.minutes", lang, m=minutes, s=rest)


def _local_time(iso: str | None) -> str:
    """'2026-11-28T21:02:00+07:00' -> '21:02 28/11/2026' (how dates are written in Vietnam)."""
    if iso is None:
        return ""
    try:
        return datetime.fromisoformat(iso).strftime("%H:%M %d/%m/%Y")
    except (TypeError, ValueError):
        return iso
