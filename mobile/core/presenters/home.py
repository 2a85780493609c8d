"""Home: the forms kept for offline use, my houses with their status, the counts, one Sync button."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from mobile.core import followup
from mobile.core.outbox import Outbox
from mobile.core.presenters.houses import HouseEntry, HouseList  # noqa: F401 - HouseEntry: the view's rows
from mobile.core.presenters.strings import tr
from mobile.core.store import LAST_SYNC_AT, USER, USERNAME


@dataclass
class FormEntry:
    form_id: str
    text: str


@dataclass
class DraftEntry:
    draft_id: int
    text: str
    comment: str = ""


@dataclass
class HomeView:
    hello: str
    forms_title: str
    forms: list = field(default_factory=list)
    no_forms: str = ""
    drafts_title: str = ""
    drafts: list = field(default_factory=list)
    counts: list = field(default_factory=list)  # [(label, number)]
    houses_title: str = ""
    houses: list = field(default_factory=list)  # [HouseEntry] at the chosen stage
    house_filters: list = field(default_factory=list)  # [HouseFilter]
    houses_hint: str = ""
    no_houses: str = ""
    sync: str = ""
    sync_status: str = ""
    progress: float = 0.0
    syncing: bool = False
    outbox: str = ""
    logout: str = ""


def label_in(value, lang: str, fallback: str = "") -> str:
    if isinstance(value, dict):
        return value.get(lang) or value.get("vi") or next(iter(value.values()), fallback)
    return str(value) if value else fallback


class HomePresenter:
    def __init__(self, store, lang: str = "vi"):
        self.store = store
        self.lang = lang
        self.syncing = False
        self.progress = 0.0
        self.sync_message = ""
        self.house_list = HouseList(store)

    def view(self) -> HomeView:
        lang, store = self.lang, self.store
        user = store.get_setting(USER) or {}
        name = user.get("full_name") or user.get("display_name") or store.get_setting(USERNAME) or ""
        counts = Outbox(store).counts()
        waiting = sum(counts.get(s, 0) for s in ("queued", "sending", "waiting_photos"))
        forms = [
            FormEntry(f["form_id"], tr("home.new_survey", lang, title=label_in(f.get("title"), lang, f["form_id"])))
            for f in store.list_forms()
        ]
        drafts = []
        for d in store.list_drafts():
            comment = tr("house.comment", lang, comment=d.reviewer_comment) if d.reviewer_comment else ""
            drafts.append(DraftEntry(d.id, f"{tr('home.continue', lang)}: {self._draft_title(d)}", comment))
        house_filters, houses = self.house_list.view(lang)
        return HomeView(
            hello=tr("home.hello", lang, user=name),
            forms_title=tr("home.forms", lang),
            forms=forms,
            no_forms=tr("home.no_forms", lang) if not forms else "",
            drafts_title=tr("home.drafts", lang),
            drafts=drafts,
            counts=[
                (tr("home.drafts", lang), counts.get("drafts", 0)),
                (tr("home.waiting", lang), waiting),
                (tr("home.sent", lang), counts.get("sent", 0)),
            ],
            houses_title=tr("home.my_houses", lang),
            houses=houses,
            house_filters=house_filters if len(house_filters) > 2 else [],
            houses_hint=tr("house.tap", lang) if any(h.actions for h in houses) else "",
            no_houses=(tr("home.no_houses", lang) if len(house_filters) == 1 else tr("house.none_in_filter", lang))
            if not houses else "",
            sync=tr("sync.running", lang) if self.syncing else tr("home.sync", lang),
            sync_status=self.sync_message or self.last_sync_text(),
            progress=self.progress,
            syncing=self.syncing,
            outbox=tr("home.outbox", lang),
            logout=tr("home.logout", lang),
        )

    def last_sync_text(self) -> str:
        when = self.store.get_setting(LAST_SYNC_AT)
        if not when:
            return tr("sync.never", self.lang)
        try:
            when = datetime.fromisoformat(when).strftime("%H:%M %d/%m/%Y")
        except (TypeError, ValueError):
            pass
        return tr("home.last_sync", self.lang, when=when)

    def _draft_title(self, draft) -> str:
        answers = draft.answers or {}
        house = self.store.get_house(draft.house_id) if draft.house_id else None
        if house is not None and house.get("head_name"):
            form = next((f for f in self.store.list_forms() if f["form_id"] == draft.form_id), None)
            title = label_in(form.get("title"), self.lang, draft.form_id) if form else draft.form_id
            return tr("house.progress_draft", self.lang, title=title, name=house["head_name"])
        for key in ("head_name", "name", "household_head"):
            if answers.get(key):
                return str(answers[key])
        form = next((f for f in self.store.list_forms() if f["form_id"] == draft.form_id), None)
        title = label_in(form.get("title"), self.lang, draft.form_id) if form else draft.form_id
        return f"{title} ({draft.updated_at[11:16]})"

    def follow_up(self, house_id: str, meta: dict | None = None) -> int:
        """A new progress report of this house (its facts filled in, the next stage chosen)."""
        return followup.new_follow_up(self.store, house_id, meta)

    def new_draft(self, form_id: str) -> int:
        definition = self.store.get_form(form_id)
        return self.store.create_draft(form_id, str(definition.get("version", "")))

    # ---- sync progress (events come from the sync thread; the UI hops to its main loop first) ----
    def on_sync_event(self, event) -> None:
        """Follow a `mobile.core.sync_results.SyncEvent`."""
        if event.kind == "started":
            self.syncing, self.progress = True, 0.0
        elif event.kind == "finished" or event.kind in ("needs_login", "error"):
            self.syncing = False
            self.progress = 1.0 if event.kind == "finished" else self.progress
        elif event.total:
            self.progress = min(1.0, event.done / event.total)
        if event.message:
            self.sync_message = event.message

    def needs_login(self, event) -> bool:
        return event.kind == "needs_login"
