"""My houses on the home screen: each with its stage, a filter by stage, and what a tap offers —
«Báo cáo tiến độ» for a house being built (a new progress report, mobile.core.followup), the draft to
fix for a house whose survey the reviewer sent back (its comment shown)."""

from __future__ import annotations

from dataclasses import dataclass, field

from mobile.core import followup
from mobile.core.presenters.strings import tr

ALL = ""
# the order the filters are shown in (a house's life, then its side states); other statuses after these
ORDER = ("assessed", "commune_reviewed", "approved", "funded", "started", "stage_checked", "completed",
         "handed_over", "changes_requested", "rejected", "withdrawn")


@dataclass
class HouseAction:
    key: str  # "follow_up" | "draft"
    text: str
    draft_id: int | None = None


@dataclass
class HouseEntry:
    house_id: str
    title: str
    status: str
    comment: str = ""
    attention: bool = False
    selected: bool = False
    actions: list = field(default_factory=list)  # [HouseAction], offered when the house is tapped


@dataclass
class HouseFilter:
    code: str  # a house status, or ALL
    text: str
    active: bool = False


class HouseList:
    """The houses part of the home screen; remembers the chosen stage and the tapped house."""

    def __init__(self, store):
        self.store = store
        self.stage = ALL
        self.selected: str | None = None

    def choose_stage(self, stage: str) -> None:
        self.stage = stage
        self.selected = None

    def tap(self, house_id: str) -> None:
        self.selected = None if self.selected == house_id else house_id

    def view(self, lang: str) -> tuple[list, list]:
        """(filters, houses shown): a filter per stage that some house is at, with its count."""
        houses = self.store.list_houses()
        drafts = {d.house_id: d for d in self.store.list_drafts() if d.house_id and d.reviewer_comment}
        can_report = followup.progress_form_id(self.store) is not None
        counts: dict[str, int] = {}
        for h in houses:
            counts[h.get("status") or ""] = counts.get(h.get("status") or "", 0) + 1
        if self.stage not in counts:
            self.stage = ALL
        filters = [HouseFilter(ALL, tr("house.all", lang, n=len(houses)), self.stage == ALL)]
        filters += [HouseFilter(code, tr("house.filter", lang, status=_status(code, lang), n=n), self.stage == code)
                    for code, n in sorted(counts.items(), key=_rank) if code]
        shown = [h for h in houses if self.stage in (ALL, h.get("status"))]
        return filters, [self._entry(h, drafts.get(h["house_id"]), can_report, lang) for h in shown]

    def _entry(self, house: dict, draft, can_report: bool, lang: str) -> HouseEntry:
        comment = (draft.reviewer_comment if draft else None) or house.get("comment")
        entry = HouseEntry(
            house["house_id"], house.get("head_name") or house["house_id"], _status(house.get("status"), lang),
            tr("house.comment", lang, comment=comment) if comment else "",
            attention=draft is not None or house.get("status") == "changes_requested",
            selected=self.selected == house["house_id"])
        if draft is not None:
            entry.actions.append(HouseAction("draft", tr("house.fix", lang), draft.id))
        if can_report and followup.is_followed_up(house):
            entry.actions.append(HouseAction("follow_up", tr("house.follow_up", lang)))
        return entry


def _status(code: str | None, lang: str) -> str:
    return tr(f"house.status.{code}", lang) if code else ""


def _rank(item: tuple[str, int]) -> tuple[int, str]:
    return (ORDER.index(item[0]) if item[0] in ORDER else len(ORDER), item[0])
