"""The summary page before Finish: what is still missing or wrong (tap to jump), then Finish."""

from __future__ import annotations

from dataclasses import dataclass, field

from mobile.core.outbox import FinishError, Outbox
from mobile.core.presenters.strings import tr


@dataclass
class SummaryItem:
    field: str
    label: str
    message: str


@dataclass
class SummaryGroup:
    """The errors of one page, under the page's number and title (tap an item to go there)."""

    title: str
    page: int | None  # 0-based page index, None for what no page shows
    items: list = field(default_factory=list)


@dataclass
class SummaryView:
    title: str
    heading: str
    items: list = field(default_factory=list)
    groups: list = field(default_factory=list)  # [SummaryGroup] in page order
    ready: bool = False
    answered: str = ""
    finish: str = ""
    back: str = ""

    @classmethod
    def of(cls, presenter) -> SummaryView:
        lang = presenter.lang
        session = presenter.session
        items: dict[str, SummaryItem] = {}
        for issue in session.errors():
            if issue.field not in items:
                items[issue.field] = SummaryItem(issue.field, _label(session, issue.field), issue.message)
        for path, message in presenter.finish_errors.items():  # what Finish found (e.g. a lost photo file)
            if path not in items:
                items[path] = SummaryItem(path, _label(session, path) if path else "", message)
        for path in session.missing():
            if path not in items:
                items[path] = SummaryItem(path, _label(session, path), tr("q.required", lang))
        answered = _answered(presenter)
        if items:
            key = "summary.missing" if all(i.message == tr("q.required", lang) for i in items.values()) else "summary.errors"
            heading = tr(key, lang, n=len(items))
        else:
            heading = tr("summary.ready", lang)
        return cls(
            title=tr("summary.title", lang),
            heading=heading,
            items=list(items.values()),
            groups=_by_page(presenter, list(items.values())),
            ready=not items,
            answered=tr("summary.answered", lang, n=answered),
            finish=tr("summary.finish", lang) if not items else tr("summary.finish_blocked", lang, n=len(items)),
            back=tr("form.back", lang),
        )


def _by_page(presenter, items: list) -> list[SummaryGroup]:
    """Items grouped by the page that shows their question, in page order («Trang 3: Chủ hộ»)."""
    pages = presenter.pages()
    groups: dict[int | None, SummaryGroup] = {}
    for item in items:
        index = next((i for i, page in enumerate(pages) if page.shows(item.field)), None)
        if index not in groups:
            title = (tr("summary.page", presenter.lang, n=index + 1, title=pages[index].title or "")
                     if index is not None else tr("summary.other", presenter.lang))
            groups[index] = SummaryGroup(title.rstrip(": "), index)
        groups[index].items.append(item)
    return sorted(groups.values(), key=lambda g: (g.page is None, g.page or 0))


def finish(presenter) -> tuple[bool, str]:
    """Validate and queue the draft; (True, message) when it is in the outbox."""
    presenter.finish_errors = {}
    try:
        Outbox(presenter.store).finish(presenter.draft_id, lang=presenter.lang, meta=presenter.meta or None)
    except FinishError as exc:
        for issue in exc.issues:
            field_ = issue.get("field") if isinstance(issue, dict) else issue.field
            message = issue.get("message") if isinstance(issue, dict) else issue.message
            code = issue.get("code") if isinstance(issue, dict) else issue.code
            if code == "photo_missing":  # the core's message is the file name: say it in words
                message = tr("error.photo_missing", presenter.lang, field=_label(presenter.session, field_))
            presenter.shown_errors[field_] = message
            presenter.finish_errors[field_] = message
        return False, tr("error.invalid_answers", presenter.lang, count=len(exc.issues))
    return True, tr("summary.finished", presenter.lang)


def _answered(presenter) -> int:
    """Questions the volunteer answered (calculations, meta and repeat lists not counted)."""
    nodes = presenter.form.nodes
    return sum(1 for name, value in presenter.session.answers.items()
               if name in nodes and not nodes[name].is_hidden and not nodes[name].is_repeat
               and value not in (None, "", []))


def _label(session, path: str | None) -> str:
    if path is None:
        return ""
    try:
        return session.label(path) or path
    except (KeyError, LookupError, ValueError):
        return path
