"""The life of a house as a table: its states, the legal moves between them, their labels.

Pure (no database, no Flask): the API, the web pages, reports, progress and the review all read one
``Lifecycle``. Main path: assessed -> approved -> started -> completed -> handed_over; side states
rejected and withdrawn. A programme may add the steps named in the domain brief (commune_reviewed after
assessed, funded after approved, stage_checked after started) through configuration
(``HOUSE_EXTRA_STEPS``), not code: ``from_config`` is the one place that reads it. The database side
(the only code that changes House.status) is ``server.services.houses.reading``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from forms.text import Catalogue
from server.errors import DomainError

MAIN_STEPS = ("assessed", "approved", "started", "completed", "handed_over")
SIDE_STATES = ("rejected", "withdrawn")
# optional step -> the step it follows
EXTRA_STEPS = {"commune_reviewed": "assessed", "funded": "approved", "stage_checked": "started"}

STATUS_LABELS = Catalogue({
    "assessed": {"vi": "Đã khảo sát", "en": "Assessed"},
    "commune_reviewed": {"vi": "Xã đã bình xét", "en": "Commune reviewed"},
    "approved": {"vi": "Đã duyệt", "en": "Approved"},
    "funded": {"vi": "Đã bố trí kinh phí", "en": "Funded"},
    "started": {"vi": "Đã khởi công", "en": "Started"},
    "stage_checked": {"vi": "Đã nghiệm thu giai đoạn", "en": "Stage checked"},
    "completed": {"vi": "Hoàn thành", "en": "Completed"},
    "handed_over": {"vi": "Đã bàn giao", "en": "Handed over"},
    "rejected": {"vi": "Không đủ điều kiện", "en": "Rejected"},
    "withdrawn": {"vi": "Đã rút", "en": "Withdrawn"},
})


def status_label(status: str, lang: str = "vi") -> str:
    return STATUS_LABELS.text(status, lang)


def illegal_transition(current: str, target: str, allowed: Iterable[str]) -> DomainError:
    """A jump the table does not allow (e.g. assessed -> completed): 409 naming the allowed next steps."""
    nxt = sorted(allowed)
    return DomainError("illegal_transition", params={
        "current": labels(current), "target": labels(target),
        "allowed": {lg: ", ".join(status_label(s, lg) for s in nxt) or "—" for lg in ("vi", "en")}})


def labels(status: str | None) -> dict:
    return {lg: status_label(status or "", lg) for lg in ("vi", "en")}


@dataclass(frozen=True)
class Lifecycle:
    steps: tuple[str, ...] = MAIN_STEPS
    side: tuple[str, ...] = SIDE_STATES

    @property
    def statuses(self) -> tuple[str, ...]:
        return self.steps + self.side

    def rank(self, status: str) -> int:
        """Position on the main path; side states rank -1."""
        return self.steps.index(status) if status in self.steps else -1

    def allowed(self, current: str) -> set[str]:
        if current == "rejected":
            return {self.steps[0], "withdrawn"}  # a corrected re-survey re-opens the case
        if current == "withdrawn" or current not in self.steps:
            return set()
        i = self.steps.index(current)
        nxt = {self.steps[i + 1]} if i + 1 < len(self.steps) else set()
        if i + 1 < len(self.steps):
            nxt |= {"withdrawn"}
            if i < self.rank("started"):  # not eligible: only before construction starts
                nxt.add("rejected")
        return nxt

    def check(self, current: str, target: str) -> None:
        if target not in self.allowed(current):
            raise illegal_transition(current, target, self.allowed(current))

    def path(self, current: str, target: str) -> list[str]:
        """The legal steps from current up to target along the main path (for approve-by-survey)."""
        if current == target:
            return []
        if current == "rejected" and target in self.steps:
            return [self.steps[0]] + self.path(self.steps[0], target)
        if current in self.steps and target in self.steps and self.rank(target) > self.rank(current):
            return list(self.steps[self.rank(current) + 1 : self.rank(target) + 1])
        raise illegal_transition(current, target, self.allowed(current))

    def reached(self, stage: str) -> tuple[str, ...]:
        """Statuses that count as having reached ``stage`` (cumulative counting)."""
        return self.steps[self.rank(stage):]


def lifecycle(extra_steps: Iterable[str] = ()) -> Lifecycle:
    """The table for a programme: the main path plus any configured extra steps, in their place."""
    extra = list(extra_steps or ())
    for name in extra:
        if name not in EXTRA_STEPS:
            raise ValueError(f"unknown extra step {name!r}; known: {sorted(EXTRA_STEPS)}")
    steps: list[str] = []
    for step in MAIN_STEPS:
        steps.append(step)
        steps.extend(e for e, after in EXTRA_STEPS.items() if after == step and e in extra)
    return Lifecycle(steps=tuple(steps))


DEFAULT = lifecycle()


def from_config(config: Mapping) -> Lifecycle:
    """The programme's table from the app's configuration (``HOUSE_EXTRA_STEPS``)."""
    extra = tuple(config.get("HOUSE_EXTRA_STEPS") or ())
    return _configured(extra)


_CACHE: dict[tuple[str, ...], Lifecycle] = {}


def _configured(extra: tuple[str, ...]) -> Lifecycle:
    if extra not in _CACHE:
        _CACHE[extra] = lifecycle(extra) if extra else DEFAULT
    return _CACHE[extra]
