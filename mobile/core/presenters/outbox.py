"""The outbox screen: every finished survey with its state and error in plain Vietnamese."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from mobile.core.i18n import error_text
from mobile.core.outbox import Outbox
from mobile.core.presenters.home import label_in
from mobile.core.presenters.strings import tr


@dataclass
class OutboxEntry:
    instance_id: str
    title: str
    state: str
    detail: str = ""
    failed: bool = False


@dataclass
class OutboxView:
    title: str
    items: list = field(default_factory=list)
    empty: str = ""
    back: str = ""


class OutboxPresenter:
    def __init__(self, store, lang: str = "vi"):
        self.store = store
        self.lang = lang

    def view(self) -> OutboxView:
        outbox = Outbox(self.store)
        items = []
        for item in outbox.items():
            attachments = outbox.attachments(item.instance_id)
            done = sum(1 for a in attachments if a.state == "done")
            state = tr(f"state.{item.state}", self.lang, done=done, total=len(attachments))
            detail = error_text(item.last_error, self.lang) if item.last_error else ""
            if attachments and item.state not in ("waiting_photos",):
                photos = tr("outbox.photos", self.lang, sent=done, total=len(attachments))
                detail = f"{photos}. {detail}".strip() if detail else photos
            items.append(OutboxEntry(item.instance_id, self._title(item), state, detail,
                                     item.state == "failed_permanent" or bool(item.last_error)))
        return OutboxView(
            title=tr("outbox.title", self.lang),
            items=items,
            empty=tr("outbox.empty", self.lang) if not items else "",
            back=tr("outbox.back", self.lang),
        )

    def _title(self, item) -> str:
        answers = (item.envelope or {}).get("answers") or {}
        name = answers.get("head_name")
        form = self.store.get_form(item.form_id) or {}
        title = label_in(form.get("title"), self.lang, item.form_id)
        when = _local_time(item.created_at)
        return f"{name} — {title} ({when})" if name else f"{title} ({when})"


def _local_time(iso: str | None) -> str:
    """'2026-11-28T21:02:00+07:00' -> '21:02 28/11/2026' (how dates are written in Vietnam)."""
    if iso is None:
        return ""
    try:
        return datetime.fromisoformat(iso).strftime("%H:%M %d/%m/%Y")
    except (TypeError, ValueError):
        return iso
