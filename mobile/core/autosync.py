"""When the app syncs without a tap: a network may come back at any moment in a mountain commune,
and an older volunteer should not have to remember the Sync button.

The app asks `AutoSync.due()` on a timer (every `TICK_SECONDS`); it says yes when the volunteer is
signed in, no sync is running, and either a finished survey is waiting whose backoff has passed
(the outbox's exponential backoff with jitter spaces the attempts while there is no network), or
the reviewers' decisions have not been pulled for `pull_every` seconds. Pure Python (no Kivy).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from mobile.core import store as st
from mobile.core.outbox import Outbox

TICK_SECONDS = 30.0
PULL_EVERY_SECONDS = 30 * 60.0


class AutoSync:
    def __init__(self, store: st.Store, outbox: Outbox, clock: Callable[[], float] = time.time,
                 pull_every: float = PULL_EVERY_SECONDS):
        self.store = store
        self.outbox = outbox
        self.clock = clock
        self.pull_every = pull_every
        self.last_attempt = clock()  # the app syncs at sign-in and after Finish: count from start

    def attempted(self) -> None:
        """A sync started (by the timer or by a tap)."""
        self.last_attempt = self.clock()

    def due(self, running: bool) -> bool:
        if running or not self.store.get_setting(st.TOKEN):
            return False
        now = self.clock()
        waiting = self.outbox.next_due_at()
        if waiting is not None and waiting <= now:
            return True
        return now - self.last_attempt >= self.pull_every
