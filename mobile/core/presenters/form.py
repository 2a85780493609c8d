"""The form screen's presenter: one survey draft, page by page, saved on every change.

State: the live `FormSession`, the current page, the errors shown inline, the GPS search in
progress. Actions: answer, next / back / jump, add / remove repeat items, photos, GPS, finish.
Every answer is written to the store (one committed SQLite transaction) before `answer` returns.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from forms.session import FormSession, Page
from mobile.core import followup
from mobile.core.presenters import communes
from mobile.core.presenters.fieldview import FieldView, build_view
from mobile.core.presenters.media import MediaActions
from mobile.core.presenters.strings import tr


@dataclass
class Row:
    """One line of a page: a question, a repeat item's header (with Remove) or an Add button."""

    kind: str  # question | repeat_item | repeat_add
    key: str  # field path for questions; repeat path (+ index) otherwise
    view: FieldView | None = None
    text: str = ""
    repeat: str = ""
    index: int = 0


@dataclass
class Change:
    """What an action changed on the current page."""

    fields: set = field(default_factory=set)  # field paths whose widget must be shown again
    relayout: bool = False  # the set of visible rows changed (relevance, repeat items)
    message: str = ""


class FormPresenter(MediaActions):
    def __init__(self, store, draft_id: int, *, lang: str = "vi", meta: dict | None = None):
        self.store = store
        self.draft_id = draft_id
        draft = store.get_draft(draft_id)
        self.draft = draft
        form = store.load_form(draft.form_id)
        if form is None:
            raise LookupError(draft.form_id)
        self.form = form
        self.lang = lang
        self.meta = meta or {}
        self.session = FormSession(self.form, answers=draft.answers, lang=lang, meta=self.meta)
        # a follow-up of a known house: its id and commune come from the house, shown read-only
        self.house = store.get_house(draft.house_id) if draft.house_id else None
        self.locked = followup.locked_fields(self.form, self.house, draft.answers)
        # the commune question offers the scope's communes by name, the account's own pre-selected
        self.communes = communes.Scope.of(store)
        self.commune_field = communes.field(self.form)
        if communes.prefill(self.session, self.form, self.communes, self.locked):
            self.save()
        self.index = 0
        self.shown_errors: dict[str, str] = {}
        self.finish_errors: dict[str, str] = {}  # what the last Finish refused, until the next answer
        self.message = ""
        MediaActions.__init__(self)
        self._pages = self._visible_pages()

    # ---- what the screen shows ------------------------------------------------------------------
    @property
    def title(self) -> str:
        return self.form.text(self.form.title, self.lang)

    def pages(self) -> list[Page]:
        """The pages shown now (relevant ones), in order."""
        return list(self._pages)

    @property
    def page_count(self) -> int:
        return len(self._pages)

    def page_text(self) -> str:
        return tr("form.page", self.lang, n=self.index + 1, total=max(1, self.page_count))

    def heading(self) -> str:
        """The section of the current page (group or repeat label), else the form's title."""
        if self._pages and self._pages[self.index].kind in ("group", "repeat"):
            return self._pages[self.index].title or self.title
        return self.title

    def reviewer_note(self) -> str:
        comment = self.draft.reviewer_comment
        return tr("form.reviewer_comment", self.lang, comment=comment) if comment else ""

    def house_note(self) -> str:
        """The house this survey is about (a follow-up visit, a survey sent back), else ''."""
        if self.house is None:
            return ""
        status = self.house.get("status")
        return tr("house.facts", self.lang, name=self.house.get("head_name") or self.house["house_id"],
                  status=tr(f"house.status.{status}", self.lang) if status else "")

    def rows(self) -> list[Row]:
        """Every row of the current page (irrelevant questions included: see `Row.view.relevant`)."""
        if not self._pages:
            return []
        return [self._row(item) for item in self._pages[self.index].items]

    def view(self, path: str) -> FieldView:
        view = self._build_view(path)
        if path == self.commune_field:
            view = communes.as_choice(view, self.communes, self.lang)
        view.read_only = view.read_only or path in self.locked
        return view

    def _build_view(self, path: str) -> FieldView:
        return build_view(
            self.session,
            self.session.node(path),
            path,
            error=self.shown_errors.get(path, ""),
            photo_path=self.photo_preview,
            gps_status=self.gps_status(path),
            gps_busy=self.gps_busy(path),
            gps_best=self.gps_best(path),
        )

    # ---- answering ------------------------------------------------------------------------------
    def answer(self, path: str, value) -> Change:
        """Set one answer, save the draft, and say which widgets of this page need showing again."""
        if path in self.locked:
            return Change()  # the house's own facts are not the volunteer's to change
        before = self._visible_keys()
        changed = set(self.session.set(path, value))
        changed.add(path)
        self.finish_errors.pop(path, None)
        self.save()
        errors = [i for i in self.session.errors(fields=[path]) if i.code != "required"]
        if errors:
            self.shown_errors[path] = errors[0].message
        else:
            self.shown_errors.pop(path, None)
        for other in list(self.shown_errors):
            if other != path and other in changed:
                self._recheck(other)
        pages_before = [p.key for p in self._pages]
        self._pages = self._visible_pages(keep_current=True)
        relayout = before != self._visible_keys() or pages_before != [p.key for p in self._pages]
        return Change(fields=changed, relayout=relayout)

    def save(self) -> None:
        self.store.save_answers(self.draft_id, self.session.answers)

    def _recheck(self, path):
        issues = self.session.errors(fields=[path])
        if issues:
            self.shown_errors[path] = issues[0].message
        else:
            self.shown_errors.pop(path, None)

    # ---- navigation -----------------------------------------------------------------------------
    def next(self) -> bool:
        """Go to the next page when this one has no error (else show them and stay)."""
        paths = self._page_questions()
        issues = self.session.errors(fields=paths) if paths else []
        for path in paths:
            self.shown_errors.pop(path, None)
        for issue in issues:
            self.shown_errors.setdefault(issue.field, issue.message)
        if issues:
            self.message = tr("form.fix_first", self.lang)
            return False
        self.message = ""
        if self.index + 1 < self.page_count:
            self.index += 1
        return True

    def at_last_page(self) -> bool:
        return self.index + 1 >= self.page_count

    def back(self) -> bool:
        self.message = ""
        if self.index > 0:
            self.index -= 1
            return True
        return False

    def go_to(self, path: str) -> bool:
        """Jump to the page that shows `path` (from the summary)."""
        for i, page in enumerate(self._pages):
            if page.shows(path):
                self.index = i
                self._recheck(path)
                return True
        return False

    # ---- repeats --------------------------------------------------------------------------------
    def add_repeat(self, repeat: str) -> Change:
        self.session.add_repeat(repeat)
        self.save()
        self._pages = self._visible_pages(keep_current=True)
        return Change(relayout=True)

    def remove_repeat(self, repeat: str, index: int) -> Change:
        self.session.remove_repeat(repeat, index)
        self.save()
        self.shown_errors = {k: v for k, v in self.shown_errors.items() if not k.startswith(repeat + "[")}
        self._pages = self._visible_pages(keep_current=True)
        self.index = min(self.index, max(0, self.page_count - 1))
        return Change(relayout=True)

    # ---- summary and finish ---------------------------------------------------------------------
    def summary(self):
        from mobile.core.presenters.summary import SummaryView

        return SummaryView.of(self)

    def finish(self):
        """Judge the answers with forms.validate and move the draft to the outbox; returns
        (ok, message)."""
        from mobile.core.presenters.summary import finish

        return finish(self)

    # ---- pages ----------------------------------------------------------------------------------
    def _visible_pages(self, keep_current: bool = False) -> list[Page]:
        """The session's pages (`FormSession.pages`: the one layout), keeping the current page."""
        old = getattr(self, "_pages", None)
        current = old[self.index].key if keep_current and old else None
        pages = self.session.pages()
        if current is not None:
            keys = [p.key for p in pages]
            if current in keys:
                self.index = keys.index(current)
        self.index = min(self.index, max(0, len(pages) - 1))
        return pages

    def _page_questions(self) -> list[str]:
        return list(self._pages[self.index].fields) if self._pages else []

    def _visible_keys(self):
        if not getattr(self, "_pages", None):
            return ()
        page = self._pages[self.index]
        return tuple(item for item in page.items if item[0] != "question" or item[1] in page.fields)

    def _row(self, item) -> Row:
        kind = item[0]
        if kind == "question":
            return Row("question", item[1], view=self.view(item[1]))
        label = self.repeat_label(item[1])
        if kind == "repeat_item":
            return Row("repeat_item", f"{item[1]}[{item[2]}]", repeat=item[1], index=item[2],
                       text=tr("form.repeat_item", self.lang, label=label, n=item[2]))
        return Row("repeat_add", item[1], text=tr("form.add_repeat", self.lang, label=label), repeat=item[1])

    def repeat_label(self, repeat: str) -> str:
        return self.session.label(repeat) or self.session.node(repeat).name
